"""Links between areas without the areas knowing each other: ask the nearest ancestor that can do it.

The profile's Plans and Referrals tabs live inside the Young people area; the Workspace above them knows how to open
a plan or a referral. `follow(widget, "open_plan", plan_id)` walks up the parents to the first one with that method.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)


def follow(widget: QObject, method: str, *args: Any) -> bool:
    node: QObject | None = widget.parent()
    while node is not None:
        fn = getattr(node, method, None)
        if callable(fn):
            fn(*args)
            return True
        node = node.parent()
    log.warning("no window to follow the link %s", method)
    return False
