"""bench/bench_dashboard.py runs (with a few rows) and its baseline counts what the dashboard counts."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_dashboard  # bench/ sits beside lowcode/, not inside it


def test_the_dashboard_bench_runs_and_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    result = bench_dashboard.run_bench(300, 1)
    assert set(result) == {"page", "charts", "baseline"} and all(seconds > 0 for seconds in result.values())
    bench_dashboard.report("SQLite", 300, result)
    assert "× the baseline" in capsys.readouterr().out
