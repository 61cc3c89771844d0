"""Thin adapter over SessionService: who came last time to this kind of session in this place.

The services have no "previous register" query, so this walks the recent sessions (newest first) and takes the
register of the first one that matches. Listed as a gap for the services engineer.
"""

from __future__ import annotations

import logging

from youthwork.domain.records import YoungPerson
from youthwork.services.sessions import SessionService

log = logging.getLogger(__name__)

LOOK_BACK = 200


def last_register(
    sessions: SessionService, session_type: str, area: str, place: str, exclude_id: str
) -> list[YoungPerson]:
    area_key, place_key = area.strip().lower(), place.strip().lower()
    if not (area_key or place_key):
        return []
    fallback = None
    for s in sessions.recent(0, LOOK_BACK):
        if s.id == exclude_id:
            continue
        same_place = (area_key and s.area.strip().lower() == area_key) or (
            place_key and s.place.strip().lower() == place_key
        )
        if not same_place:
            continue
        if s.session_type == session_type:
            return sessions.register(s.id)
        fallback = fallback or s
    return sessions.register(fallback.id) if fallback else []
