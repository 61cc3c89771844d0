"""Syncing as a use case: the engine, with what must follow every pull.

Erasures made on other laptops arrive as tombstones; after each pull this laptop erases what only it held and wipes
the freed bytes (`ErasureService.apply_incoming`); a young person moved to another team keeps only the minimum here
(`TransferService.apply_incoming`); records past their lapse date (a peer group membership past its
review) are erased before the push and after each pull (`erase_lapsed`). The engine knows nothing of erasure: it
runs the hook it is given.
Every caller that syncs (the app, the CLI, the demo) builds its engine here, so none can forget the erasures.
"""

from __future__ import annotations

import logging
from typing import Any

from youthwork.privacy.erasure import ErasureService
from youthwork.privacy.lapses import erase_lapsed
from youthwork.services.merges import MergeService
from youthwork.services.transfers import TransferService
from youthwork.store.profile import Profile
from youthwork.store.settings import WORKER_NAMES
from youthwork.sync.client import SyncClient
from youthwork.sync.engine import SyncEngine, SyncReport
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)


def sync_engine(profile: Profile, client: SyncClient, **options: Any) -> SyncEngine:
    """A sync engine for `profile` that carries out incoming erasures and merges after each pull, and learns the
    team's users."""

    def after_pull(report: SyncReport) -> None:
        ErasureService(profile).apply_incoming()
        erase_lapsed(profile, pulled=report.records)
        MergeService(profile).apply_incoming()  # what only this laptop held about a record merged elsewhere
        TransferService(profile).apply_incoming()  # a young person moved to another team: keep only the minimum
        learn_team(profile, client)

    erase_lapsed(profile)  # before the push: a lapsed membership is deleted on the service too, not sent again
    return SyncEngine(profile, client, after_pull=after_pull, **options)


def learn_team(profile: Profile, client: SyncClient) -> None:
    """Keep the team's users (id -> name) for "who worked this session" and for names in reports. Names of people
    who have left stay, so older sessions still show them. A service without the list leaves things as they are."""
    try:
        users = client.team_users()
    except SyncError as e:
        log.info("team list not available: %s", type(e).__name__)
        return
    names = dict(profile.get_setting(WORKER_NAMES) or {})
    names.update({u["id"]: u.get("name") or u["id"] for u in users if u.get("id")})
    profile.set_setting(WORKER_NAMES, names)
