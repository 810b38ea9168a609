"""How long importing 100,000 CSV rows takes with full validation, against a bare SQLAlchemy bulk insert.

Ours: `check_import` (the file decoded, every column matched, every cell parsed — Japanese dates, full-width
digits, choices by label, a multichoice, a point — every row checked as a staff submission: required fields,
limits, choices, swapped coordinates) then `apply_import` (derived fields, statuses, inserts in chunks, the
version bumped, one audit entry), all in one transaction.
Baseline, same run, same database, same rows: what a competent developer writes — `csv.reader`, each cell
converted to its column's type (int, float, date, a JSON list) and one `executemany` insert in one transaction
into a table of the same columns: no checks, no messages, no audit.
Target: ours ≤ 10 s for 100,000 rows.

Run: python bench/bench_import.py [--rows 100000]; PostgreSQL too with DATABASE_URL=postgresql+psycopg://….
Nothing but a temporary folder (and, with DATABASE_URL, a schema it drops) is touched.
"""
from __future__ import annotations

import argparse
import cProfile
import csv
import datetime as dt
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_dashboard import database_url
from lowcode.app import create_app

APP_YAML = """
title: {ja: 危険箇所, en: Hazards}
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text, required: true, max_length: 80, label: {ja: 件名, en: Title}}
      details: {type: textarea, label: {ja: 詳しく, en: Details}}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: traffic, label: {ja: 交通, en: Traffic}}
          - {key: crime, label: {ja: 防犯, en: Crime}}
          - {key: disaster, label: {ja: 防災, en: Disaster}}
      times:
        type: multichoice
        label: {ja: 時間帯, en: When}
        choices: [{key: morning, label: {ja: 朝, en: Morning}}, {key: evening, label: {ja: 夕方, en: Evening}}]
      found_on: {type: date, label: {ja: 見つけた日, en: Found on}}
      cars: {type: integer, min: 0, label: {ja: 台数, en: Cars}}
      spot: {type: location, label: {ja: 場所, en: Spot}}
      status:
        type: choice
        choices: [{key: received}, {key: published, public: true}]
    workflow:
      field: status
      initial: received
      transitions: [{from: received, to: published}]
"""
HEADER = ["件名", "詳しく", "種類", "時間帯", "見つけた日", "台数", "場所 (緯度)", "場所 (経度)"]
KINDS = {"交通": "traffic", "防犯": "crime", "防災": "disaster"}
TIMES = {"朝": "morning", "夕方": "evening"}


def write_app(folder: Path) -> Path:
    app = folder / "apps" / "bench"
    app.mkdir(parents=True)
    (app / "app.yaml").write_text(APP_YAML, encoding="utf-8")
    return folder / "apps"


def csv_file(rows: int) -> bytes:
    """`rows` rows as staff would export them from Excel: UTF-8 with a BOM, labels, dates with slashes."""
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for number in range(rows):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
        writer.writerow([f"危険箇所 {number}", "見通しが悪い\n朝は車が多い" if number % 3 == 0 else "",
                         rng.choice(list(KINDS)), "、".join(rng.sample(list(TIMES), rng.randrange(3))),
                         f"{day.year}/{day.month}/{day.day}", str(rng.randrange(50)),
                         f"{36.5 + rng.random() / 10:.6f}", f"{136.6 + rng.random() / 10:.6f}"])
    return out.getvalue().encode("utf-8-sig")


def baseline_table(engine: sa.Engine) -> sa.Table:
    table = sa.Table(
        "baseline_hazards", sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True), sa.Column("ref", sa.String(16)),
        sa.Column("created_at", sa.DateTime), sa.Column("updated_at", sa.DateTime),
        sa.Column("title", sa.Text), sa.Column("details", sa.Text), sa.Column("kind", sa.Text),
        sa.Column("times", sa.JSON), sa.Column("found_on", sa.Date), sa.Column("cars", sa.Integer),
        sa.Column("spot_lon", sa.Float), sa.Column("spot_lat", sa.Float), sa.Column("status", sa.Text),
    )
    table.create(engine)
    return table


def baseline_import(engine: sa.Engine, table: sa.Table, data: bytes) -> int:
    """csv.reader, the types converted, one executemany in one transaction."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    next(reader)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = []
    for title, details, kind, times, found_on, cars, lat, lon in reader:
        year, month, day = found_on.split("/")
        rows.append({"ref": uuid.uuid4().hex[:16], "created_at": now, "updated_at": now, "title": title,
                     "details": details or None, "kind": KINDS[kind], "times": [TIMES[t] for t in times.split("、") if t],
                     "found_on": dt.date(int(year), int(month), int(day)), "cars": int(cars),
                     "spot_lon": float(lon), "spot_lat": float(lat), "status": "received"})
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)
    return len(rows)


def our_import(app: Any, data: bytes) -> tuple[int, float]:
    """Rows stored and the seconds the check alone took."""
    from lowcode.audit import Actor
    from lowcode.imports import apply_import, check_import

    runtime = app.extensions["lowcode"].runtimes["bench"]
    engine = app.extensions["lowcode"].db.engine
    with app.test_request_context("/?lang=ja"):
        started = time.perf_counter()
        report = check_import(runtime, engine, "hazards", data, {}, "ja")
        checked = time.perf_counter() - started
        assert report.ok, report.problems[:5]
        return apply_import(runtime, engine, "hazards", report, Actor("bench"), "bench.csv"), checked


def run_bench(rows: int, postgres: str | None = None, profile: bool = False) -> dict[str, float]:
    """Seconds for ours (and its check alone) and the baseline; both store the same rows."""
    data = csv_file(rows)
    with tempfile.TemporaryDirectory() as tmp, database_url(Path(tmp), postgres) as url:
        app = create_app(write_app(Path(tmp)), {"TESTING": True, "INSTANCE_PATH": str(Path(tmp) / "instance"),
                                                "DATABASE_URL": url})
        with app.app_context():
            engine = app.extensions["lowcode"].db.engine
            table = baseline_table(engine)
            started = time.perf_counter()
            assert baseline_import(engine, table, data) == rows
            baseline = time.perf_counter() - started
            profiler = cProfile.Profile() if profile else None
            started = time.perf_counter()
            if profiler is not None:
                profiler.enable()
            stored, checked = our_import(app, data)
            ours = time.perf_counter() - started
            if profiler is not None:
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            assert stored == rows
            same_rows(engine, table)
            engine.dispose()
    return {"ours": ours, "check": checked, "baseline": baseline}


def same_rows(engine: sa.Engine, baseline: sa.Table) -> None:
    """Both imports stored the same values (else the comparison would be unfair)."""
    ours = sa.Table("bench__hazards", sa.MetaData(), autoload_with=engine)
    columns = ["title", "details", "kind", "found_on", "cars", "spot_lon", "spot_lat", "status"]
    with engine.connect() as conn:
        mine = conn.execute(sa.select(*(ours.c[c] for c in columns), ours.c.times).order_by(ours.c.id)).all()
        theirs = conn.execute(sa.select(*(baseline.c[c] for c in columns), baseline.c.times)
                              .order_by(baseline.c.id)).all()
    normalise = [(tuple(row[:-1]), json.dumps(row[-1])) for row in mine]
    assert normalise == [(tuple(row[:-1]), json.dumps(row[-1])) for row in theirs], "the two imports differ"


def report(name: str, rows: int, result: dict[str, float]) -> None:
    print(f"{name}, {rows:,} CSV rows:")
    print(f"  lowcode import   {result['ours']:7.2f} s  (target ≤ 10 s; checking {result['check']:.2f} s; "
          f"{result['ours'] / result['baseline']:.1f}x the baseline)")
    print(f"  baseline         {result['baseline']:7.2f} s  (csv.reader, types converted, one executemany in one "
          "transaction: no checks)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print where our import spends its time")
    args = parser.parse_args()
    report("SQLite", args.rows, run_bench(args.rows, profile=args.profile))
    postgres = os.environ.get("DATABASE_URL", "")
    if postgres.startswith("postgresql"):
        report("PostgreSQL", args.rows, run_bench(args.rows, postgres))


if __name__ == "__main__":
    main()
