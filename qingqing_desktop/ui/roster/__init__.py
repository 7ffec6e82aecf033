"""人员名单: the roster table, one person's dialog and the Excel import."""
