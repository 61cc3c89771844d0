"""The anonymous session check-in: three taps at the end of a session."""
