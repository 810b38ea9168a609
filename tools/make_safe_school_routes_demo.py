"""Write the safe school-route sample app's demo data (issue 11): hazards near the real schools and their
countermeasures, every row marked 【デモ】 and `demo=1`.

Deterministic (a fixed random seed): running it again writes the same files. Run from the repository root:

    python tools/make_safe_school_routes_demo.py

The hazards file is seeded before the countermeasures file, into an empty table, so hazard row N (counting from 1)
gets id N; `demo_countermeasures.csv` refers to hazards by that id.
"""
from __future__ import annotations

import csv
import json
import math
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "apps" / "safe_school_routes" / "data"
DEMO = "【デモ】"
HAZARDS = 210
SEED = 11

# reason -> (theme, what a parent would call it, the countermeasures that fit: (actor, measure, timing))
REASONS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "no_sidewalk": ("traffic", "歩道が狭く車とすれ違う", [("road", "marking", "short"), ("road", "guardrail", "mid"), ("school", "route_change", "immediate")]),
    "cut_through": ("traffic", "抜け道で朝の交通量が多い", [("police", "zone30", "mid"), ("chokai", "watch", "immediate"), ("road", "marking", "short")]),
    "blind_crossing": ("traffic", "見通しの悪い交差点", [("road", "mirror", "short"), ("road", "marking", "short"), ("school", "safety_class", "immediate")]),
    "unsignalled_crossing": ("traffic", "信号のない横断歩道を渡る", [("police", "signal", "long"), ("police", "crosswalk", "mid"), ("chokai", "watch", "immediate")]),
    "speeding": ("traffic", "スピードを出す車が多い", [("police", "zone30", "mid"), ("road", "marking", "short"), ("school", "safety_class", "immediate")]),
    "snow": ("traffic", "冬に歩道が雪でふさがる", [("road", "snow_priority", "short"), ("chokai", "watch", "immediate")]),
    "dark": ("crime", "人通りが少なく夕方暗い", [("board", "street_light", "mid"), ("chokai", "watch", "immediate"), ("school", "route_change", "short")]),
    "suspicious": ("crime", "不審者の目撃があった", [("police", "watch", "immediate"), ("school", "safety_class", "immediate"), ("board", "street_light", "mid")]),
    "flood_slope": ("disaster", "大雨で冠水する・がけがある", [("road", "guardrail", "long"), ("school", "route_change", "short")]),
    "other": ("traffic", "工事車両の出入りが多い", [("school", "watch", "immediate"), ("road", "marking", "short")]),
}
REASON_WEIGHTS = {"no_sidewalk": 22, "cut_through": 14, "blind_crossing": 18, "unsignalled_crossing": 14, "speeding": 16,
                  "snow": 10, "dark": 12, "suspicious": 8, "flood_slope": 6, "other": 4}
# Mostly public statuses; a few received (not yet public) and closed ones, as in a running programme.
STATUS_WEIGHTS = {"received": 8, "published": 46, "inspected": 30, "planned": 28, "in_progress": 30, "done": 48,
                  "referred": 8, "duplicate": 5, "declined": 4, "hidden": 3}
# Countermeasures a hazard in this status has, and whether they are finished.
MEASURES_BY_STATUS = {"planned": (1, 1), "in_progress": (1, 2), "done": (1, 2)}
REPORTERS = ["parent", "parent", "parent", "pta", "pta", "resident", "chokai", "school"]
WHEN = ["morning", "afternoon", "evening"]
MEASURE_WORDS = {
    "route_change": "通学路を変更", "watch": "見守り活動", "safety_class": "交通安全教室", "crosswalk": "横断歩道を設置",
    "signal": "信号機を設置", "zone30": "ゾーン30の指定", "guardrail": "防護柵を設置", "marking": "路面標示・カラー舗装",
    "street_light": "防犯灯を設置", "mirror": "カーブミラーを設置", "snow_priority": "除雪の優先路線に指定",
}
PARTICIPANTS = "学校、PTA、道路管理者(市道路管理課)、金沢東警察署、教育委員会"
LAST_DAY = date(2026, 11, 30)  # no report comes in and no countermeasure is done after the data was made
OLDEST_DAYS = 545  # reports run over the last ~18 months, so the progress page's per-month chart has a shape
# How long ago (days before LAST_DAY) a report in this status came in: a report still 受付 is recent, one whose
# countermeasure is done had time for the joint inspection and the work.
AGE_BY_STATUS = {"received": (0, 20), "published": (0, OLDEST_DAYS), "inspected": (60, OLDEST_DAYS),
                 "planned": (90, OLDEST_DAYS), "in_progress": (120, OLDEST_DAYS), "done": (150, OLDEST_DAYS)}
OTHER_AGE = (14, OLDEST_DAYS)
# The demo 校区: Voronoi cells of the open schools, clipped to within TOWN_REACH_M of a town point, simplified.
LAT0 = 36.56
TOWN_REACH_M = 900
SCHOOL_REACH_M = 1200  # a school in the hills, far from any town point, still has the streets around it
SIMPLIFY_M = 25


def main() -> None:
    hazards, measures = demo_rows()
    districts = demo_districts()
    write(DATA / "demo_school_districts.csv", districts)  # the public map draws the table's polygons (no file)
    write(DATA / "demo_hazards.csv", hazards)
    write(DATA / "demo_countermeasures.csv", measures)
    print(f"{len(districts)} demo school districts, {len(hazards)} hazards, {len(measures)} countermeasures")


def demo_districts() -> list[dict[str, object]]:
    """One 【デモ】 校区 per open school: the school's Voronoi cell (every point nearer to it than to any other open
    school), clipped to where the city's towns are (each town point of towns.csv widened by TOWN_REACH_M, each school
    by SCHOOL_REACH_M). No public 校区 polygons exist for Kanazawa, so these only show how the app works: they are
    not the real districts."""
    from shapely import MultiPoint, Point, make_valid, set_precision
    from shapely.affinity import scale
    from shapely.ops import unary_union, voronoi_diagram

    schools = read_schools()
    squeeze = math.cos(math.radians(LAT0))  # lon degrees → lengths comparable with lat degrees, near Kanazawa
    points = [Point(float(row["lon"]) * squeeze, float(row["lat"])) for _, row in schools]
    reach = TOWN_REACH_M / 111_320
    towns = unary_union([Point(float(t["lon"]) * squeeze, float(t["lat"])).buffer(reach, 8)
                         for t in read_rows("towns.csv") if t["lat"] and t["lon"]]
                        + [point.buffer(SCHOOL_REACH_M / 111_320, 8) for point in points])
    cells = voronoi_diagram(MultiPoint(points), envelope=towns.envelope.buffer(reach))
    rows = []
    for (school_id, school), point in zip(schools, points):
        cell = next(c for c in cells.geoms if c.contains(point))
        shape = scale(cell.intersection(towns).simplify(SIMPLIFY_M / 111_320), xfact=1 / squeeze, yfact=1, origin=(0, 0))
        shape = make_valid(set_precision(shape, 1e-6))
        rows.append({
            "name": f"{DEMO}{school['name']}区(学校の位置から機械的に作った目安・正式な校区ではありません)",
            "school": school_id,
            "area": json.dumps(polygonal(shape), separators=(",", ":")),
            "demo": 1,
        })
    return rows


def polygonal(shape: Any) -> dict[str, Any]:
    """The shape's polygons as GeoJSON (a repaired shape may carry stray lines or points, which are not areas)."""
    from shapely import MultiPolygon, Polygon
    from shapely.geometry import mapping

    parts = [g for g in getattr(shape, "geoms", [shape]) if isinstance(g, Polygon | MultiPolygon) and not g.is_empty]
    flat = [p for g in parts for p in getattr(g, "geoms", [g])]
    return dict(mapping(flat[0] if len(flat) == 1 else MultiPolygon(flat)))


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def demo_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """The demo hazards and countermeasures, the same on every run."""
    rng = random.Random(SEED)
    schools = read_schools()
    hazards = [demo_hazard(rng, number, schools) for number in range(1, HAZARDS + 1)]
    measures = [m for number, h in enumerate(hazards, start=1) for m in demo_countermeasures(rng, number, h)]
    return hazards, measures


def read_schools() -> list[tuple[int, dict[str, str]]]:
    """(id, row) of the open schools; ids follow schools.csv's order, as its seed inserts them."""
    rows = read_rows("schools.csv")
    return [(number, row) for number, row in enumerate(rows, start=1) if row["is_former_school"] != "1"]


def demo_hazard(rng: random.Random, number: int, schools: list[tuple[int, dict[str, str]]]) -> dict[str, object]:
    school_id, school = rng.choice(schools)
    reason = weighted(rng, REASON_WEIGHTS)
    theme, words, _ = REASONS[reason]
    status = weighted(rng, STATUS_WEIGHTS)
    lat, lon = jitter(rng, float(school["lat"]), float(school["lon"]))
    reported = LAST_DAY - timedelta(days=rng.randint(*AGE_BY_STATUS.get(status, OTHER_AGE)))
    made_at = datetime.combine(reported, time(rng.randint(6, 21), rng.randint(0, 59)))  # Japan time
    inspected = status in ("inspected", "planned", "in_progress", "done")
    return {
        "title": f"{DEMO}{words}({school['name']}付近)",
        "theme": theme,
        "reason": reason,
        "reason_other": "工事車両の出入り" if reason == "other" else "",
        "when_seen": ",".join(sorted(rng.sample(WHEN, rng.randint(1, 2)), key=WHEN.index)),
        "description": f"{DEMO}これは説明用の架空の報告です。{school['name']}の通学路で、{words}。",
        "school": school_id,
        "lat": f"{lat:.6f}",
        "lon": f"{lon:.6f}",
        "reporter_type": rng.choice(REPORTERS),
        "status": status,
        "decline_reason": f"{DEMO}私有地内のため市では対応できません。" if status == "declined" else "",
        "inspected_on": (reported + timedelta(days=rng.randint(20, 50))).isoformat() if inspected else "",
        "inspection_participants": PARTICIPANTS if inspected else "",
        "consent": 1,
        "demo": 1,
        "created_at": made_at.strftime("%Y-%m-%d %H:%M"),
    }


def demo_countermeasures(rng: random.Random, hazard_id: int, hazard_row: dict[str, object]) -> list[dict[str, object]]:
    status = str(hazard_row["status"])
    if status not in MEASURES_BY_STATUS:
        return []
    low, high = MEASURES_BY_STATUS[status]
    options = REASONS[str(hazard_row["reason"])][2]
    chosen = rng.sample(options, min(len(options), rng.randint(low, high)))
    base = date.fromisoformat(str(hazard_row["inspected_on"]))
    return [measure(rng, hazard_id, hazard_row, actor, what, timing, base, status) for actor, what, timing in chosen]


def measure(rng: random.Random, hazard_id: int, hazard_row: dict[str, object], actor: str, what: str, timing: str,
            base: date, status: str) -> dict[str, object]:
    planned = base + timedelta(days={"immediate": 7, "short": 60, "mid": 180, "long": 365}[timing] + rng.randint(0, 20))
    done = status == "done" or (status == "in_progress" and timing == "immediate")
    finished = base + timedelta(days=rng.randint(3, max(3, (LAST_DAY - base).days))) if done else None
    planned = min(planned, finished) if finished else planned  # a finished measure was not planned for after it
    note = "実施しました。" if done else ("工事の発注準備中です。" if status == "in_progress" else "予算要求中です。")
    return {
        "title": f"{DEMO}{MEASURE_WORDS[what]}",
        "hazard": hazard_id,
        "school": hazard_row["school"],
        "actor": actor,
        "measure": what,
        "timing": timing,
        "progress": "done" if done else ("under_way" if status == "in_progress" else "planned"),
        "notes": f"{DEMO}{note}",
        "planned_on": planned.isoformat(),
        "done_on": finished.isoformat() if finished else "",
        "demo": 1,
    }


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def jitter(rng: random.Random, lat: float, lon: float) -> tuple[float, float]:
    """A point 150–600 m from the school, in a random direction: on the routes pupils walk."""
    distance = rng.uniform(150, 600)
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111_320
    dlon = distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
