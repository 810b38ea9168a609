"""bench/bench_import.py runs (with a few rows, on both databases), stores the same rows as its baseline, and prints
both figures and the ratio."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_import  # bench/ sits beside lowcode/, not inside it


def test_the_import_bench_runs_and_prints_its_figures(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    postgres = database.split("?")[0] if database.startswith("postgresql") else None  # the bench makes its schema
    result = bench_import.run_bench(300, postgres)  # asserts that both imports stored the same 300 rows
    assert set(result) == {"ours", "check", "baseline"} and all(seconds > 0 for seconds in result.values())
    bench_import.report("test", 300, result)
    out = capsys.readouterr().out
    assert "lowcode import" in out and "x the baseline" in out and "one executemany in one transaction" in out


def test_the_bench_file_is_what_staff_would_import() -> None:
    data = bench_import.csv_file(30).decode("utf-8-sig")
    assert data.startswith(",".join(bench_import.HEADER)) and "見通しが悪い\n朝は車が多い" in data
