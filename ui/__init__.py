"""The PySide6 desktop app. See ui.app for the entry point."""

from ui.qt_guard import guard_singleton_refcounts

guard_singleton_refcounts()
