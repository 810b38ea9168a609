"""Loading plug-ins: the objects other packages name in one of lowcode's entry-point groups."""
from __future__ import annotations

import logging
from importlib.metadata import entry_points
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


def load_plugins(group: str, expected: type[T]) -> list[T]:
    """Every object named in `group` that is an `expected`; any other is logged and left out, never fatal."""
    found = []
    for point in entry_points(group=group):
        value = point.load()
        if not isinstance(value, expected):
            log.warning("entry point %s in %s is not a %s: ignored", point.value, group, expected.__name__)
            continue
        found.append(value)
    return found
