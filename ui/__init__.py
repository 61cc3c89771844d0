"""The PySide6 desktop app. See ui.app for the entry point."""
