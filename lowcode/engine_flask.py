"""The engine's Flask class: Flask, with the per-request check of every hook for `async def` done once per function.

Flask asks `inspect.iscoroutinefunction` of each before-request, after-request and teardown hook and of the view on
every request: about 15 times, 3-4 µs of a list page. The answer never changes for a function, so it is kept.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

MAX_REMEMBERED = 2048  # hooks and views are a few dozen; a function made per request (after_this_request) is not kept forever


class EngineFlask(Flask):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sync_functions: dict[Callable[..., Any], Callable[..., Any]] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        known = self._sync_functions.get(func)
        if known is None:
            known = super().ensure_sync(func)
            if len(self._sync_functions) < MAX_REMEMBERED:
                self._sync_functions[func] = known
        return known
