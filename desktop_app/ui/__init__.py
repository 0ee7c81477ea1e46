"""The Qt (PySide6) window. Everything Qt lives under this package."""
