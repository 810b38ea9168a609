"""One scorer per criterion kind: the part's score of many (request, helper) pairs at once, in [0, 1], and the
plain-language reason (ja and en) of one pair.

Scores are whole-array numpy work on a tile (a few requests × many helpers, by broadcasting: no per-pair index
arrays to gather through, and no masked writes, which cost ten times a pass of arithmetic); reasons are worded only
for the few pairs proposed. Set overlaps (categories, weekdays, dates) are bitmasks: an AND and a population count
per pair. `pair_score` is the same score in plain Python, for one pair (shown with the reason, and the reference
the tests compare with).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from ..spec.matching import WEEKDAY_KEYS, CriterionSpec
from ..spec.models import FieldSpec, TableSpec, field_label
from ..words import N_, words_for

Row = Mapping[str, Any]
Reason = dict[str, str]  # language → text
Cols = np.ndarray | slice  # helper indices, or slice(None): every helper (no copy)
EARTH_RADIUS_KM = 6371.0088
WORD = 2**64 - 1
BEYOND = 2.0**60  # taken from the distance part of a pair beyond `max_km`: far below any score, still finite
REASON_LANGUAGES = ("ja", "en")
# Words of the reasons are the catalogue's (messages.po), as every resident and staff word.
WEEKDAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SEPARATOR = N_(", ")  # between the shared categories of one reason (Japanese: ・)


def worded(msgid: str, **values: Any) -> Reason:
    """One reason in every language of the reasons, from the catalogue."""
    return {lang: words_for(lang)(msgid) % values if values else words_for(lang)(msgid) for lang in REASON_LANGUAGES}


class PartScorer(Protocol):
    def block(self, rows: np.ndarray, cols: Cols) -> np.ndarray:
        """The part's score of each request of `rows` (indices) with each helper of `cols` (indices, or every
        helper): a fresh len(rows) × len(cols) array, in [0, 1]."""
        ...

    def pair_score(self, request: Row, helper: Row) -> float: ...

    def reason(self, request: Row, helper: Row) -> Reason | None: ...


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None  # a value that is not a date names no day: it shares none


def as_set(value: Any) -> frozenset[str]:
    """A choice, a multichoice's list, or nothing, as a set of keys."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(map(str, value))
    if value is None or value == "":
        return frozenset()
    return frozenset((str(value),))


def as_number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def as_point(value: Any) -> tuple[float, float] | None:
    """A location as stored, (lon, lat), or None when it is missing or not a point on Earth."""
    try:
        lon, lat = float(value[0]), float(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (lon, lat) if -180 <= lon <= 180 and -90 <= lat <= 90 else None


def overlap_share(needed: frozenset[str], offered: frozenset[str]) -> float:
    """The share of what the request asks for that the helper offers (0 when the request asks for nothing)."""
    return len(needed & offered) / len(needed) if needed else 0.0


class SetOverlap:
    """`category` and `dates`: the share of the request's keys (categories, weekdays, days) the helper has."""

    def __init__(self, keys_of: Callable[[Row, str], frozenset[str]], words: Callable[[str, str], str],
                 requests: Sequence[Row], helpers: Sequence[Row], criterion: CriterionSpec) -> None:
        self.criterion, self.keys_of, self.words = criterion, keys_of, words
        request_sets = [keys_of(r, criterion.request_field) for r in requests]
        helper_sets = [keys_of(h, criterion.helper_field) for h in helpers]
        index = {key: i for i, key in enumerate(sorted(set().union(*request_sets, *helper_sets)))}
        self.needed, self.offered = _bitmasks(request_sets, index), _bitmasks(helper_sets, index)
        self.needed_count = np.array([len(s) for s in request_sets], dtype=np.float64)

    def block(self, rows: np.ndarray, cols: Cols) -> np.ndarray:
        needed, offered = self.needed[rows], self.offered[cols]
        shared = np.bitwise_count(needed[:, 0, None] & offered[None, :, 0])
        for word in range(1, needed.shape[1]):
            shared += np.bitwise_count(needed[:, word, None] & offered[None, :, word])
        count = self.needed_count[rows, None]
        if count.all():
            return np.divide(shared, count)
        return np.divide(shared, count, out=np.zeros(shared.shape), where=count > 0)

    def pair_score(self, request: Row, helper: Row) -> float:
        return overlap_share(self.keys_of(request, self.criterion.request_field),
                             self.keys_of(helper, self.criterion.helper_field))

    def reason(self, request: Row, helper: Row) -> Reason | None:
        needed = self.keys_of(request, self.criterion.request_field)
        shared = sorted(needed & self.keys_of(helper, self.criterion.helper_field))
        if not shared:
            return None
        return {lang: words_for(lang)(SEPARATOR).join(self.words(key, lang) for key in shared)
                for lang in REASON_LANGUAGES}


def _bitmasks(sets: list[frozenset[str]], index: dict[str, int]) -> np.ndarray:
    """Each set as bits of 64-bit words: an overlap is then an AND and a population count per pair."""
    words = max(1, -(-len(index) // 64))
    bits = {key: 1 << bit for key, bit in index.items()}
    numbers = [sum(map(bits.__getitem__, keys)) for keys in sets]  # one Python integer per set, as wide as needed
    masks = np.empty((len(sets), words), dtype=np.uint64)
    for word in range(words):
        masks[:, word] = [(number >> (64 * word)) & WORD for number in numbers]
    return masks


def choice_words(field: FieldSpec) -> Callable[[str, str], str]:
    labels = {c.key: c for c in field.choices or ()}
    return lambda key, lang: labels[key].text(lang) if key in labels else key


def category_scorer(criterion: CriterionSpec, request_table: TableSpec, helper_table: TableSpec,
                    requests: Sequence[Row], helpers: Sequence[Row]) -> SetOverlap:
    def keys_of(row: Row, name: str) -> frozenset[str]:
        return as_set(row.get(name))

    return SetOverlap(keys_of, choice_words(request_table.fields[criterion.request_field]), requests, helpers, criterion)


def dates_scorer(criterion: CriterionSpec, request_table: TableSpec, helper_table: TableSpec,
                 requests: Sequence[Row], helpers: Sequence[Row]) -> SetOverlap:
    """Two dates share the day; two weekday lists share weekdays; a date and weekdays share the date's weekday."""
    request_type = request_table.fields[criterion.request_field].type
    helper_type = helper_table.fields[criterion.helper_field].type
    by_weekday = request_type != helper_type
    weekday_field = request_table.fields[criterion.request_field] if request_type == "multichoice" \
        else helper_table.fields[criterion.helper_field]

    def keys_of(row: Row, name: str) -> frozenset[str]:
        value = row.get(name)
        if isinstance(value, (list, tuple)) or value is None:
            return as_set(value)
        day = as_date(value)
        if day is None:
            return frozenset()
        return frozenset({WEEKDAY_KEYS[day.weekday()] if by_weekday else day.isoformat()})

    labels = choice_words(weekday_field)

    def words(key: str, lang: str) -> str:
        if key in WEEKDAY_KEYS and not any(c.key == key and c.label for c in weekday_field.choices or ()):
            return words_for(lang)(WEEKDAY_WORDS[WEEKDAY_KEYS.index(key)])
        return labels(key, lang)

    return SetOverlap(keys_of, words, requests, helpers, criterion)


class Capacity:
    """The share of the people needed that the helper brings (a group of 3 for 5 needed: 0.6)."""

    def __init__(self, criterion: CriterionSpec, requests: Sequence[Row], helpers: Sequence[Row]) -> None:
        self.criterion = criterion
        self.needed = np.array([as_number(r.get(criterion.request_field)) for r in requests])
        self.offered = np.array([as_number(h.get(criterion.helper_field)) for h in helpers])

    def block(self, rows: np.ndarray, cols: Cols) -> np.ndarray:
        needed = self.needed[rows, None]
        brought = np.minimum(np.maximum(self.offered[cols], 0.0), needed)
        if (needed > 0).all():
            return np.divide(brought, needed, out=brought)
        return np.divide(brought, needed, out=np.zeros(brought.shape), where=needed > 0)

    def pair_score(self, request: Row, helper: Row) -> float:
        needed = as_number(request.get(self.criterion.request_field))
        brought = min(max(as_number(helper.get(self.criterion.helper_field)), 0.0), needed)
        return brought / needed if needed > 0 else 0.0

    def reason(self, request: Row, helper: Row) -> Reason | None:
        needed = as_number(request.get(self.criterion.request_field))
        brought = min(max(as_number(helper.get(self.criterion.helper_field)), 0.0), needed)
        if needed <= 0 or brought <= 0:
            return None
        return worded(N_("%(brought)s of %(needed)s people"), brought=f"{brought:g}", needed=f"{needed:g}")


class SameArea:
    """1 when both name the same district or area (a 校下 reference, a derived name, a choice), else 0. References
    (to one table: the spec checks it) compare row ids, read alike whether stored as 3, "3" or 3.0."""

    def __init__(self, criterion: CriterionSpec, request_table: TableSpec, helper_table: TableSpec,
                 requests: Sequence[Row], helpers: Sequence[Row]) -> None:
        self.criterion = criterion
        self.label = {lang: field_label(criterion.helper_field, helper_table.fields[criterion.helper_field], lang)
                      for lang in REASON_LANGUAGES}
        self.request_area = _area_reader(request_table.fields[criterion.request_field])
        self.helper_area = _area_reader(helper_table.fields[criterion.helper_field])
        codes: dict[str, int] = {}
        self.request_codes = np.array([_area_code(self.request_area(r.get(criterion.request_field)), codes)
                                       for r in requests], dtype=np.int64)
        self.helper_codes = np.array([_area_code(self.helper_area(h.get(criterion.helper_field)), codes)
                                      for h in helpers], dtype=np.int64)

    def block(self, rows: np.ndarray, cols: Cols) -> np.ndarray:
        request_codes = self.request_codes[rows]
        request_codes = np.where(request_codes > 0, request_codes, -1)  # no area (0) is never the same area
        return (request_codes[:, None] == self.helper_codes[cols]).astype(np.float64)

    def same(self, request: Row, helper: Row) -> bool:
        area = self.request_area(request.get(self.criterion.request_field))
        return bool(area) and area == self.helper_area(helper.get(self.criterion.helper_field))

    def pair_score(self, request: Row, helper: Row) -> float:
        return 1.0 if self.same(request, helper) else 0.0

    def reason(self, request: Row, helper: Row) -> Reason | None:
        if not self.same(request, helper):
            return None
        return {lang: words_for(lang)(N_("same %(area)s")) % {"area": self.label[lang] if lang == "ja" else
                                                              self.label[lang].lower()} for lang in REASON_LANGUAGES}


def _area_text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _reference_text(value: Any) -> str:
    """A reference's row id as text ("" for none, or for anything that is no row id)."""
    number = as_number(value) if not isinstance(value, bool) else 0.0
    return str(int(number)) if number >= 1 and number.is_integer() else ""


def _area_reader(field: FieldSpec) -> Callable[[Any], str]:
    return _reference_text if field.type == "reference" else _area_text


def _area_code(text: str, codes: dict[str, int]) -> int:
    """A number per area, 0 for none (no area is never the same area)."""
    return codes.setdefault(text, len(codes) + 1) if text else 0


class Distance:
    """Haversine km; the part halves every `decay_km`; a helper beyond `max_km` is no match at all. A missing
    location scores 0 and excludes no one: staff may still know the place."""

    def __init__(self, criterion: CriterionSpec, requests: Sequence[Row], helpers: Sequence[Row]) -> None:
        self.criterion = criterion
        self.max_km = criterion.max_km or math.inf
        self.half_life = criterion.half_life_km()
        self.request_trig = _trig([as_point(r.get(criterion.request_field)) for r in requests])
        self.helper_trig = _trig([as_point(h.get(criterion.helper_field)) for h in helpers])
        self.request_missing = np.isnan(self.request_trig[4])
        self.helper_missing = np.isnan(self.helper_trig[4])
        self.request_xyz = _unit_vectors(self.request_trig)
        self.helper_xyz = _unit_vectors(self.helper_trig).T.copy()  # x, y and z each contiguous
        # the largest angle, in radians, with a margin far above the rounding of a float (the exact test is
        # `km > max_km` on the pairs scored)
        self.max_angle = self.max_km / EARTH_RADIUS_KM * (1 + 1e-9) + 1e-12

    def tiles(self, leaf: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The requests in groups of at most `leaf` near one another (a k-d split of their points), each with the
        helpers that may be within `max_km` of one of them, in index order. A group is a cap of the sphere (its
        centre, and the angle to its farthest request); a helper farther than that angle plus `max_km` from the
        centre is farther than `max_km` from every request of the group: one dot product per helper and group,
        not per pair. Requests without a location form groups with every helper (a missing location excludes no
        one), and so does a group whose reach covers the sphere. A helper without a location is in every group."""
        every = np.arange(self.helper_xyz.shape[1])
        missing = np.flatnonzero(self.request_missing)
        for start in range(0, len(missing), leaf):
            yield missing[start:start + leaf], every
        for rows in _nearby_groups(self.request_xyz, np.flatnonzero(~self.request_missing), leaf):
            points = self.request_xyz[rows]
            centre = points.sum(axis=0)
            length = math.sqrt(float(centre @ centre))
            if length < 1e-6:  # points all around the sphere: no centre
                yield rows, every
                continue
            centre /= length
            spread = math.acos(min(1.0, max(-1.0, float((points @ centre).min()))))
            reach = spread + self.max_angle + 1e-7  # the arccosine near 1 may be short by √(2 × 4e-16) ≈ 3e-8
            if reach >= math.pi:
                yield rows, every
                continue
            cosine = self.helper_xyz[0] * centre[0]
            cosine += self.helper_xyz[1] * centre[1]
            cosine += self.helper_xyz[2] * centre[2]
            yield rows, np.flatnonzero(~(cosine < math.cos(reach) - 1e-9))  # NaN (no location) compares False

    def block(self, rows: np.ndarray, cols: Cols) -> np.ndarray:
        return self.part_and_km(rows, cols)[0]

    def part_and_km(self, rows: np.ndarray, cols: Cols) -> tuple[np.ndarray, np.ndarray]:
        """The part and the km of each pair (request of `rows`, helper of `cols`), as `len(rows) × len(cols)`
        arrays. The part is below -2^59 for a pair beyond `max_km` (no match, whatever else fits) and 0 for a
        missing location, whose km is NaN. The haversine h has sin(Δ/2) expanded as sin·cos − cos·sin of the
        halves: no sine per pair."""
        r = [t[rows, None] for t in self.request_trig]
        h = [t[cols] for t in self.helper_trig]
        sin_dlat = r[0] * h[1]
        sin_dlat -= r[1] * h[0]
        sin_dlon = r[2] * h[3]
        sin_dlon -= r[3] * h[2]
        hav = r[4] * h[4]
        sin_dlon *= sin_dlon
        hav *= sin_dlon
        sin_dlat *= sin_dlat
        hav += sin_dlat  # sin²(Δlat/2) + cos·cos·sin²(Δlon/2)
        np.minimum(hav, 1.0, out=hav)
        km = np.sqrt(hav, out=hav)
        np.arcsin(km, out=km)
        km *= 2 * EARTH_RADIUS_KM
        part = np.divide(km, -self.half_life)
        np.exp2(part, out=part)
        if self.request_missing[rows].any() or self.helper_missing[cols].any():
            np.fmax(part, 0.0, out=part)  # NaN (a missing location) → 0
        # Beyond `max_km`: -2^60 rather than a masked write (masks cost ten times an arithmetic pass).
        part -= (km > self.max_km) * BEYOND
        return part, km

    def pair_km(self, request: Row, helper: Row) -> float | None:
        a, b = as_point(request.get(self.criterion.request_field)), as_point(helper.get(self.criterion.helper_field))
        return haversine_km(a, b) if a and b else None

    def pair_score(self, request: Row, helper: Row) -> float:
        km = self.pair_km(request, helper)
        return 0.0 if km is None or km > self.max_km else float(0.5 ** (km / self.half_life))

    def reason(self, request: Row, helper: Row) -> Reason | None:
        km = self.pair_km(request, helper)
        return None if km is None else worded(N_("%(km)s km"), km=f"{km:.1f}")


def _trig(points: list[tuple[float, float] | None]) -> list[np.ndarray]:
    """sin and cos of half the latitude and half the longitude, and cos of the latitude; NaN for no point."""
    lon = np.radians(np.array([p[0] if p else np.nan for p in points], dtype=np.float64))
    lat = np.radians(np.array([p[1] if p else np.nan for p in points], dtype=np.float64))
    return [np.sin(lat / 2), np.cos(lat / 2), np.sin(lon / 2), np.cos(lon / 2), np.cos(lat)]


def _unit_vectors(trig: list[np.ndarray]) -> np.ndarray:
    """Points as vectors on the unit sphere, from the half-angle sines and cosines of `_trig`."""
    cos_lat = trig[4]
    cos_lon = trig[3] * trig[3] - trig[2] * trig[2]
    sin_lon = 2 * trig[2] * trig[3]
    sin_lat = 2 * trig[0] * trig[1]
    return np.stack([cos_lat * cos_lon, cos_lat * sin_lon, sin_lat], axis=1)


def _nearby_groups(points: np.ndarray, rows: np.ndarray, leaf: int) -> list[np.ndarray]:
    """`rows` (indices of `points`, unit vectors) split in halves along the widest of x, y, z until each group
    has at most `leaf`: a k-d tree's leaves, each in index order."""
    pending, groups = [rows], []
    while pending:
        rows = pending.pop()
        if len(rows) <= leaf:
            groups.append(np.sort(rows))
            continue
        chosen = points[rows]
        axis = int(np.argmax(chosen.max(axis=0) - chosen.min(axis=0)))
        order = np.argsort(chosen[:, axis], kind="stable")
        pending += [rows[order[len(rows) // 2:]], rows[order[:len(rows) // 2]]]
    return groups


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    hav = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(hav, 1.0)))


def make_scorer(criterion: CriterionSpec, request_table: TableSpec, helper_table: TableSpec,
                requests: Sequence[Row], helpers: Sequence[Row]) -> PartScorer:
    if criterion.kind == "category":
        return category_scorer(criterion, request_table, helper_table, requests, helpers)
    if criterion.kind == "dates":
        return dates_scorer(criterion, request_table, helper_table, requests, helpers)
    if criterion.kind == "capacity":
        return Capacity(criterion, requests, helpers)
    if criterion.kind == "same_area":
        return SameArea(criterion, request_table, helper_table, requests, helpers)
    return Distance(criterion, requests, helpers)
