"""Remember geocoding answers so a repeated address never calls the service again.

Keyed by (app, normalised query): 「金沢市広坂１丁目」 and 「広坂一丁目」 share one entry. "Not found" is
remembered too, briefly (a misspelt address should not cost a request each time it is retried); a timeout or an
outage is not, so the next attempt asks again. The cache is bounded: answers that found a place are kept
FOUND_TTL, misses MISS_TTL (random text sent to the API must not pile up), and the table keeps at most
MAX_ROWS rows, the oldest removed first.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

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
    and_,
    bindparam,
    delete,
    func,
    insert,
    not_,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from .base import Geocoder, GeocodeResult
from .normalise import normalise_address

TABLE_NAME = "lowcode_geocode_cache"
MAX_QUERY_LENGTH = 255  # longer text is not an address; it is answered but not kept
FOUND_TTL = dt.timedelta(days=30)  # places rarely move; a month lets a corrected map reach the cache
MISS_TTL = dt.timedelta(days=1)
MAX_ROWS = 50_000
MAX_MEMORY_ENTRIES = 10_000
PRUNE_EVERY = 500  # writes between two prunes of the table, per process


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

    def __init__(
        self, max_entries: int | None = MAX_MEMORY_ENTRIES, *, found_ttl: dt.timedelta = FOUND_TTL, miss_ttl: dt.timedelta = MISS_TTL
    ) -> None:
        self.max_entries = max_entries
        self.ttl = {True: found_ttl.total_seconds(), False: miss_ttl.total_seconds()}
        self._entries: OrderedDict[tuple[str, str], tuple[Cached, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, app: str, query: str) -> Cached | None:
        with self._lock:
            entry = self._entries.get((app, query))
            if entry is None:
                return None
            cached, stored_at = entry
            if time.monotonic() - stored_at > self.ttl[cached.result is not None]:
                del self._entries[(app, query)]
                return None
            self._entries.move_to_end((app, query))
            return cached

    def put(self, app: str, query: str, result: GeocodeResult | None) -> None:
        if self.max_entries == 0:
            return
        with self._lock:
            self._entries[(app, query)] = (Cached(result), time.monotonic())
            self._entries.move_to_end((app, query))
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

    The most recent `recent` answers are also kept in memory (for the same time as in the table): a row is only
    ever replaced by the same service's newer answer, and a busy form is then not limited by database round trips.
    """

    def __init__(
        self, engine: Engine, metadata: MetaData | None = None, *, create: bool = True, recent: int = 10_000,
        max_rows: int = MAX_ROWS, found_ttl: dt.timedelta = FOUND_TTL, miss_ttl: dt.timedelta = MISS_TTL,
        prune_every: int = PRUNE_EVERY,
    ) -> None:
        self._engine = engine
        self.table = define_cache_table(metadata if metadata is not None else MetaData())
        self._recent = MemoryGeocodeCache(max_entries=recent, found_ttl=found_ttl, miss_ttl=miss_ttl)
        self.max_rows, self.found_ttl, self.miss_ttl, self.prune_every = max_rows, found_ttl, miss_ttl, prune_every
        self._writes = 0
        t = self.table
        # Built once: constructing the statement costs as much as running it on SQLite.
        self._select = select(t.c.found, t.c.lon, t.c.lat, t.c.name, t.c.source).where(
            t.c.app == bindparam("app"), t.c.query == bindparam("query"), self._fresh()
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
            row = conn.execute(self._select, {"app": app, "query": query, **self._since()}).first()
        if row is None:
            return None
        return Cached(GeocodeResult(row.lon, row.lat, row.name, row.source) if row.found else None)

    def put(self, app: str, query: str, result: GeocodeResult | None) -> None:
        values = {"app": app, "query": query, "found": result is not None, "created_at": now_utc()}
        if result is not None:
            values |= {"lon": result.lon, "lat": result.lat, "name": result.name, "source": result.source}
        t = self.table
        try:
            with self._engine.begin() as conn:
                # An expired answer makes room; a fresh one stays, and the insert below then fails harmlessly.
                conn.execute(delete(t).where(t.c.app == app, t.c.query == query, not_(self._fresh())), self._since())
                conn.execute(insert(t).values(**values))
        except IntegrityError:
            return  # another request remembered the same query first; both answers came from the same service
        self._recent.put(app, query, result)
        self._writes += 1
        if self._writes % self.prune_every == 0:
            self.prune()

    def prune(self) -> None:
        """Remove expired answers, then the oldest beyond `max_rows`."""
        t = self.table
        with self._engine.begin() as conn:
            conn.execute(delete(t).where(not_(self._fresh())), self._since())
            cutoff = conn.execute(
                select(t.c.created_at).order_by(t.c.created_at.desc()).offset(self.max_rows).limit(1)
            ).scalar()
            if cutoff is not None:
                conn.execute(delete(t).where(t.c.created_at <= cutoff))

    def _fresh(self) -> Any:
        """True for a row still worth answering from: found within FOUND_TTL, or a miss within MISS_TTL."""
        t = self.table
        return or_(
            and_(t.c.found, t.c.created_at >= bindparam("found_since")),
            and_(not_(t.c.found), t.c.created_at >= bindparam("miss_since")),
        )

    def _since(self) -> dict[str, dt.datetime]:
        now = now_utc()
        return {"found_since": now - self.found_ttl, "miss_since": now - self.miss_ttl}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
