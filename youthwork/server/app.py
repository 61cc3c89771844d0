"""The FastAPI application factory for youthwork-server."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import youthwork.domain.referrals  # noqa: F401  (registers the referral record types)
from youthwork.domain.protocol import API_PREFIX, PROTOCOL_VERSION
from youthwork.server import db
from youthwork.server.auth import LoginGate
from youthwork.server.errors import install_handlers, install_quiet_errors
from youthwork.server.limits import BodyLimit
from youthwork.server.routes import auth, conflicts, health, inbox, reports, sync, team
from youthwork.server.security import password_hasher, server_secret
from youthwork.server.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the service. With `migrate`, the database is brought up to the newest schema first."""
    settings = settings or Settings.from_env()
    engine = db.make_engine(settings)
    if migrate:
        db.migrate(engine)
    read_engine = db.make_read_engine(settings, engine)
    reports_engine = db.make_reports_engine(settings, read_engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()
        read_engine.dispose()
        reports_engine.dispose()

    app = FastAPI(
        title="youthwork-server",
        version=f"protocol {PROTOCOL_VERSION}",
        description="Central service for youthwork: accounts, devices, sync, and the referral inbox.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = read_engine
    app.state.reports_engine = reports_engine
    app.state.login_gate = LoginGate(settings, password_hasher(settings), server_secret(settings))
    install_handlers(app)
    routers = (health.router, auth.router, sync.router, conflicts.router, inbox.router, reports.router, team.router)
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    install_quiet_errors(app)
    return app
