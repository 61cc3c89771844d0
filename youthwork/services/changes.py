"""What a write or a sync changed (record types and ids), so every open screen can refresh what is stale.

After Anki's `OpChanges`: a use case runs inside `tracking(profile)`, which collects the (table, id) of every record
it wrote, because every local write of a record queues an outbox entry and the outbox tells its watchers. A sync
cycle's report lists what it received the same way (`from_sync`). Screens ask `touches(...)` and `ids(...)`
and reload only what they show.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from youthwork.store.profile import Profile

RecordKey = tuple[str, str]  # (table, record_id)


@dataclass(frozen=True, slots=True)
class Changes:
    records: frozenset[RecordKey] = frozenset()
    everything: bool = False  # an erasure, a restore: too wide to list, so every screen reloads

    @classmethod
    def of(cls, table: str, *ids: str) -> Changes:
        return cls(frozenset((table, i) for i in ids))

    @classmethod
    def from_keys(cls, keys: Iterable[RecordKey]) -> Changes:
        return cls(frozenset(keys))

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(t for t, _ in self.records)

    def touches(self, *tables: str) -> bool:
        """Anything of these record types changed (always true when everything did)."""
        return self.everything or any(t in tables for t, _ in self.records)

    def ids(self, table: str) -> frozenset[str]:
        return frozenset(i for t, i in self.records if t == table)

    def __bool__(self) -> bool:
        return self.everything or bool(self.records)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.records | other.records, self.everything or other.everything)


NOTHING = Changes()
EVERYTHING = Changes(everything=True)


@dataclass
class Tracker:
    """Filled in while a `tracking` block runs; `changes` is final once the block ends."""

    keys: list[RecordKey] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        return Changes.from_keys(self.keys)


@contextmanager
def tracking(profile: Profile) -> Iterator[Tracker]:
    """Collect what the writes made through `profile` inside the block changed."""
    tracker = Tracker()
    with profile.outbox.watching(tracker.keys.append):
        yield tracker


def from_sync(records: Iterable[RecordKey]) -> Changes:
    """A sync cycle's changes: what it received, which includes this laptop's own changes the service took."""
    return Changes.from_keys(records)
