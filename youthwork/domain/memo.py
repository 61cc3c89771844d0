"""functools.cache and lru_cache, typed as the function they wrap.

mypy checks a call through functools' wrapper against `Hashable`, and wrongly finds a record class (a dataclass, whose
instances are unhashable) not hashable; through these the call is checked against the function's own signature."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def cached(fn: F) -> F:
    """functools.cache (unbounded): for functions of a record class, of which there are a dozen."""
    return cast(F, functools.cache(fn))


def lru_cached(maxsize: int) -> Callable[[F], F]:
    """functools.lru_cache(maxsize)."""

    def wrap(fn: F) -> F:
        return cast(F, functools.lru_cache(maxsize=maxsize)(fn))

    return wrap
