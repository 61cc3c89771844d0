"""Keeping the privacy notice's promises in the software rather than in staff's memory.

- consent.py: lawful basis and consent per young person, withdrawal that stops new sharing, the supervisor's list
- need_to_know.py: restricted (special category / criminal-offence) fields shown only with a recorded reason
- subject_access.py (+ pdf_text.py): everything about one person in one export (`youthwork export`, in
  youthwork.cli.privacy)
- erasure.py: erase or anonymise a person everywhere (tombstones), legal holds, wiping the freed bytes, backups
- retention.py: the retention schedule and the supervisor's review list

The audit trail they write to is youthwork.security.audit; the records are in youthwork.domain.privacy; the server's
side is youthwork.server.privacy. See docs/data-protection.md.
"""
