"""The passphrase policy: long enough and hard to guess, said in words a youth worker understands.

A thief who copies the key-slot file can guess offline at Argon2id's pace (about ten guesses a second per core on a
laptop, far more on a rented graphics card); a passphrase from the few thousand most common ones falls in seconds.
So a new passphrase must be at least MIN_LENGTH characters and score at least MIN_SCORE with zxcvbn (its estimate
of how many guesses a cracker needs; 3 is "safely unguessable" for offline attacks slowed by a strong hash). The
same check runs for `youthwork init`, `change-passphrase` and the window; the message suggests four random words.
"""

from __future__ import annotations

import logging
import re
import secrets
from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from youthwork.keys.errors import WeakPassphrase

log = logging.getLogger(__name__)

MIN_LENGTH = 12
MIN_SCORE = 3
SUGGESTED_WORDS = 4

# What zxcvbn says, put the way a worker would say it.
_WARNINGS = {
    "common": "it is one of the passwords people use most",
    "sequence": "it is a sequence like abc or 1234",
    "repeat": "it repeats the same letters",
    "date": "it is or contains a date",
    "keyboard": "it is a row of keys on the keyboard",
    "name": "it is a name people often use",
    "word": "it is a single word",
}


@cache
def _words() -> tuple[str, ...]:
    # Everyday English words from zxcvbn's own list, past the very commonest: a cracker that knows the list still
    # faces about 4,000 ** 4 (2 ** 48) choices of four.
    ranked = FREQUENCY_LISTS["english_wikipedia"][300:6000]
    return tuple(w for w in ranked if re.fullmatch(r"[a-z]{4,8}", w))


def suggest() -> str:
    """Four random everyday words: easy to remember, hard to guess."""
    words = _words()
    while True:
        candidate = " ".join(secrets.choice(words) for _ in range(SUGGESTED_WORDS))
        if problem(candidate) is None:
            return candidate


def problem(passphrase: str, *, personal: tuple[str, ...] = ()) -> str | None:
    """Why `passphrase` is too weak, in plain words, or None if it will do. `personal`: the worker's name etc."""
    if len(passphrase) < MIN_LENGTH:
        return f"it is shorter than {MIN_LENGTH} characters"
    result = zxcvbn(passphrase[:100], user_inputs=[p for p in personal if p] + ["youthwork"])
    if result["score"] >= MIN_SCORE:
        return None
    warning = (result.get("feedback") or {}).get("warning", "").lower()
    for needle, words in _WARNINGS.items():
        if needle in warning:
            return words
    return "it would be quick for a computer to guess"


def check(passphrase: str, *, personal: tuple[str, ...] = ()) -> None:
    """Raise WeakPassphrase with advice if `passphrase` is too weak."""
    why = problem(passphrase, personal=personal)
    if why is not None:
        raise WeakPassphrase(advice(why))


def advice(why: str) -> str:
    return (
        f"That passphrase is too easy to guess: {why}. Use at least {MIN_LENGTH} characters; four random words are "
        f"easy to remember and hard to guess, for example: {suggest()}"
    )
