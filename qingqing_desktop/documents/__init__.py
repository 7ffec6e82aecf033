"""Documents: PDF (reportlab) and Excel (openpyxl) renderers for the filings and the roster."""
