"""The Sync area: connecting the laptop, background sync, the status-bar indicator, and the conflicts view."""
