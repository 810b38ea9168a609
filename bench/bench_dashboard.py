"""How long a dashboard of five charts takes over 100,000 rows, against what a competent developer would write.

Ours: the public dashboard page through the Flask test client (audience rule, four GROUP BY queries and one count per
choice of a multichoice field, labels in the page's language, SVG, the data tables, the page), and the charts alone
(queries + SVG, no page).
Baseline, same run, same database: the same five queries written by hand with SQLAlchemy Core (public statuses, month
cut in Japan's time, share with SUM(CASE), a SUM(CASE WHEN the JSON text holds "key") per choice), and the same bars
drawn as an SVG string by a plain loop with `html.escape`: no labels in two languages, no gap filling, no page.
Target: the page under a second.

Run: python bench/bench_dashboard.py [--rows 100000] [--repeat 5]; PostgreSQL too with DATABASE_URL=postgresql+psycopg://….
Nothing but a temporary folder (and, with DATABASE_URL, a schema it drops) is touched.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lowcode.app import create_app

APP_YAML = """
title: {ja: 危険箇所, en: Hazards}
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      name: {type: text}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: traffic, label: {ja: 交通, en: Traffic}, color: "#d33"}
          - {key: crime, label: {ja: 防犯, en: Crime}}
          - {key: disaster, label: {ja: 防災, en: Disaster}}
          - {key: animal, label: {ja: 動物, en: Animals}}
          - {key: other, label: {ja: その他, en: Other}}
      fixed: {type: boolean, label: {ja: 対策済み, en: Fixed}}
      places:
        type: multichoice
        label: {ja: 場所, en: Places}
        choices: [road, school_road, crossing, night, night_light, park, river, station]
      status:
        type: choice
        choices:
          - {key: received}
          - {key: published, public: true}
          - {key: done, label: {ja: 対応済み, en: Done}, public: true}
    workflow:
      field: status
      initial: received
      transitions: [{from: received, to: published}, {from: published, to: done}]
lists:
  hazards: {table: hazards}
dashboards:
  overview:
    title: {ja: 状況, en: At a glance}
    charts:
      - {table: hazards, by: kind}
      - {table: hazards, by: created_at, per: month}
      - {table: hazards, share: {field: status, in: [done]}}
      - {table: hazards, by: kind, share: {field: status, in: [done]}, where: {fixed: true}}
      - {table: hazards, by: places}
"""
KINDS = ["traffic", "crime", "disaster", "animal", "other"]
PLACES = ["road", "school_road", "crossing", "night", "night_light", "park", "river", "station"]  # keys inside keys
PAGE = "/bench/dashboards/overview?lang=en"


def write_app(folder: Path) -> Path:
    app = folder / "apps" / "bench"
    app.mkdir(parents=True)
    (app / "app.yaml").write_text(APP_YAML, encoding="utf-8")
    return folder / "apps"


def fill(engine: sa.Engine, rows: int) -> None:
    """`rows` hazards over two years, most of them public, inserted in batches."""
    rng = random.Random(7)
    table = sa.Table("bench__hazards", sa.MetaData(), autoload_with=engine)
    start = dt.datetime(2025, 1, 1)
    batch: list[dict[str, Any]] = []
    with engine.begin() as conn:
        for number in range(rows):
            created = start + dt.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            batch.append({"ref": f"B{number:09d}", "created_at": created, "updated_at": created, "name": f"hazard {number}",
                          "kind": rng.choice(KINDS), "fixed": rng.random() < 0.4,
                          "places": rng.sample(PLACES, rng.choice([0, 1, 1, 2, 3])),
                          "status": rng.choices(["received", "published", "done"], [1, 5, 4])[0]})
            if len(batch) == 5000:
                conn.execute(table.insert(), batch)
                batch = []
        if batch:
            conn.execute(table.insert(), batch)


def baseline_counts(engine: sa.Engine, t: sa.Table) -> list[list[tuple[Any, ...]]]:
    """The five queries as one would write them by hand (the table reflected once, before timing)."""
    public = t.c.status.in_(["published", "done"])
    done = sa.func.sum(sa.case((t.c.status == "done", 1), else_=0))
    if engine.dialect.name == "postgresql":
        month: Any = sa.cast(sa.func.date_trunc("month", t.c.created_at + sa.text("interval '9 hours'")), sa.Date)
    else:
        month = sa.func.date(t.c.created_at, "+9 hours", "start of month")
    queries = [
        sa.select(t.c.kind, sa.func.count()).where(public).group_by(t.c.kind),
        sa.select(month, sa.func.count()).where(public).group_by(month).order_by(month),
        sa.select(sa.func.count(), done).where(public),
        sa.select(t.c.kind, sa.func.count(), done).where(public, t.c.fixed.is_(True)).group_by(t.c.kind),
        sa.select(*(sa.func.sum(sa.case((sa.cast(t.c.places, sa.Text).like(f'%"{key}"%'), 1), else_=0))
                    for key in PLACES)).where(public),
    ]
    with engine.connect() as conn:
        return [[tuple(line) for line in conn.execute(query)] for query in queries]


def baseline_svg(groups: list[tuple[Any, ...]]) -> str:
    """Bars as an SVG string, the plain loop."""
    largest = max((g[1] for g in groups), default=1) or 1
    parts = [f'<svg viewBox="0 0 360 {len(groups) * 40 + 8}" role="img">']
    for index, group in enumerate(groups):
        width = 296 * group[1] / largest
        parts.append(f'<text x="0" y="{index * 40 + 14}">{html.escape(str(group[0]))}</text>'
                     f'<rect x="0" y="{index * 40 + 20}" width="{width:.1f}" height="14"/>'
                     f'<text x="{width + 6:.1f}" y="{index * 40 + 32}">{group[1]}</text>')
    return "".join(parts) + "</svg>"


def baseline_dashboard(engine: sa.Engine, table: sa.Table) -> str:
    *grouped, per_place = baseline_counts(engine, table)
    return "".join(baseline_svg(groups) for groups in [*grouped, list(zip(PLACES, per_place[0]))])


def timed(runs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Median seconds of each run; the runs take turns in every round, so a busy machine slows them alike."""
    for run in runs.values():
        run()  # warm: templates compiled, statements cached, pages in the database's cache
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


@contextmanager
def database_url(folder: Path, postgres: str | None) -> Iterator[str]:
    if not postgres:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(postgres)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in postgres else "?"
    try:
        yield f"{postgres}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run_bench(rows: int, repeat: int, postgres: str | None = None) -> dict[str, float]:
    """Seconds (median) for our page, our charts alone and the baseline, over `rows` rows."""
    from lowcode.dashboards.charts import Words, build_charts
    from lowcode.dashboards.svg import render_chart
    from lowcode.views.dashboards import public_rows

    with tempfile.TemporaryDirectory() as tmp, database_url(Path(tmp), postgres) as url:
        app = create_app(write_app(Path(tmp)), {"TESTING": True, "INSTANCE_PATH": str(Path(tmp) / "instance"),
                                                "DATABASE_URL": url})
        with app.app_context():
            engine = app.extensions["lowcode"].db.engine
            runtime = app.extensions["lowcode"].runtimes["bench"]
            fill(engine, rows)
        table = sa.Table("bench__hazards", sa.MetaData(), autoload_with=engine)
        client = app.test_client()
        page = client.get(PAGE).get_data(as_text=True)
        public, done = baseline_counts(engine, table)[2][0]
        assert f"Done: {done} of {public}" in page, "the baseline and the dashboard count different rows"
        per_place = page.split("<caption>Hazards by Places</caption>", 1)[1].split("</tbody>", 1)[0]
        by_place = [str(n) for n in baseline_counts(engine, table)[4][0]]
        assert re.findall(r"<td>(\d+)</td>", per_place)[:len(PLACES)] == by_place and by_place.count("0") < len(PLACES)

        def charts_only() -> None:
            with app.test_request_context(PAGE):
                words = Words(lambda text, **kw: text % kw if kw else text, "en")
                for view in build_charts(runtime, engine, runtime.spec.dashboards["overview"], public_rows(runtime),
                                         words, public=True):
                    render_chart(view)

        result = timed({"page": lambda: client.get(PAGE), "charts": charts_only,
                        "baseline": lambda: baseline_dashboard(engine, table)}, repeat)
        with app.app_context():
            engine.dispose()
        return result


def report(name: str, rows: int, result: dict[str, float]) -> None:
    print(f"{name}, {rows:,} rows, 5 charts (one by a multichoice field):")
    print(f"  lowcode page      {result['page'] * 1000:8.1f} ms  (target < 1000 ms)")
    print(f"  lowcode charts    {result['charts'] * 1000:8.1f} ms  ({result['charts'] / result['baseline']:.2f}× the baseline)")
    print(f"  baseline          {result['baseline'] * 1000:8.1f} ms  (hand-written GROUP BY queries + SVG by a plain loop)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    report("SQLite", args.rows, run_bench(args.rows, args.repeat))
    postgres = os.environ.get("DATABASE_URL", "")
    if postgres.startswith("postgresql"):
        report("PostgreSQL", args.rows, run_bench(args.rows, args.repeat, postgres))


if __name__ == "__main__":
    main()
