"""Matching bench: 10,000 helpers × 2,000 requests → the top 5 helpers of each request (issue 12).

Run: `python bench/bench_matching.py [--helpers N] [--requests N] [--loop-requests N | --full-loop]`.
Every figure is measured in this run and printed beside its baseline; the targets are ≤ 0.7 s and ≥ 20×.

engine: `lowcode.matching.rank` (numpy: tiles of nearby requests × the helpers within their reach), timed end to
end, from the rows to the matches (each match words its reasons when read: `Match.parts`).
baseline: the all-pairs loop a competent developer writes for this one matching, by hand: for each request, each
helper — haversine, the set overlaps, the capacity share, the same 校下 — then `heapq.nsmallest(5, …)`. It is not
given the engine's generality (it knows the weights and fields), which only makes it faster. By default it runs on
the first 200 requests (10% of 2,000) against every helper and its time is scaled linearly to all requests (each
request costs the same: every helper is scored); `--full-loop` runs it on every request (about 2 minutes here).
memory: peak traced by tracemalloc (numpy's arrays included) in a second run of each, as tracing slows Python code.
check: both give the same top 5 (ids, in order) for every request the loop ran on.
CPU seconds and the load average are printed too: on a shared box, other processes stretch wall times (both sides
alike, so the ratio holds better than the seconds).
"""
from __future__ import annotations

import argparse
import datetime as dt
import heapq
import math
import os
import random
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from lowcode.matching import rank
from lowcode.matching.engine import distance_key, score_key
from lowcode.spec.matching import WEEKDAY_KEYS, MatchingSpec
from lowcode.spec.models import TableSpec

CATEGORIES = ("snow", "festival", "patrol", "elderly", "cleaning", "drill", "digital", "other")
DISTRICTS = tuple(f"district_{i:02}" for i in range(62))  # Kanazawa has 62 校下
LON, LAT = (136.55, 136.78), (36.47, 36.66)  # roughly Kanazawa
WEIGHTS = {"category": 3.0, "distance": 2.0, "dates": 2.0, "capacity": 1.0, "same_area": 1.0}
MAX_KM, DECAY_KM = 5.0, 1.5
TOP = 5
Row = dict[str, Any]

REQUESTS = TableSpec.model_validate({"fields": {
    "category": {"type": "choice", "choices": [{"key": c} for c in CATEGORIES]},
    "day": {"type": "date"},
    "people": {"type": "integer"},
    "place": {"type": "location"},
    "district": {"type": "text", "label": {"ja": "校下", "en": "District"}},
}})
HELPERS = TableSpec.model_validate({"fields": {
    "categories": {"type": "multichoice", "choices": [{"key": c} for c in CATEGORIES]},
    "days": {"type": "multichoice", "choices": [{"key": d} for d in WEEKDAY_KEYS]},
    "people": {"type": "integer"},
    "home": {"type": "location"},
    "district": {"type": "text", "label": {"ja": "校下", "en": "District"}},
}})
SPEC = MatchingSpec.model_validate({"requests": "requests", "helpers": "helpers", "top": TOP, "criteria": [
    {"kind": "category", "request_field": "category", "helper_field": "categories", "weight": WEIGHTS["category"]},
    {"kind": "distance", "request_field": "place", "helper_field": "home", "weight": WEIGHTS["distance"],
     "max_km": MAX_KM, "decay_km": DECAY_KM},
    {"kind": "dates", "request_field": "day", "helper_field": "days", "weight": WEIGHTS["dates"]},
    {"kind": "capacity", "request_field": "people", "helper_field": "people", "weight": WEIGHTS["capacity"]},
    {"kind": "same_area", "request_field": "district", "helper_field": "district", "weight": WEIGHTS["same_area"]},
]})


def make_rows(helpers: int, requests: int, seed: int = 12) -> tuple[list[Row], list[Row]]:
    """Random requests and helpers around Kanazawa, as the records layer reads them."""
    rng = random.Random(seed)

    def point() -> tuple[float, float]:
        return (round(rng.uniform(*LON), 6), round(rng.uniform(*LAT), 6))

    start = dt.date(2027, 1, 4)
    request_rows = [{"id": i + 1, "category": rng.choice(CATEGORIES), "day": start + dt.timedelta(days=rng.randrange(60)),
                     "people": rng.randint(1, 10), "place": point(), "district": rng.choice(DISTRICTS)}
                    for i in range(requests)]
    helper_rows = [{"id": i + 1, "categories": rng.sample(CATEGORIES, rng.randint(1, 3)),
                    "days": rng.sample(WEEKDAY_KEYS, rng.randint(1, 4)), "people": rng.randint(1, 20), "home": point(),
                    "district": rng.choice(DISTRICTS)}
                   for i in range(helpers)]
    return request_rows, helper_rows


def plain_loop(requests: list[Row], helpers: list[Row]) -> list[list[int]]:
    """The baseline: every pair scored in Python, the best 5 kept (same order rule as the engine)."""
    w = WEIGHTS
    total_weight = sum(w.values())
    best = []
    for request in requests:
        lon1, lat1 = map(math.radians, request["place"])
        weekday = WEEKDAY_KEYS[request["day"].weekday()]
        scored = []
        for helper in helpers:
            lon2, lat2 = map(math.radians, helper["home"])
            hav = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
            km = 2 * 6371.0088 * math.asin(math.sqrt(hav))
            if km > MAX_KM:
                continue
            category = 1.0 if request["category"] in helper["categories"] else 0.0
            near = 0.5 ** (km / DECAY_KM)
            days = 1.0 if weekday in helper["days"] else 0.0
            capacity = min(helper["people"], request["people"]) / request["people"]
            area = 1.0 if request["district"] == helper["district"] else 0.0
            total = (w["category"] * category + w["distance"] * near + w["dates"] * days + w["capacity"] * capacity
                     + w["same_area"] * area) / total_weight
            if score_key(total) > 0:
                scored.append((-score_key(total), distance_key(km), helper["id"]))
        best.append([helper_id for _, _, helper_id in heapq.nsmallest(TOP, scored)])
    return best


def engine_top(requests: list[Row], helpers: list[Row]) -> list[list[int]]:
    return [[m.helper_id for m in r.matches] for r in rank(SPEC, REQUESTS, HELPERS, requests, helpers)]


def timed(func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds of this process, and the result."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - start, time.process_time() - cpu, result


def peak_mib(func: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(helpers: int, requests: int, loop_requests: int, memory_requests: int = 20) -> dict[str, Any]:
    request_rows, helper_rows = make_rows(helpers, requests)
    loop_rows = request_rows[:loop_requests]
    engine_s, engine_cpu_s, engine_result = timed(lambda: engine_top(request_rows, helper_rows))
    loop_s, loop_cpu_s, loop_result = timed(lambda: plain_loop(loop_rows, helper_rows))
    scale = requests / len(loop_rows)
    loop_all_s = loop_s * scale
    return {
        "helpers": helpers, "requests": requests, "loop_requests": len(loop_rows),
        "engine_s": engine_s, "loop_s": loop_s, "loop_all_s": loop_all_s, "speedup": loop_all_s / engine_s,
        "engine_cpu_s": engine_cpu_s, "loop_all_cpu_s": loop_cpu_s * scale,
        "cpu_speedup": loop_cpu_s * scale / max(engine_cpu_s, 1e-9),
        "engine_peak_mib": peak_mib(lambda: engine_top(request_rows, helper_rows)),
        "loop_peak_mib": peak_mib(lambda: plain_loop(request_rows[:memory_requests], helper_rows)),
        "same_top": engine_result[:len(loop_rows)] == loop_result,
        "unmatched": sum(1 for picks in engine_result if not picks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--loop-requests", type=int, default=200, help="requests the plain loop runs on (scaled)")
    parser.add_argument("--full-loop", action="store_true", help="run the plain loop on every request")
    args = parser.parse_args()
    loop_requests = args.requests if args.full_loop else min(args.loop_requests, args.requests)
    r = run(args.helpers, args.requests, loop_requests)
    scaled = "" if r["loop_requests"] == r["requests"] else \
        f" (ran on {r['loop_requests']} requests in {r['loop_s']:.2f} s, scaled linearly)"
    print(f"{r['helpers']:,} helpers × {r['requests']:,} requests → top {TOP} each")
    print(f"  engine (numpy):      {r['engine_s']:.3f} s (CPU {r['engine_cpu_s']:.3f} s)   target ≤ 0.7 s   "
          f"peak {r['engine_peak_mib']:.1f} MiB")
    print(f"  plain Python loop:   {r['loop_all_s']:.2f} s (CPU {r['loop_all_cpu_s']:.2f} s){scaled}   "
          f"peak {r['loop_peak_mib']:.1f} MiB (20 requests)")
    print(f"  speed-up:            {r['speedup']:.0f}× (CPU {r['cpu_speedup']:.0f}×)   target ≥ 20×")
    print(f"  same top {TOP} on the {r['loop_requests']} requests both ran: {'yes' if r['same_top'] else 'NO'}")
    print(f"  requests without any match: {r['unmatched']}")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other processes stretch wall times)")


if __name__ == "__main__":
    main()
