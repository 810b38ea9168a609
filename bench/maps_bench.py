"""Maps bench: the engine's map page and GeoJSON API at 100 and 100,000 rows, against a naive folium page.

    python bench/maps_bench.py                      # everything, Chromium included (about 1-2 minutes)
    python bench/maps_bench.py --no-browser         # without Chromium
    python bench/maps_bench.py --rows 100 10000 --naive-rows 2000

What runs is the engine itself: an app with a seed CSV of N hazard points per row count, seeded by create_app()
into SQLite, served by gunicorn with 2 workers on 127.0.0.1. Printed in one run, each with its target from
issue 3 and an OK / BELOW TARGET line:

* the map page (/<app>/maps/hazards): HTML size (≤ 100 KB) and time per request at N rows vs at the fewest
  (≤ 1.5×): the page only names the GeoJSON URL, so it must not grow with the rows;
* the GeoJSON endpoint for the whole extent: the first request (query and body built), later ones (the worker's
  cached body), raw and gzip size, and a conditional request with the ETag (304 expected);
* the naive folium page (one Marker with a popup per row, everything in the page) for the same rows: time and
  size, as the baseline ratio. Above --naive-rows it is measured at --naive-rows and scaled linearly (said so);
* Chromium (Playwright, system chromium): page open → the largest table's clusters drawn (≤ 5 s).

Times are to the last byte, seen from a client on the same machine (the loopback adds well under 1 ms).
Only 127.0.0.1 is contacted; the map has `basemap: none`.
"""
from __future__ import annotations

import argparse
import csv
import gc
import gzip
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import folium

from lowcode.maps.assets import localise_assets

APP_YAML = """
title: {ja: 通学路の危険箇所, en: School-route hazards}
service_area: {name: 金沢市, bbox: [136.4, 36.3, 136.9, 36.8]}
tables:
  hazards:
    fields:
      title: {type: text, label: {ja: 件名, en: Title}}
      theme:
        type: choice
        choices:
          - {key: traffic, label: {ja: 交通安全, en: Traffic}, color: "#d62728"}
          - {key: crime, label: {ja: 防犯, en: Crime}, color: "#9467bd"}
          - {key: disaster, label: {ja: 防災, en: Disaster}, color: "#2ca02c"}
      status:
        type: choice
        choices: [{key: new}, {key: checked}, {key: done}]
      place: {type: location}
    seed: {file: data/hazards.csv}
lists:
  hazards: {table: hazards, columns: [title, theme, status]}
maps:
  hazards:
    title: {ja: 危険箇所マップ, en: Hazard map}
    basemap: none
    layers:
      - {table: hazards, where: {status: [checked, done]}, color_by: theme, popup: [title, theme, status], tooltip: title}
"""
PAGE_TARGET_BYTES = 100 * 1024
PAGE_RATIO_TARGET = 1.5
BROWSER_TARGET_SECONDS = 5.0
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
Row = dict[str, Any]


# --- data ---


def make_rows(count: int) -> list[Row]:
    """Rows as storage hands them over: a location is a (lon, lat) tuple; all on the public map (checked/done)."""
    rng = random.Random(count)
    themes = ("traffic", "crime", "disaster")
    return [
        {"id": i, "title": f"危険箇所 {i}", "theme": themes[i % 3], "status": ("checked", "done")[i % 2],
         "place": (136.55 + rng.random() * 0.2, 36.50 + rng.random() * 0.15)}
        for i in range(count)
    ]


def app_name(count: int) -> str:
    return f"rows{count:07d}"  # one length for every count, so page sizes compare byte for byte


def write_apps(root: Path, counts: list[int]) -> Path:
    """One app per row count, each with the same YAML and a seed CSV of its rows."""
    for count in counts:
        folder = root / "apps" / app_name(count)
        (folder / "data").mkdir(parents=True)
        (folder / "app.yaml").write_text(APP_YAML, encoding="utf-8")
        with (folder / "data" / "hazards.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["title", "theme", "status", "lat", "lon"])
            for row in make_rows(count):
                lon, lat = row["place"]
                writer.writerow([row["title"], row["theme"], row["status"], f"{lat:.6f}", f"{lon:.6f}"])
    return root / "apps"


# --- the engine under gunicorn ---


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_engine(apps: Path, instance: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
               "--timeout", "120", f'lowcode:create_app("{apps}")']
    # Rate limits stay on (their cost is part of every request) but high enough for a load test.
    env = {**os.environ, "LOWCODE_INSTANCE": str(instance), "LOWCODE_LOG_LEVEL": "WARNING",
           "LOWCODE_RATE_LIMIT_API": "1000000/second"}
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(port, "/").status < 500:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the engine did not start on port {port}")


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Reply:
    """One GET on a new connection (gunicorn's sync workers close each one), timed to the last byte."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - start
    conn.close()
    return Reply(response.status, body, {k.lower(): v for k, v in response.getheaders()}, seconds)


def warm_both_workers(port: int, path: str, headers: dict[str, str] | None = None) -> None:
    """Two requests at once, twice: while one worker is busy the other takes the second, so both build their copy."""
    for _ in range(2):
        pool = [threading.Thread(target=fetch, args=(port, path, headers)) for _ in range(2)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()


def median_time(port: int, path: str, repeat: int, headers: dict[str, str] | None = None) -> tuple[float, Reply]:
    replies = [fetch(port, path, headers) for _ in range(repeat)]
    bad = [r.status for r in replies if r.status not in (200, 304)]
    if bad:
        raise RuntimeError(f"GET {path}: HTTP {bad[0]}")
    return statistics.median(r.seconds for r in replies), replies[-1]


# --- printing ---


def kb(size: float) -> str:
    return f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.2f} MB"


def line(label: str, seconds: float | None, size: float | None = None, extra: str = "") -> None:
    shown_time = f"{seconds * 1000:>10,.1f} ms" if seconds is not None else " " * 13
    shown_size = kb(size) if size is not None else ""
    print(f"  {label:<50} {shown_time}  {shown_size:>10}  {extra}".rstrip())


def verdict(ok: bool) -> str:
    return "OK" if ok else "BELOW TARGET"


# --- the measurements ---


@dataclass
class PageFigures:
    seconds: float
    size: int


def bench_map_page(port: int, counts: list[int], repeat: int) -> dict[int, PageFigures]:
    print("engine map page /<app>/maps/hazards (rows are fetched from the GeoJSON API, never written into the page):")
    figures = {}
    for count in counts:
        path = f"/{app_name(count)}/maps/hazards"
        warm_both_workers(port, path)  # each worker renders the map once and keeps it
        seconds, reply = median_time(port, path, repeat)
        figures[count] = PageFigures(seconds, len(reply.body))
        size_ok = len(reply.body) <= PAGE_TARGET_BYTES
        line(f"map page, table of {count:,} rows (median of {repeat})", seconds, len(reply.body),
             f"target ≤ 100 KB: {verdict(size_ok)}")
    first, last = min(counts), max(counts)
    ratio = figures[last].seconds / figures[first].seconds
    print(f"  page time at {last:,} rows / at {first:,} rows: {ratio:.2f}× "
          f"(target ≤ {PAGE_RATIO_TARGET}×) {verdict(ratio <= PAGE_RATIO_TARGET)}")
    print(f"  page size at {last:,} rows / at {first:,} rows: {figures[last].size / figures[first].size:.3f}×")
    return figures


def bench_geojson(port: int, counts: list[int], repeat: int) -> None:
    print("engine GeoJSON /<app>/api/hazards.geojson?map=hazards&layer=0, whole extent:")
    gzip_header = {"Accept-Encoding": "gzip"}
    for count in counts:
        path = f"/{app_name(count)}/api/hazards.geojson?map=hazards&layer=0"
        first = fetch(port, path, gzip_header)
        line(f"{count:,} rows: first request (query + body built), gzip", first.seconds, len(first.body))
        warm_both_workers(port, path, gzip_header)  # the other worker builds its copy too
        seconds, zipped = median_time(port, path, repeat, gzip_header)
        line(f"{count:,} rows: cached body, gzip (median of {repeat})", seconds, len(zipped.body))
        seconds, raw = median_time(port, path, max(1, repeat // 2))
        points = gzip.decompress(zipped.body).count(b'"Feature"')
        line(f"{count:,} rows: cached body, no gzip", seconds, len(raw.body),
             f"{points:,} points; gzip is {len(zipped.body) / len(raw.body):.0%} of raw")
        bench_not_modified(port, path, zipped, count)


def bench_not_modified(port: int, path: str, earlier: Reply, count: int) -> None:
    etag = earlier.headers.get("etag", "")
    reply = fetch(port, path, {"Accept-Encoding": "gzip", "If-None-Match": etag})
    ok = reply.status == 304
    line(f"{count:,} rows: If-None-Match with the ETag", reply.seconds, len(reply.body),
         f"HTTP {reply.status} (304 expected) {verdict(ok)}")


def naive_page(rows: list[Row]) -> str:
    """What a first attempt looks like: folium with one Marker (and popup) per row, all in the page."""
    fmap = folium.Map(location=[36.56, 136.65], zoom_start=13, tiles=None)
    for row in rows:
        lon, lat = row["place"]
        folium.Marker([lat, lon], popup=row["title"], tooltip=row["title"]).add_to(fmap)
    localise_assets(fmap, lambda path: "/static/" + path)
    return fmap.get_root().render()


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    gc.disable()  # as timeit does: a collection of the bench's own rows is not the code under test
    try:
        start = time.perf_counter()
        result = action()
        return time.perf_counter() - start, result
    finally:
        gc.enable()


def bench_naive(counts: list[int], naive_rows: int, pages: dict[int, PageFigures]) -> None:
    print("naive folium page (one Marker with popup per row, all rows in the HTML) for the same rows:")
    for count in counts:
        measured = min(count, naive_rows)
        rows = make_rows(count)[:measured]  # the same points the engine's app was seeded with
        seconds, html = timed(partial(naive_page, rows))
        size, scale = len(html.encode()), count / measured
        del html
        note = f"measured at {measured:,} rows, scaled ×{scale:,.0f} (linear)" if scale > 1 else ""
        line(f"naive page, {count:,} rows", seconds * scale, size * scale, note)
        ours = pages[count]
        print(f"    baseline ratio at {count:,} rows: naive is {seconds * scale / ours.seconds:,.0f}× the engine's "
              f"page time and {size * scale / ours.size:,.0f}× its size")


def bench_browser(port: int, count: int, runs: int = 3) -> None:
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
    if chromium is None:
        print("Chromium: not installed, skipped")
        return
    url = f"http://127.0.0.1:{port}/{app_name(count)}/maps/hazards"
    drawn = (f"() => document.querySelector('.lowcode-map').getAttribute('data-lowcode-points') === '{count}'"
             " && document.querySelector('.marker-cluster') !== null")
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1280, "height": 800})  # fresh: no HTTP cache
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(drawn, timeout=60_000, polling=50)
            times.append(time.perf_counter() - start)
            context.close()
        browser.close()
    seconds = statistics.median(times)
    print("Chromium (Playwright) against the engine: page open → clusters drawn:")
    line(f"{count:,} clustered points, median of {runs}", seconds, None,
         f"runs {', '.join(f'{t:.2f} s' for t in times)}; target ≤ {BROWSER_TARGET_SECONDS:.0f} s "
         f"{verdict(seconds <= BROWSER_TARGET_SECONDS)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--naive-rows", type=int, default=10_000, help="largest row count the naive page is built at")
    parser.add_argument("--repeat", type=int, default=50, help="requests per page measurement")
    parser.add_argument("--no-browser", action="store_true", help="leave Chromium out")
    args = parser.parse_args()
    counts = sorted(set(args.rows))
    with tempfile.TemporaryDirectory() as tmp:
        apps = write_apps(Path(tmp), counts)
        instance = Path(tmp) / "instance"
        from lowcode.app import create_app

        seconds, _ = timed(lambda: create_app(apps, {"INSTANCE_PATH": str(instance)}))
        print(f"seeded {', '.join(f'{c:,}' for c in counts)} rows into SQLite through create_app() in {seconds:.1f} s")
        port = free_port()
        engine = start_engine(apps, instance, port)
        try:
            print(f"engine: gunicorn -w 2 on 127.0.0.1:{port}, SQLite")
            pages = bench_map_page(port, counts, args.repeat)
            bench_geojson(port, counts, max(3, args.repeat // 6))
            bench_naive(counts, args.naive_rows, pages)
            if not args.no_browser:
                bench_browser(port, max(counts))
        finally:
            engine.terminate()
            engine.wait(10)


if __name__ == "__main__":
    main()
