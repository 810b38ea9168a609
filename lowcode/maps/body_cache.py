"""GeoJSON answers kept by a worker, bounded by the bytes they hold (raw and gzip bodies together), not their count.

A count bound let 40 different `bbox` values grow two workers by 200-330 MB each: one body of a large table is
megabytes, another of a small bbox a few hundred bytes. Least recently used answers leave first; an answer larger
than the whole budget is served but not kept. No Flask here: the view decides the key and the budget.
"""
from __future__ import annotations

import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .geojson import compute_etag, gzip_body

DEFAULT_BUDGET_MB = 64.0  # per worker; LOWCODE_GEOJSON_CACHE_MB changes it
ENTRY_OVERHEAD = 800  # bytes: the entry's objects, two ETags, its dict slot (690 measured with tracemalloc)
logger = logging.getLogger(__name__)


class CachedBody:
    """One GeoJSON answer: the body, its gzip (made once, on first demand) and their ETags."""

    def __init__(self, body: bytes, on_gzip: Callable[[CachedBody, bytes], None] | None = None, overhead: int = 0) -> None:
        self.body = body
        self.overhead = overhead  # what keeping it costs besides the bodies: its key, ETags, the objects
        self.etag = compute_etag(body)
        self.gzip_etag = self.etag[:-1] + '-gzip"'
        self._gzipped: bytes | None = None
        self._on_gzip = on_gzip

    @property
    def gzipped(self) -> bytes:
        if self._gzipped is None:
            packed = gzip_body(self.body)
            if self._on_gzip is not None:
                self._on_gzip(self, packed)  # the cache attaches it and counts its bytes under its lock
            if self._gzipped is None:
                self._gzipped = packed
        return self._gzipped

    @property
    def size(self) -> int:
        return self.overhead + len(self.body) + len(self._gzipped or b"")


class BodyCache:
    """Least recently used GeoJSON bodies, at most `max_bytes` of them (raw plus gzip) at any time."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.total_bytes = 0
        self._entries: OrderedDict[Hashable, CachedBody] = OrderedDict()
        self._lock = threading.Lock()  # `lowcode run` serves requests in threads

    def __len__(self) -> int:
        return len(self._entries)

    def order(self) -> list[Hashable]:
        """Oldest first, most recently used last."""
        with self._lock:
            return list(self._entries)

    def get(self, key: Hashable) -> CachedBody | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, body: bytes) -> CachedBody:
        """Keep `body` under `key` when it fits the budget; the answer is returned either way."""
        entry = CachedBody(body, lambda entry, packed: self._attach_gzip(key, entry, packed), overhead=key_bytes(key))
        with self._lock:
            self._drop(key)
            if entry.size <= self.max_bytes:
                self._entries[key] = entry
                self.total_bytes += entry.size
                self._evict()
        return entry

    def _attach_gzip(self, key: Hashable, entry: CachedBody, packed: bytes) -> None:
        with self._lock:
            if entry._gzipped is not None:
                return  # another thread was first
            kept = self._entries.get(key) is entry
            entry._gzipped = packed
            if not kept:
                return  # evicted or replaced meanwhile: its bytes are no longer counted here
            self.total_bytes += len(packed)
            if entry.size > self.max_bytes:
                self._drop(key)  # raw and gzip together no longer fit: served now, not kept
            self._evict()

    def _drop(self, key: Hashable) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self.total_bytes -= old.size

    def _evict(self) -> None:
        while self.total_bytes > self.max_bytes and self._entries:
            _, oldest = self._entries.popitem(last=False)
            self.total_bytes -= oldest.size


def key_bytes(key: Hashable) -> int:
    """An entry's cost besides its bodies: an empty answer to a long query string still holds the string."""
    parts = key if isinstance(key, tuple) else (key,)
    return ENTRY_OVERHEAD + sum(len(p) for p in parts if isinstance(p, (bytes, str)))


def budget_bytes(megabytes: float | str | None) -> int:
    """The budget from a setting in MB (`LOWCODE_GEOJSON_CACHE_MB`, may be fractional); 0 keeps nothing."""
    if megabytes in (None, ""):
        return int(DEFAULT_BUDGET_MB * 1024 * 1024)
    try:
        value = float(megabytes)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or value < 0:
        logger.warning("LOWCODE_GEOJSON_CACHE_MB=%r is not a number of megabytes; using %s", megabytes, DEFAULT_BUDGET_MB)
        value = DEFAULT_BUDGET_MB
    return int(value * 1024 * 1024)
