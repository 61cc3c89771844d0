"""The guided import of CSV and Excel sheets (youthwork.services.importing)."""
