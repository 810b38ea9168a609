"""Python's cycle collector and the engine's objects: what it need not look at again and again (issue 8).

* Start-up objects (specs, forms, templates, SQLAlchemy tables, the imported libraries) live as long as the worker.
  Each collection walked them again: about 6 % of a list page's CPU, spread over every request. A serving worker
  freezes them once started (`gc.freeze`), after one collection has freed its start-up garbage.
* A map layer's 50,000 records and features are new containers that all live until the GeoJSON body is written:
  the collector ran again and again over them, finding nothing (most of a body's time). It is paused meanwhile.
  So is an import's check and storing of 100,000 rows (lowcode/imports/run.py: a seventh of its time, before).

Reference counting frees everything as usual in both cases; only the search for unreachable cycles is skipped.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def freeze_start_up_objects() -> None:
    """Leave everything alive now out of later collections (a worker that has started; not tests, which build
    hundreds of apps in one process and drop them)."""
    gc.collect()
    gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; a pause already in force (an outer block, the host) is left alone."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
