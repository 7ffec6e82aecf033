"""The desktop GUI (PySide6). The only package that may import Qt."""
