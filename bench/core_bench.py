"""Core speed targets, printed as ratios against baselines measured in the same run.

1. List page (50 rows of a 10,000-row table) and form POST, gunicorn with 2 workers: lowcode vs the hand-written
   Flask + Flask-SQLAlchemy app in baseline_app.py over the same SQLite database. Target: ratio >= 0.9.
2. Start-up of each sample app (load YAML, build tables and forms): target < 1 s.
3. `lowcode validate` of a generated 50-table app: target < 1 s.

Run: python bench/core_bench.py [--seconds 5]. Only 127.0.0.1 is contacted; every loop is bounded in time.
"""
from __future__ import annotations

import argparse
import csv
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP_YAML = """
title: Bench
tables:
  hazards:
    fields:
      title: {type: text, required: true, max_length: 80}
      theme:
        type: choice
        required: true
        choices:
          - {key: traffic, label: 交通安全}
          - {key: crime, label: 防犯}
          - {key: disaster, label: 防災}
      description: {type: textarea, max_length: 2000}
      status: {type: text, default: received}
    seed: {file: data/hazards.csv}
forms:
  report: {table: hazards, fields: [title, theme, description]}
lists:
  hazards: {table: hazards, columns: [title, theme, status], page_size: 50, sort: -created_at}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_bench_app(folder: Path, rows: int) -> Path:
    app = folder / "apps" / "bench"
    (app / "data").mkdir(parents=True)
    (app / "app.yaml").write_text(APP_YAML, encoding="utf-8")
    themes = ["traffic", "crime", "disaster"]
    with (app / "data" / "hazards.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "theme", "description", "status"])
        for i in range(rows):
            writer.writerow([f"危険箇所 {i} 横断歩道の近く", random.choice(themes), "見通しが悪い交差点です。" * 3, "received"])
    return folder / "apps"


def start_gunicorn(target: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", target]
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)
    wait_until_up(port)
    return process


def wait_until_up(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


def hammer(port: int, method: str, path: str, body: str, seconds: float, threads: int = 4) -> float:
    """Requests per second that got the expected status, over `seconds`, from `threads` keep-alive clients."""
    counts = [0] * threads
    deadline = time.monotonic() + seconds
    expected = 200 if method == "GET" else 303
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != expected:
                raise RuntimeError(f"{method} {path}: HTTP {response.status}")
            counts[index] += 1
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    start = time.monotonic()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.monotonic() - start)


def compare(name: str, ours: tuple[int, str, str, str], base: tuple[int, str, str, str], seconds: float) -> None:
    results: dict[str, list[float]] = {"lowcode": [], "baseline": []}
    for _ in range(2):  # alternate to spread the machine's noise over both
        results["baseline"].append(hammer(*base, seconds))
        results["lowcode"].append(hammer(*ours, seconds))
    low, baseline = max(results["lowcode"]), max(results["baseline"])
    verdict = "OK" if low / baseline >= 0.9 else "BELOW TARGET"
    print(f"{name:28} lowcode {low:7.1f}/s  baseline {baseline:7.1f}/s  ratio {low / baseline:5.2f}  (target >= 0.90) {verdict}")


def bench_throughput(seconds: float) -> None:
    from lowcode.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        apps = write_bench_app(Path(tmp), 10_000)
        instance = Path(tmp) / "instance"
        create_app(apps, {"INSTANCE_PATH": str(instance)})  # creates and seeds the database once
        env = {"LOWCODE_INSTANCE": str(instance), "LOWCODE_LOG_LEVEL": "WARNING"}
        ours_port, base_port = free_port(), free_port()
        ours = start_gunicorn(f'lowcode:create_app("{apps}", {{"WTF_CSRF_ENABLED": False}})', ours_port, env)
        base = start_gunicorn("bench.baseline_app:create_app()", base_port,
                              {"BASELINE_DB": f"sqlite:///{instance / 'lowcode.sqlite3'}"})
        try:
            body = urlencode({"title": "ベンチの報告", "theme": "traffic", "description": "横断歩道の近く"})
            compare("list page (50 of 10,000)", (ours_port, "GET", "/bench/lists/hazards", ""), (base_port, "GET", "/items", ""), seconds)
            compare("form POST", (ours_port, "POST", "/bench/forms/report", body), (base_port, "POST", "/report", body), seconds)
        finally:
            for process in (ours, base):
                process.terminate()
                process.wait(10)


def bench_startup() -> None:
    import sqlalchemy as sa

    from lowcode.forms import build_form_class
    from lowcode.runtime import build_runtime
    from lowcode.spec.loader import load_app_spec

    for folder in sorted((ROOT / "apps").iterdir()):
        if not (folder / "app.yaml").is_file():
            continue
        start = time.perf_counter()
        runtime = build_runtime(load_app_spec(folder), sa.MetaData())
        for form_name in runtime.spec.forms:
            for lang in runtime.spec.languages:
                build_form_class(runtime, form_name, lang)
        elapsed = time.perf_counter() - start
        print(f"start-up {folder.name:22} {elapsed * 1000:7.1f} ms  (target < 1000 ms) {'OK' if elapsed < 1 else 'SLOW'}")


def fifty_table_yaml() -> str:
    lines = ["title: Fifty tables", "tables:"]
    for t in range(50):
        lines += [f"  table_{t}:", "    fields:"]
        lines += [f"      text_{f}: {{type: text, required: true, max_length: 100}}" for f in range(6)]
        lines += ["      kind: {type: choice, choices: [{key: a, label: {ja: あ, en: A}}, {key: b, label: B}]}",
                  "      when: {type: date}", "      place: {type: location}", f"      other: {{type: reference, to: table_{(t + 1) % 50}}}"]
    lines += ["forms:"] + [f"  form_{t}: {{table: table_{t}}}" for t in range(50)]
    lines += ["lists:"] + [f"  list_{t}: {{table: table_{t}, search: [text_0], filters: [kind, when]}}" for t in range(50)]
    return "\n".join(lines) + "\n"


def bench_validate() -> None:
    from lowcode.spec.loader import load_app_spec

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fifty"
        folder.mkdir()
        (folder / "app.yaml").write_text(fifty_table_yaml(), encoding="utf-8")
        start = time.perf_counter()
        loaded = load_app_spec(folder)
        in_process = time.perf_counter() - start
        assert not loaded.errors, [p.render() for p in loaded.errors]
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lowcode.cli", "validate", str(folder)], check=True, capture_output=True)
        whole = time.perf_counter() - start
        print(f"validate 50 tables: in-process {in_process * 1000:.0f} ms, whole command {whole * 1000:.0f} ms "
              f"(target < 1000 ms) {'OK' if whole < 1 else 'SLOW'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each load round")
    args = parser.parse_args()
    bench_startup()
    bench_validate()
    bench_throughput(args.seconds)


if __name__ == "__main__":
    main()
