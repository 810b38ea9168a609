"""Per-app services built once at start-up: the geocoder (with its database cache) and the field deriver."""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app

from .places.base import Geocoder
from .places.cache import SqlGeocodeCache
from .places.derive import Deriver
from .places.geocoder import build_geocoder
from .places.ratelimit import FileSlots, RedisSlots, SlotStore
from .runtime import AppRuntime


class DatabaseTables:
    """Lends an app's tables to derivations; the version changes whenever a row is added, edited or deleted."""

    def __init__(self, runtime: AppRuntime, engine: sa.Engine) -> None:
        self.runtime = runtime
        self.engine = engine

    def version(self, table: str) -> object:
        with self.engine.connect() as conn:
            return self.runtime.stores[table].version(conn)

    def rows(self, table: str) -> list[Mapping[str, Any]]:
        store = self.runtime.stores[table]
        with self.engine.connect() as conn:
            return [store.to_record(row) for row in conn.execute(sa.select(store.table)).mappings()]


def build_services(runtime: AppRuntime, engine: sa.Engine, metadata: sa.MetaData) -> None:
    runtime.geocoder = build_app_geocoder(runtime, engine, metadata)
    if any(f.derive for t in runtime.spec.tables.values() for f in t.fields.values()):
        runtime.deriver = Deriver(runtime.spec, runtime.folder, tables=DatabaseTables(runtime, engine), geocoder=runtime.geocoder)


def build_app_geocoder(runtime: AppRuntime, engine: sa.Engine, metadata: sa.MetaData) -> Geocoder | None:
    spec = runtime.spec.geocoder
    if spec is None:
        return None
    cache = SqlGeocodeCache(engine, metadata) if spec.cache else None
    area = runtime.spec.service_area
    bbox = area.bbox if area is not None else None
    return build_geocoder(spec, runtime.folder, cache=cache, app=runtime.name, bbox=bbox, slots=shared_slots())


def shared_slots() -> SlotStore:
    """Where every worker reserves its turn at an online geocoder: Redis when REDIS_URL is set, else the instance folder."""
    url = current_app.config.get("REDIS_URL") or os.environ.get("REDIS_URL")
    if url:
        return RedisSlots(url)
    return FileSlots(Path(current_app.instance_path) / "geocoder-slots")


def derive_values(runtime: AppRuntime, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """`values` plus the table's derived fields (a district from a point, a 校下 from a town…)."""
    if runtime.deriver is None:
        return dict(values)
    return runtime.deriver.derive(table, values)
