"""Every setting a profile keeps, in one place: its key in the store's `settings` table, its type and its default.

Read and write one through the profile with the entry, never its key as a bare string:

    names = profile.get_setting(WORKER_NAMES)        # a dict, {} when none has been saved
    profile.set_setting(IDLE_LOCK_MINUTES, 10)

A new setting is one more `Setting(...)` below (tests/core/test_settings.py checks no code names a key by hand and
that no two entries share one). Values are stored as JSON, so a default must be JSON too; a missing value (or a
stored null) reads as a fresh copy of the default.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T", covariant=True)  # a Setting[dict[str, str]] is also a Setting[Mapping[str, str]]

REGISTRY: dict[str, Setting[Any]] = {}


@dataclass(frozen=True)  # not slots: Setting[str](...) sets __orig_class__ on the instance
class Setting(Generic[T]):
    key: str
    default: T
    about: str

    def __post_init__(self) -> None:
        if self.key in REGISTRY:
            raise ValueError(f"two settings share the key {self.key!r}")
        REGISTRY[self.key] = self

    def fresh_default(self) -> T:
        """The default, copied: a caller may change the list or dict it is given without changing the default."""
        return copy.deepcopy(self.default)


# ---- who works on this laptop ---------------------------------------------------------------------------------------

USER_ID = Setting[str]("user_id", "", "this laptop's user on the central service (set when the laptop enrols)")
TEAM_ID = Setting[str]("team_id", "", "the user's team on the central service (set when the laptop enrols)")
WORKER_NAME = Setting[str]("worker_name", "", "the name given when the profile was made")
WORKER_NAMES = Setting[dict[str, str]]("worker_names", {}, "user id -> name for the team's workers, for display")
DEVICE_NODE = Setting[str]("device_node", "", "this profile's part of every hybrid-logical-clock time (random)")

# ---- the central service (youthwork.sync.device writes these when the laptop enrols) -----------------------------

SERVER_URL = Setting[str]("sync.server_url", "", "the central service's address")
DEVICE_ID = Setting[str]("sync.device_id", "", "this laptop's device id on the service")
USERNAME = Setting[str]("sync.username", "", "the account the laptop enrolled with")
ROLE = Setting[str]("sync.role", "", "the user's role on the service (worker, supervisor, partner, ...)")
DISPLAY_NAME = Setting[str]("sync.display_name", "", "the user's name as the service has it")
TEAM_NAME = Setting[str]("sync.team_name", "", "the user's team's name")
LAST_CONTACT = Setting[str | None]("sync.last_contact", None, "ISO time the service last answered")
LAST_SYNCED = Setting[str | None]("sync.last_synced", None, "ISO time of the last complete sync cycle")
LEASE_DAYS = Setting[int]("sync.lease_days", 14, "days a laptop may go without reaching the service")

# ---- referrals ----------------------------------------------------------------------------------------------------

AGENCIES = Setting[list[list[str]]](
    "referrals.agencies", [], "[[code, label], ...] offered for referrals, in order (empty: the default list)"
)
AGENCY_TEAMS = Setting[dict[str, str]]("referrals.agency_teams", {}, "agency code -> its team id on the service")
OTHER_TEAMS = Setting[dict[str, str]](
    "transfers.other_teams", {}, "team id -> name of the service's other teams, that a young person can move to"
)

# ---- outcomes ------------------------------------------------------------------------------------------------------

OUTCOME_FRAMEWORK = Setting[dict[str, object]](
    "outcomes.framework", {}, "{code, name, capabilities: [[code, label], ...]} (empty: the seven FOYP capabilities)"
)

# ---- data protection ----------------------------------------------------------------------------------------------

RETENTION_YEARS = Setting[int]("retention_years", 6, "years after last contact a young person's records are kept")
WIPE_PENDING = Setting[bool]("privacy.wipe_pending", False, "an erasure's freed pages still to be wiped")
EXPORTS_WRITTEN = Setting[list[str]]("exports.written", [], "files written outside the store, removed by a wipe")

# ---- the app --------------------------------------------------------------------------------------------------------

IDLE_LOCK_MINUTES = Setting[float]("ui.idle_lock_minutes", 5, "minutes without a key press or click before locking")

# ---- imports ------------------------------------------------------------------------------------------------------

IMPORT_MAPPINGS = Setting[dict[str, dict[str, str]]](
    "imports.mappings", {}, "source name -> {column heading: field} saved for CSV/Excel imports (beside the built-in)"
)
