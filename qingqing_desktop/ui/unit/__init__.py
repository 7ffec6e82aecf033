"""单位信息 and 三张清单: the unit's fields, seal image and key, and the active template's lists."""
