"""The matching bench runs at tiny sizes and its two sides agree (the full run is `python bench/bench_matching.py`)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import bench_matching  # bench/ sits beside lowcode/, not inside it


def test_the_bench_runs_small_and_both_sides_find_the_same(monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["bench_matching.py", "--helpers", "400", "--requests", "60", "--loop-requests", "20"])
    bench_matching.main()
    out = capsys.readouterr().out
    assert "400 helpers × 60 requests" in out
    assert "ran on 20 requests" in out and "scaled linearly" in out
    assert "same top 5 on the 20 requests both ran: yes" in out
    assert "MiB" in out and "speed-up" in out


def test_the_full_loop_option_runs_every_request() -> None:
    result = bench_matching.run(helpers=200, requests=15, loop_requests=15)
    assert result["loop_requests"] == 15 and result["same_top"] is True
    assert result["loop_all_s"] == result["loop_s"] and result["engine_peak_mib"] > 0
