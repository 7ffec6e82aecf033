"""导出与打印: the filing's documents previewed, printed and saved."""
