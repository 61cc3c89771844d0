"""Records that lapse (a declared `lapses` date field, e.g. a peer group membership's review date) are erased here.

Past that date a record is not hidden but erased: the row, its unsent changes and any pulled values kept aside for
them, with the freed bytes wiped. A copy the service already has is deleted there too (a queued delete; the service
also erases lapsed records itself and refuses them back), so every laptop erases it at its next sync.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from youthwork.domain.policy import POLICIES
from youthwork.domain.privacy import AuditAction
from youthwork.privacy.erasure import local_tables, secure_wipe
from youthwork.security.audit import AuditTrail
from youthwork.store.profile import Profile
from youthwork.store.settings import WIPE_PENDING
from youthwork.sync.apply import forget_skipped

log = logging.getLogger(__name__)

LAPSED = "lapsed"  # the audit entry's reason code


def erase_lapsed(profile: Profile, today: date | None = None, pulled: Iterable[tuple[str, str]] = ()) -> int:
    """Erase every record on this laptop whose lapse date has passed; returns how many.

    `pulled`: records a sync just brought. One of a lapsing type that is gone now was deleted by the service (it
    lapsed there): its old bytes are wiped too."""
    today = today or date.today()
    db = profile.db
    present = local_tables(db)
    erased = 0
    db.execute("PRAGMA secure_delete = ON")  # the deletions below overwrite their content with zeros
    for p in POLICIES.values():
        if not p.lapses or p.table not in present:
            continue
        rows = db.query(
            f"SELECT id, _server_version FROM {p.table} WHERE {p.lapses} IS NOT NULL AND {p.lapses} < ?",
            (today.isoformat(),),
        )
        for rid, version in rows:
            with profile.transaction():
                db.execute("DELETE FROM outbox WHERE tbl = ? AND record_id = ?", (p.table, rid))
                forget_skipped(db, p.table, rid)
                db.execute(f"DELETE FROM {p.table} WHERE id = ?", (rid,))
                if int(version):
                    profile.outbox.add(p.table, rid, "delete", {}, int(version))
                AuditTrail(profile).record(AuditAction.ERASED, p.table, rid, reason=LAPSED)
            erased += 1
    lapsing = {p.table for p in POLICIES.values() if p.lapses and p.table in present}
    deleted_by_service = any(
        table in lapsing and db.scalar(f"SELECT COUNT(*) FROM {table} WHERE id = ?", (rid,)) == 0
        for table, rid in pulled
    )
    if erased or deleted_by_service:
        log.info("%d lapsed records erased here", erased)
        if not secure_wipe(db):
            profile.set_setting(WIPE_PENDING, True)
    return erased
