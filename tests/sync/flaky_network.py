"""A network between the engine and the server that drops requests, loses replies after the server committed,
duplicates, delays and reorders them. Fates come from a seeded Random so hypothesis can replay a failing run."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from typing import Any

from youthwork.sync.errors import Offline
from youthwork.sync.transport import Transport


@dataclass
class Stash:
    """Requests held back by the network, shared by every client: delivered later, out of order."""

    held: list[tuple[Transport, str, str, Any, str | None]] = field(default_factory=list)

    def deliver_some(self, rng: random.Random, everything: bool = False) -> int:
        sent = 0
        while self.held and (everything or rng.random() < 0.5):
            inner, method, path, body, token = self.held.pop(rng.randrange(len(self.held)))
            inner.request(method, path, body, token)  # the reply goes nowhere
            sent += 1
        return sent


@dataclass
class FlakyTransport:
    inner: Transport
    rng: random.Random
    stash: Stash
    fault_rate: float = 0.3
    counts: dict[str, int] = field(default_factory=dict)

    def request(self, method: str, path: str, body: dict[str, Any] | None, token: str | None) -> tuple[int, Any]:
        self.stash.deliver_some(self.rng)  # older requests overtake this one
        fate = (
            "ok"
            if self.rng.random() >= self.fault_rate
            else self.rng.choice(["drop", "lose_reply", "duplicate", "delay", "duplicate_later"])
        )
        self.counts[fate] = self.counts.get(fate, 0) + 1
        if fate == "drop":
            raise Offline("dropped")
        if fate == "delay":  # arrives after the client gave up waiting
            self.stash.held.append((self.inner, method, path, copy.deepcopy(body), token))
            raise Offline("timed out")
        reply = self.inner.request(method, path, body, token)
        if fate == "lose_reply":
            raise Offline("reply lost")
        if fate == "duplicate":
            reply = self.inner.request(method, path, body, token)
        if fate == "duplicate_later":
            self.stash.held.append((self.inner, method, path, copy.deepcopy(body), token))
        return reply
