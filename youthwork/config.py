"""Where youthwork keeps its files. Every path goes through here so tests and support staff can redirect it."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "youthwork"
HOME_ENV = "YOUTHWORK_HOME"
PASSPHRASE_ENV = "YOUTHWORK_PASSPHRASE"
NEW_PASSPHRASE_ENV = "YOUTHWORK_NEW_PASSPHRASE"

DB_FILENAME = "youthwork.db"
KEYSLOTS_FILENAME = "keyslots.json"


def data_home() -> Path:
    """The folder holding youthwork's data: $YOUTHWORK_HOME, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_profile_dir() -> Path:
    return data_home() / "profile"


def profile_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The profile folder: an explicit `--profile DIR` wins over the environment and the default."""
    if override:
        return Path(override).expanduser()
    return default_profile_dir()
