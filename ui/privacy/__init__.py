"""Data protection in the app: restricted details behind "break the glass", consent, subject access export,
erasure, retention review and the supervisor's audit view. The rules live in youthwork.privacy."""
