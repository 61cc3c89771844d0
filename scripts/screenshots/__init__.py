"""Screenshots for the README and docs from real windows over invented data; see docs/ui.md."""
