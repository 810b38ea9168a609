"""Write the neighbourhood-matching sample's DEMO help requests and helpers, deterministically.

The matching page needs both sides to show anything, and no real list of either exists (nor should one be
published), so the sample invents them from the demo 町会 (`demo_chokai.csv`, `demo_town_chokai.csv`, written by
tools/make_demo_chokai.py — run that first) and the real town points:

- help requests: posted by demo 町会, at one of their towns' points, for the season (除雪 in January and February,
  年末夜警 in December, どんど焼き in January, 防災訓練 in March…), mostly open;
- helpers: individuals (nicknames), student groups of invented schools and invented businesses, each starting from
  a real town's point (moved a little), with a 校下, categories, weekdays, people and how far they will travel.

Every name starts with 「【デモ】」; every contact is fake (000-0000-0000, …@example.invalid). The status column is
set (`open`, `published`…): a seed row keeps the status its file gives (lowcode/records/workflow.py `seed_status`).

Run from the repository root: `python tools/make_demo_matching.py`. The same input always gives the same files.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "apps" / "neighbourhood_matching" / "data"
SEED = 12  # issue 12
REQUESTS = 60
HELPERS = 96
DEMO = "【デモ】"
DEMO_PHONE = "000-0000-0000"  # no one answers it
DEMO_MAIL = "example.invalid"  # a domain that can never exist (RFC 2606)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# (title, categories, first day, last day, people) — the season of the sample: December 2026 to March 2027.
REQUEST_KINDS = [
    ("高齢者宅の前の除雪", "snow", "2027-01-08", "2027-02-25", (2, 6)),
    ("通学路の歩道の除雪", "snow", "2027-01-08", "2027-02-25", (3, 10)),
    ("ごみステーションまわりの除雪", "snow", "2027-01-08", "2027-02-25", (2, 4)),
    ("一人暮らしの方の屋根雪下ろしの見守り", "snow,elderly", "2027-01-15", "2027-02-20", (2, 5)),
    ("年末の夜警(火の用心の見回り)", "patrol", "2026-12-20", "2026-12-30", (3, 8)),
    ("下校時の見守り・防犯パトロール", "patrol", "2026-12-07", "2027-03-19", (2, 6)),
    ("どんど焼きの準備と片づけ", "festival", "2027-01-10", "2027-01-17", (4, 12)),
    ("町会の新年会・餅つきの手伝い", "festival", "2027-01-09", "2027-01-24", (3, 8)),
    ("節分の豆まき行事の手伝い", "festival", "2027-01-30", "2027-02-03", (2, 6)),
    ("一人暮らしの高齢者への声かけ訪問", "elderly", "2026-12-05", "2027-03-28", (2, 4)),
    ("ふれあいサロンの運営の手伝い", "elderly,festival", "2026-12-05", "2027-03-28", (2, 5)),
    ("公園と側溝の清掃", "cleaning", "2027-03-06", "2027-03-28", (5, 15)),
    ("用水の清掃(春の一斉清掃)", "cleaning", "2027-03-13", "2027-03-28", (6, 20)),
    ("冬の防災訓練(避難所の設営)", "drill", "2027-01-17", "2027-03-11", (4, 12)),
    ("電子回覧板の使い方講座の講師", "digital", "2026-12-05", "2027-03-28", (1, 3)),
    ("町会のお知らせのスマホ配信の手伝い", "digital", "2026-12-05", "2027-03-28", (1, 2)),
]
# Mostly open (the matching page ranks helpers for these); a few of every other status.
REQUEST_STATUSES = ["open"] * 42 + ["filled"] * 8 + ["draft"] * 5 + ["done"] * 5

NICKNAMES = ["さくら", "ゆきかき名人", "ひがしの住人", "もりやまの父", "はるか", "けんた", "犀川ランナー", "まめ",
             "こまち", "のんびり", "たけし", "みどり", "兼六のとなり", "あさのがわ", "ひろ", "なおみ", "週末ボランティア",
             "しんご", "元消防団", "パソコン好き", "ちえ", "よしお", "朝型人間", "ゆう"]
SCHOOLS = ["北陸みらい大学", "金沢さくら学院大学", "加賀の森大学", "犀川工科専門学校", "浅野川看護専門学校",
           "兼六国際大学", "卯辰山高等学校", "白鳥路学園高等学校"]
CLUBS = ["雪かき隊", "地域連携サークル", "ボランティア部", "まちづくりゼミ", "祭り研究会", "防災サークル",
         "情報ボランティア部", "福祉サークル"]
BUSINESSES = ["犀川ほっと建設", "ひがし茶屋サービス", "かなざわ雪守り工業", "兼六ITサポート", "森の里運送",
              "つづみ電気工事", "金箔通り商店会", "片町クリーンサービス", "浅野川造園", "加賀野菜ファーム"]
SKILLS = {
    "snow": "スコップでの除雪、除雪機の運転",
    "festival": "行事の設営・片づけ、獅子舞の経験",
    "patrol": "夜の見回りの経験",
    "elderly": "高齢者の話し相手、介護の資格",
    "cleaning": "草刈り、側溝の清掃",
    "drill": "防災士の資格、避難所運営の訓練",
    "digital": "スマホ・タブレットの使い方の説明",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def moved(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point up to `metres` away: a home or a place near the town's representative point, not on it."""
    distance, angle = rng.uniform(0, metres), rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(angle) / 111_320
    dlon = distance * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


def day_between(rng: random.Random, first: str, last: str) -> dt.date:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def first_public(rng: random.Random, statuses: list[str], public: str) -> list[str]:
    """The statuses shuffled, the first row's public: its detail page (`…/lists/<list>/1`) is one to show."""
    shuffled = list(statuses)
    rng.shuffle(shuffled)
    first = shuffled.index(public)
    shuffled[0], shuffled[first] = shuffled[first], shuffled[0]
    return shuffled


def make_requests(rng: random.Random, chokai: list[dict[str, str]], towns: list[dict[str, str]]) -> list[list[object]]:
    towns_of: dict[str, list[dict[str, str]]] = {}
    for town in towns:
        towns_of.setdefault(town["chokai"], []).append(town)
    numbers = sorted(towns_of, key=int)
    statuses = first_public(rng, REQUEST_STATUSES, "open")
    rows = []
    for index in range(REQUESTS):
        number = rng.choice(numbers)
        town = rng.choice(towns_of[number])
        title, categories, first, last, (low, high) = REQUEST_KINDS[index % len(REQUEST_KINDS)]
        day = day_between(rng, first, last)
        until = day + dt.timedelta(days=rng.choice((1, 2, 6))) if "snow" in categories and rng.random() < 0.4 else ""
        lat, lon = moved(rng, float(town["lat"]), float(town["lon"]), 250)
        name = chokai[int(number) - 1]["name"]
        status = statuses[index % len(statuses)]
        rows.append([
            f"{DEMO}{title}", number, town["district"], categories, day.isoformat(), until and until.isoformat(),
            rng.randint(low, high), f"{town['town']}付近。{name}の依頼(デモ)です。", f"{DEMO}町会の担当者",
            DEMO_PHONE, "参加4人・2時間(デモ)" if status == "done" else "", status, lat, lon,
        ])
    return rows


def helper_kind(index: int) -> str:
    return ("individual", "individual", "student_group", "business")[index % 4]


def make_helpers(rng: random.Random, towns: list[dict[str, str]]) -> list[list[object]]:
    statuses = first_public(rng, ["published"] * 80 + ["received"] * 10 + ["retired"] * 6, "published")
    used: set[str] = set()
    rows = []
    for index in range(HELPERS):
        kind = helper_kind(index)
        if kind == "individual":
            name, people, weekdays = rng.choice(NICKNAMES), rng.randint(1, 2), rng.sample(WEEKDAYS, rng.randint(2, 5))
            travel = rng.choice((2, 3, 5, 5, 8))
        elif kind == "student_group":
            name = f"{rng.choice(SCHOOLS)} {rng.choice(CLUBS)}"
            people, weekdays, travel = rng.randint(3, 25), ["sat", "sun", *rng.sample(WEEKDAYS[:5], 1)], rng.choice((10, 15, 20))
        else:
            name, people, weekdays = rng.choice(BUSINESSES), rng.randint(2, 10), list(WEEKDAYS[:5])
            travel = rng.choice((5, 10, 15))
        base, count = name, 2
        while name in used:  # the list names each helper once
            name = {"individual": f"{base}{count}", "student_group": f"{base}({count}班)"}.get(kind, f"{base} 第{count}営業所")
            count += 1
        used.add(name)
        categories = rng.sample(list(SKILLS), rng.randint(1, 3))
        if kind == "student_group" and "snow" not in categories and rng.random() < 0.6:
            categories.insert(0, "snow")  # the city's student snow-clearing scheme
        town = rng.choice(towns)
        lat, lon = moved(rng, float(town["lat"]), float(town["lon"]), 400)
        number = index + 1
        rows.append([
            f"{DEMO}{name}", kind, ",".join(sorted(categories, key=list(SKILLS).index)),
            "、".join(SKILLS[c] for c in categories[:2]), people,
            ",".join(sorted(set(weekdays), key=WEEKDAYS.index)), town["district"], travel,
            f"{DEMO}担当者{number:03d}", DEMO_PHONE, f"helper{number:03d}@{DEMO_MAIL}", statuses[index], lat, lon,
        ])
    return rows


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    chokai, towns = read_csv("demo_chokai.csv"), read_csv("demo_town_chokai.csv")
    towns = [t for t in towns if t["lat"] and t["lon"] and t["district"]]
    requests = make_requests(rng, chokai, towns)
    helpers = make_helpers(rng, towns)
    write("demo_help_requests.csv", ["title", "chokai", "district", "categories", "date", "date_until", "people_needed",
                                     "description", "contact_name", "contact_phone", "report", "status", "lat", "lon"],
          requests)
    write("demo_helpers.csv", ["display_name", "kind", "categories", "skills", "people", "weekdays", "district",
                               "max_travel_km", "contact_name", "contact_phone", "contact_email", "status", "lat", "lon"],
          helpers)
    open_requests = sum(1 for r in requests if r[11] == "open")
    listed = sum(1 for h in helpers if h[11] == "published")
    print(f"{len(requests)} demo help requests ({open_requests} open), {len(helpers)} demo helpers ({listed} listed)")


if __name__ == "__main__":
    main()
