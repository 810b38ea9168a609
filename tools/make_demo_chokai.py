"""Write the neighbourhood-matching sample's DEMO 町会 and its 町丁目 → 町会 → 校下 table, deterministically.

No public list of Kanazawa's 町会, nor of which 町丁目 lies in which 校下, exists, so the sample invents both from
the real data it ships (towns.csv, districts.csv — both left untouched):

- a 校下 whose name begins some town names (森山 → 森山一丁目, 森山二丁目) gets the mean point of those towns (校下 no
  town name begins get no 町会);
- towns that share a name up to their 丁目 (広坂一丁目, 広坂二丁目) form one 町会 「【デモ】広坂町会」, in the 校下 nearest
  the mean point of its towns;
- each 町会's way in is its 校下 federation's office — a demo office, never a person's contact.

Run from the repository root: `python tools/make_demo_chokai.py`. The same input always gives the same files.
"""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "apps" / "neighbourhood_matching" / "data"
CHOME = re.compile(r"[一二三四五六七八九十0-9]+(丁目|番丁)$")
# A number no one answers: the demo must not send residents to a real telephone.
DEMO_PHONE = "076-000-0000"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def town_points(rows: list[dict[str, str]]) -> dict[str, tuple[float, float]]:
    """One point per town name: the first row without a 小字, else the first row (file order); rows without a point
    are left out (no 校下 can be chosen for them)."""
    points: dict[str, tuple[float, float]] = {}
    for row in sorted((r for r in rows if r["lat"] and r["lon"]), key=lambda r: bool(r["koaza"])):
        points.setdefault(row["town"], (float(row["lon"]), float(row["lat"])))
    return dict(sorted(points.items()))


def district_centres(districts: list[str], towns: dict[str, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """Row id (1-based, file order — the order the app seeds them) → mean point of the towns its name begins."""
    centres: dict[int, tuple[float, float]] = {}
    for number, name in enumerate(districts, start=1):
        inside = [point for town, point in towns.items() if town.startswith(name)]
        if inside:
            centres[number] = mean(inside)
    return centres


def nearest(point: tuple[float, float], centres: dict[int, tuple[float, float]]) -> int:
    scale = math.cos(math.radians(point[1]))  # degrees of longitude are shorter than degrees of latitude here
    return min(centres, key=lambda k: (((centres[k][0] - point[0]) * scale) ** 2 + (centres[k][1] - point[1]) ** 2, k))


def mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def chokai_base(town: str) -> str:
    return CHOME.sub("", town) or town


def main() -> None:
    towns = town_points(read_csv("towns.csv"))
    districts = [row["校下・地区"] for row in read_csv("districts.csv")]
    centres = district_centres(districts, towns)
    members: dict[str, list[str]] = {}
    for town in towns:
        members.setdefault(chokai_base(town), []).append(town)
    # A 町会 lies in one 校下: the one nearest the mean point of its towns.
    chokai = {base: (number, nearest(mean([towns[t] for t in names]), centres))
              for number, (base, names) in enumerate(sorted(members.items()), start=1)}
    mapping = [(town, *chokai[chokai_base(town)], point) for town, point in towns.items()]
    offices = {number: f"【デモ】{name}校下町会連合会 事務局 {DEMO_PHONE}(架空の番号)"
               for number, name in enumerate(districts, start=1)}
    with (DATA / "demo_chokai.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["name", "district", "office"])
        for base, (_, district) in chokai.items():
            out.writerow([f"【デモ】{base}町会", district, offices[district]])
    with (DATA / "demo_town_chokai.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        # The office is repeated on each town's row so that the find list shows how to join in one step.
        out.writerow(["town", "chokai", "district", "office", "lat", "lon"])
        for town, number, district, (lon, lat) in mapping:
            out.writerow([town, number, district, offices[district], lat, lon])
    print(f"{len(chokai)} demo 町会, {len(mapping)} towns, {len(centres)} of {len(districts)} 校下 used")


if __name__ == "__main__":
    main()
