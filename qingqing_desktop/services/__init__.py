"""Use cases the GUI and the CLI share. No Qt here; services never show anything."""
