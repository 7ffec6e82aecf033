"""Which job a database does, kept in its meta: a unit files its own filing (单位填报模式); the
discipline office collects every unit's (纪委（监察室）模式). A module of its own so that asking
needs nothing of the office's model."""

MODE_KEY = "mode"
MODE_UNIT = "unit"
MODE_OFFICE = "office"
OFFICE_NAME_KEY = "office_name"
