"""Places bench: area lookups through the STRtree against a plain loop, and cached geocoding against HTTP.

Run: `python bench/places_bench.py`. Every figure is measured in this run and printed next to its baseline,
so the ratios hold on any machine; the targets from issue 4 are printed with them. Takes about 20-40 s.

baseline (areas): the straightforward code a competent developer writes without an index, a plain loop calling
`polygon.contains(Point(x, y))` on each polygon until one contains the point (issue 7, item 40). It is timed on a
sample of the points and scaled to all of them, which the output says. Printed for information, not as the
baseline: the same loop over polygons prepared with `shapely.prepare` (faster, but a step many would not know to
take), and the old baseline, `shapely.intersects_xy` per point and polygon (12-19x slower than the plain loop).
"""
from __future__ import annotations

import json
import math
import random
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point
from sqlalchemy import create_engine

from lowcode.places.areas import AreaIndex, NamedArea, naive_lookup
from lowcode.places.base import GeocodeResult
from lowcode.places.cache import CachedGeocoder, MemoryGeocodeCache, SqlGeocodeCache
from lowcode.places.online import NominatimGeocoder

BBOX = (136.55, 36.45, 136.80, 36.65)  # around Kanazawa: west, south, east, north
POLYGONS = 1_000
POINTS = 100_000
LOOP_SAMPLE = 2_000  # the loops are timed on a sample of the points and scaled: the whole run would take minutes
ADDRESSES = 1_000
CACHED_LOOKUPS = 20_000
HTTP_LOOKUPS = 200


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def make_polygons(rng: random.Random) -> list[NamedArea]:
    """1,000 irregular 24-gons on a 40 × 25 grid over the bbox, like districts: touching neighbours, no gaps."""
    west, south, east, north = BBOX
    columns, rows = 40, 25
    width, height = (east - west) / columns, (north - south) / rows
    areas = []
    for i in range(columns * rows):
        cx, cy = west + (i % columns + 0.5) * width, south + (i // columns + 0.5) * height
        ring = [
            (cx + math.cos(a) * width * rng.uniform(0.45, 0.7), cy + math.sin(a) * height * rng.uniform(0.45, 0.7))
            for a in (2 * math.pi * k / 24 for k in range(24))
        ]
        areas.append((f"area-{i:04d}", shapely.Polygon(ring)))
    return areas


def make_points(rng: random.Random, count: int) -> tuple[np.ndarray, np.ndarray]:
    west, south, east, north = BBOX
    lons = np.array([rng.uniform(west, east) for _ in range(count)])
    lats = np.array([rng.uniform(south, north) for _ in range(count)])
    return lons, lats


def plain_loop(areas: list[NamedArea], lon: float, lat: float) -> str | None:
    """The baseline: ask each polygon in turn whether it contains the point."""
    point = Point(lon, lat)
    for name, polygon in areas:
        if polygon.contains(point):
            return name
    return None


def prepared_copies(areas: list[NamedArea]) -> list[NamedArea]:
    """The same polygons, prepared (copies: preparing the index's own polygons would change what it is timed on)."""
    copies = [(name, shapely.from_wkb(polygon.wkb)) for name, polygon in areas]
    shapely.prepare([polygon for _, polygon in copies])
    return copies


def time_loop(lookup: Callable[[list[NamedArea], float, float], str | None], areas: list[NamedArea],
              sample: list[tuple[float, float]]) -> tuple[float, list[str | None]]:
    """Seconds for all POINTS (timed on the sample, scaled) and the sample's answers."""
    seconds, names = timed(lambda: [lookup(areas, x, y) for x, y in sample])
    return seconds * POINTS / len(sample), names


def bench_areas() -> None:
    rng = random.Random(4)
    areas = make_polygons(rng)
    lons, lats = make_points(rng, POINTS)
    build_seconds, index = timed(lambda: AreaIndex(areas))
    batch_seconds, batch = timed(lambda: index.lookup_many(lons, lats))
    single_seconds, single = timed(lambda: [index.lookup(x, y) for x, y in zip(lons.tolist(), lats.tolist())])
    sample = list(zip(lons[:LOOP_SAMPLE].tolist(), lats[:LOOP_SAMPLE].tolist()))
    plain_seconds, plain = time_loop(plain_loop, areas, sample)
    prepared_seconds, prepared = time_loop(plain_loop, prepared_copies(areas), sample)
    naive_seconds, naive = time_loop(naive_lookup, areas, sample)
    # contains() leaves out a polygon's boundary, intersects_xy() keeps it: random points never land exactly on one.
    assert batch == single and batch[:LOOP_SAMPLE] == plain == prepared == naive, "the index and the loops disagree"
    hits = sum(name is not None for name in batch)
    print(f"areas: {POLYGONS:,} polygons x {POINTS:,} points ({hits:,} inside an area)")
    print("  baseline: a plain loop calling polygon.contains(Point(x, y)) on each polygon, timed on "
          f"{LOOP_SAMPLE:,} points and scaled to {POINTS:,}")
    print(f"  plain loop, polygon.contains   {plain_seconds:8.2f} s  (the baseline)")
    print(f"  plain loop, prepared polygons  {prepared_seconds:8.2f} s  (information: shapely.prepare first; "
          f"{plain_seconds / prepared_seconds:.1f}x the baseline)")
    print(f"  intersects_xy per pair         {naive_seconds:8.2f} s  (information: the old baseline, "
          f"{naive_seconds / plain_seconds:.1f}x slower than the plain loop)")
    print(f"  STRtree build                  {build_seconds * 1000:8.1f} ms (once per data version)")
    print(f"  AreaIndex.lookup, one by one   {single_seconds:8.2f} s  {plain_seconds / single_seconds:7.1f}x the baseline")
    print(f"  AreaIndex.lookup_many          {batch_seconds:8.2f} s  {plain_seconds / batch_seconds:7.1f}x the baseline")
    print("  target: >= 20x the baseline and <= 1 s for the 100,000")


class FakeService:
    """An instant geocoder, so the cache figure measures the cache alone."""

    def geocode(self, address: str) -> GeocodeResult | None:
        return GeocodeResult(136.65, 36.56, address, "fake")

    def reverse(self, lon: float, lat: float) -> str | None:
        return None


def lookups_per_second(geocoder: Any, addresses: list[str], count: int) -> float:
    seconds, _ = timed(lambda: [geocoder.geocode(addresses[i % len(addresses)]) for i in range(count)])
    return count / seconds


def bench_cache() -> None:
    addresses = [f"金沢市広坂{n // 40 + 1}丁目{n % 40 + 1}-{n % 7 + 1}" for n in range(ADDRESSES)]
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        sql = CachedGeocoder(FakeService(), SqlGeocodeCache(engine), "bench")
        fill_seconds, _ = timed(lambda: [sql.geocode(a) for a in addresses])
        sql_rate = lookups_per_second(sql, addresses, CACHED_LOOKUPS)
        table_only = CachedGeocoder(FakeService(), SqlGeocodeCache(engine, recent=0), "bench")
        table_rate = lookups_per_second(table_only, addresses, CACHED_LOOKUPS)
        engine.dispose()
    memory = CachedGeocoder(FakeService(), MemoryGeocodeCache(), "bench")
    memory_rate = lookups_per_second(memory, addresses, CACHED_LOOKUPS)
    http_rate = http_lookups_per_second()
    print(f"geocode cache: {ADDRESSES:,} addresses, {CACHED_LOOKUPS:,} repeated lookups")
    print(f"  uncached, Nominatim client -> local HTTP stub {http_rate:10,.0f} /s (no network, no rate limit)")
    print(f"  first lookups, written to SQLite              {ADDRESSES / fill_seconds:10,.0f} /s")
    print(f"  cached, every lookup reads the SQLite table   {table_rate:10,.0f} /s  {table_rate / http_rate:6.0f}x uncached")
    print(f"  cached, SqlGeocodeCache (recent in memory)    {sql_rate:10,.0f} /s  {sql_rate / http_rate:6.0f}x uncached")
    print(f"  cached, in memory                             {memory_rate:10,.0f} /s  {memory_rate / http_rate:6.0f}x uncached")
    print("  target: cached lookups >= 10,000 /s")


def http_lookups_per_second() -> float:
    """The baseline: what every lookup would cost without the cache, against a server on this machine."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), AnswerEverything)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        client = NominatimGeocoder(
            user_agent="lowcode-bench", domain=f"127.0.0.1:{server.server_address[1]}", scheme="http", min_delay_seconds=0
        )
        return lookups_per_second(client, ["広坂"], HTTP_LOOKUPS)
    finally:
        server.shutdown()
        server.server_close()


class AnswerEverything(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real server would
    disable_nagle_algorithm = True  # else headers and body wait on each other for 40 ms

    def do_GET(self) -> None:
        body = json.dumps([{"lat": "36.56", "lon": "136.65", "display_name": "広坂"}]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def main() -> None:
    bench_areas()
    print()
    bench_cache()


if __name__ == "__main__":
    main()
