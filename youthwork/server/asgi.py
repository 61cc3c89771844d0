"""The ASGI entry point uvicorn imports: `uvicorn youthwork.server.asgi:app` (settings from the environment)."""

from youthwork.server.app import create_app

# Migration is done once by `youthwork-server serve` before the workers start.
app = create_app(migrate=False)
