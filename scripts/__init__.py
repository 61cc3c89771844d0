"""Development scripts (not shipped): run from the repository root with python -m scripts.NAME."""
