"""Unsaved forms kept in the encrypted store, so an idle lock or a crash loses nothing. Never synced."""

from __future__ import annotations

import json
import logging
from typing import Any

from youthwork.domain.records import utc_now
from youthwork.store.profile import Profile

log = logging.getLogger(__name__)


class DraftService:
    def __init__(self, profile: Profile) -> None:
        self._db = profile.db

    def save(self, key: str, data: dict[str, Any]) -> None:
        self._db.execute(
            "INSERT INTO drafts (key, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (key, json.dumps(data, default=str), utc_now().isoformat()),
        )

    def load(self, key: str) -> dict[str, Any] | None:
        value = self._db.scalar("SELECT data FROM drafts WHERE key = ?", (key,))
        return None if value is None else json.loads(value)

    def discard(self, key: str) -> None:
        self._db.execute("DELETE FROM drafts WHERE key = ?", (key,))

    def keys(self, prefix: str = "") -> list[str]:
        rows = self._db.query("SELECT key FROM drafts WHERE key LIKE ? ORDER BY updated_at DESC", (prefix + "%",))
        return [r[0] for r in rows]
