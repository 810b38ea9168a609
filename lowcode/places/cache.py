"""Remember geocoding answers so a repeated address never calls the service again.

Keyed by (app, normalised query): 「金沢市広坂１丁目」 and 「広坂一丁目」 share one entry. "Not found" is
remembered too (a misspelt address should not cost a request each time it is retried); a timeout or an
outage is not, so the next attempt asks again.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    Float,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError

from .base import Geocoder, GeocodeResult
from .normalise import normalise_address

TABLE_NAME = "lowcode_geocode_cache"
MAX_QUERY_LENGTH = 255  # longer text is not an address; it is answered but not kept


@dataclass(frozen=True)
class Cached:
    """A remembered answer; `result` None means the service said "not found"."""

    result: GeocodeResult | None


class GeocodeCache(Protocol):
    def get(self, app: str, query: str) -> Cached | None:
        """The remembered answer, or None when the query was never asked."""
        ...

    def put(self, app: str, query: str, result: GeocodeResult | None) -> None:
        """Remember an answer (None for "not found")."""
        ...


class MemoryGeocodeCache:
    """Answers kept in this process: the whole cache for tests and database-less apps, or the recent few."""

    def __init__(self, max_entries: int | None = None) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], Cached] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, app: str, query: str) -> Cached | None:
        with self._lock:
            cached = self._entries.get((app, query))
            if cached is not None and self.max_entries is not None:
                self._entries.move_to_end((app, query))
            return cached

    def put(self, app: str, query: str, result: GeocodeResult | None) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._entries[(app, query)] = Cached(result)
            if self.max_entries is not None and len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def define_cache_table(metadata: MetaData) -> Table:
    """The cache table in `metadata` (defined once; the app's `create_all` then creates it with the others)."""
    if TABLE_NAME in metadata.tables:
        return metadata.tables[TABLE_NAME]
    return Table(
        TABLE_NAME,
        metadata,
        Column("app", String(100), primary_key=True),
        Column("query", String(MAX_QUERY_LENGTH), primary_key=True),
        Column("found", Boolean, nullable=False),
        Column("lon", Float),
        Column("lat", Float),
        Column("name", Text),
        Column("source", String(40)),
        Column("created_at", DateTime(timezone=True), server_default=func.now()),
    )


class SqlGeocodeCache:
    """The cache as a table on the app's database (SQLite or PostgreSQL), through SQLAlchemy Core.

    The most recent `recent` answers are also kept in memory: a row never changes once written, so a copy
    cannot go stale, and a busy form is then not limited by database round trips.
    """

    def __init__(self, engine: Engine, metadata: MetaData | None = None, *, create: bool = True, recent: int = 10_000) -> None:
        self._engine = engine
        self.table = define_cache_table(metadata if metadata is not None else MetaData())
        self._recent = MemoryGeocodeCache(max_entries=recent)
        t = self.table
        # Built once: constructing the statement costs as much as running it on SQLite.
        self._select = select(t.c.found, t.c.lon, t.c.lat, t.c.name, t.c.source).where(
            t.c.app == bindparam("app"), t.c.query == bindparam("query")
        )
        if create:
            self.table.create(engine, checkfirst=True)

    def get(self, app: str, query: str) -> Cached | None:
        cached = self._recent.get(app, query)
        if cached is None:
            cached = self._read(app, query)
            if cached is not None:
                self._recent.put(app, query, cached.result)
        return cached

    def _read(self, app: str, query: str) -> Cached | None:
        with self._engine.connect() as conn:
            row = conn.execute(self._select, {"app": app, "query": query}).first()
        if row is None:
            return None
        return Cached(GeocodeResult(row.lon, row.lat, row.name, row.source) if row.found else None)

    def put(self, app: str, query: str, result: GeocodeResult | None) -> None:
        values = {"app": app, "query": query, "found": result is not None}
        if result is not None:
            values |= {"lon": result.lon, "lat": result.lat, "name": result.name, "source": result.source}
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(self.table).values(**values))
        except IntegrityError:
            return  # another request remembered the same query first; both answers came from the same service
        self._recent.put(app, query, result)


class CachedGeocoder:
    """Ask `inner` only for queries the cache has never seen."""

    def __init__(self, inner: Geocoder, cache: GeocodeCache, app: str, *, city: str | None = None) -> None:
        self.inner = inner
        self.cache = cache
        self.app = app
        self.city = city

    def geocode(self, address: str) -> GeocodeResult | None:
        key = normalise_address(address, self.city)
        return self._remembered(key, lambda: self.inner.geocode(address))

    def reverse(self, lon: float, lat: float) -> str | None:
        # About a metre of rounding: two clicks on the same spot share one answer.
        key = f"@reverse {lon:.5f},{lat:.5f}"
        result = self._remembered(key, lambda: self._reverse_as_result(lon, lat))
        return result.name if result else None

    def _reverse_as_result(self, lon: float, lat: float) -> GeocodeResult | None:
        name = self.inner.reverse(lon, lat)
        return GeocodeResult(lon, lat, name, "reverse") if name else None

    def _remembered(self, key: str, ask: Callable[[], GeocodeResult | None]) -> GeocodeResult | None:
        if not key or len(key) > MAX_QUERY_LENGTH:
            return ask()
        cached = self.cache.get(self.app, key)
        if cached is not None:
            return cached.result
        result = ask()  # GeocodeUnavailable passes through uncached
        self.cache.put(self.app, key, result)
        return result
