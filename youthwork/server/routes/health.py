"""Liveness and version information, for load balancers and for the app's "can I reach the server" check."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi import APIRouter

from youthwork.domain.protocol import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from youthwork.server.deps import ReadEngineDep
from youthwork.server.errors import ERROR_RESPONSES, ApiError
from youthwork.server.models import Health

router = APIRouter(tags=["health"], responses=ERROR_RESPONSES)


@router.get("/health", response_model=Health)
def health(engine: ReadEngineDep) -> Health:
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.DBAPIError:
        raise ApiError(503, "database_unavailable", "The server can't reach its database.") from None
    return Health(
        status="ok",
        protocol_version=PROTOCOL_VERSION,
        min_protocol_version=MIN_PROTOCOL_VERSION,
        server_time=datetime.now(UTC),
    )
