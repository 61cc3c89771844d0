"""The Backups area: the profile's encrypted local backups, a backup now, and a restore (youthwork/backup.py)."""
