"""What every part of the GUI shares: background jobs, forms, tables and row models, settings,
messages, file dialogs, the PDF preview, the workspace with its undo stack."""
