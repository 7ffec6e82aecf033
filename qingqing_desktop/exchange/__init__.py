"""Exchange: reading what comes from outside (roster workbooks, packages, campaign files)."""
