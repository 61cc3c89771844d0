"""Syncing as a use case: the engine, with what must follow every pull.

Erasures made on other laptops arrive as tombstones; after each pull this laptop erases what only it held and wipes
the freed bytes (`ErasureService.apply_incoming`). The engine knows nothing of erasure: it runs the hook it is given.
Every caller that syncs (the app, the CLI, the demo) builds its engine here, so none can forget the erasures.
"""

from __future__ import annotations

from typing import Any

from youthwork.privacy.erasure import ErasureService
from youthwork.store.profile import Profile
from youthwork.sync.client import SyncClient
from youthwork.sync.engine import SyncEngine


def sync_engine(profile: Profile, client: SyncClient, **options: Any) -> SyncEngine:
    """A sync engine for `profile` that carries out incoming erasures after each pull."""
    return SyncEngine(profile, client, after_pull=lambda: ErasureService(profile).apply_incoming(), **options)
