"""What differs between Linux, macOS and Windows, one small module per concern, so the rest of the laptop never asks
which system it is on: `files` (private files, atomic replace)."""
