"""The cost of a list search: the worst query a resident (or a script) can send, against a normal one.

A 50,000-row SQLite table with two search fields; the list page is fetched through the Flask test client.
Baseline, same run: the same list with a normal two-word query. Worst case: 100 one-letter words (what took
7–12 s before searches were bounded), and the 200 characters of the longest query split into distinct words.
"Unbounded" searches for every word, as before searches were bounded, for comparison.

Run: python bench/search_bench.py [--rows 50000] [--repeat 3]. Nothing but a temporary folder is touched.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lowcode.app import create_app
from lowcode.records import queries as listing  # where the list query chooses its search words
from lowcode.search import SearchWords

APP_YAML = """
title: Search bench
tables:
  reports:
    fields:
      title: {type: text, required: true}
      details: {type: textarea}
    seed: {file: data/reports.csv}
lists:
  reports: {table: reports, columns: [title], search: [title, details], page_size: 50}
"""
WORDS = ["道路", "横断歩道", "白線", "街灯", "公園", "歩道", "段差", "信号", "交差点", "小学校", "通学路", "カーブミラー", "側溝", "ふた", "穴", "落書き"]
NORMAL_QUERY = "横断歩道 白線"
ONE_LETTER_QUERY = " ".join("abcdefghijklmnopqrstuvwxyz0123456789"[i % 36] for i in range(100))
LONG_QUERY = " ".join(f"w{i}" for i in range(70))[:200]


def write_app(folder: Path, rows: int) -> Path:
    app = folder / "apps" / "bench"
    (app / "data").mkdir(parents=True)
    (app / "app.yaml").write_text(APP_YAML, encoding="utf-8")
    rng = random.Random(7)
    with (app / "data" / "reports.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "details"])
        for number in range(rows):
            title = "".join(rng.sample(WORDS, 3)) + f" no.{number} abc"
            # Every letter and digit in every row: the worst case, where no word rules a row out early.
            writer.writerow([title, " ".join(rng.sample(WORDS, 6)) + " The quick brown fox jumps over the lazy dog 0123456789"])
    return app


def every_word(query: str) -> SearchWords:
    """The words as they were chosen before searches were bounded: all of them, repeats included."""
    return SearchWords(tuple(query.split()), ())


def timed(fetch: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_app(Path(tmp), args.rows)
        app = create_app(folder, {"INSTANCE_PATH": str(Path(tmp) / "instance"), "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"})
        client = app.test_client()

        def page(query: str) -> Callable[[], Any]:
            def fetch() -> Any:
                response = client.get("/bench/lists/reports", query_string={"q": query})
                assert response.status_code == 200, response.status_code
                return response
            return fetch

        print(f"list search on {args.rows:,} rows (SQLite), median of {args.repeat}")
        normal = timed(page(NORMAL_QUERY), args.repeat)
        print(f"  normal two-word query (baseline)          {normal:8.3f} s")
        results = {}
        for label, query in (("100 one-letter words", ONE_LETTER_QUERY), ("200 characters of distinct words", LONG_QUERY)):
            results[label] = timed(page(query), args.repeat)
            print(f"  {label:<40} {results[label]:8.3f} s  {results[label] / normal:6.1f}x the normal query")
        bounded = listing.choose_search_words
        listing.choose_search_words = every_word
        try:
            before = timed(page(ONE_LETTER_QUERY), 1)
        finally:
            listing.choose_search_words = bounded
        print(f"  100 one-letter words, unbounded (before)  {before:8.3f} s  {before / normal:6.1f}x the normal query")
        worst = max(results.values())
        print(f"worst case / normal query: {worst / normal:.1f}x (before: {before / normal:.1f}x)")
        with app.app_context():
            app.extensions["lowcode"].db.engine.dispose()


if __name__ == "__main__":
    main()
