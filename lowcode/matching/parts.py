"""One scorer per criterion kind: the part's score of many (request, helper) pairs at once, in [0, 1], and the
plain-language reason (ja and en) of one pair.

Scores are whole-array numpy work over index arrays; reasons are worded only for the few pairs proposed. Set
overlaps (categories, weekdays, dates) are bitmasks: an AND and a population count per pair. `pair_score` is the
same score in plain Python, for one pair (shown with the reason, and the reference the tests compare with).
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from ..spec.matching import WEEKDAY_KEYS, CriterionSpec
from ..spec.models import FieldSpec, TableSpec, field_label
from ..words import N_, words_for

Row = Mapping[str, Any]
Reason = dict[str, str]  # language → text
EARTH_RADIUS_KM = 6371.0088
REASON_LANGUAGES = ("ja", "en")
# Words of the reasons are the catalogue's (messages.po), as every resident and staff word.
WEEKDAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SEPARATOR = N_(", ")  # between the shared categories of one reason (Japanese: ・)


def worded(msgid: str, **values: Any) -> Reason:
    """One reason in every language of the reasons, from the catalogue."""
    return {lang: words_for(lang)(msgid) % values if values else words_for(lang)(msgid) for lang in REASON_LANGUAGES}


class PartScorer(Protocol):
    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The part's score of each pair (request index, helper index), in [0, 1]."""
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
    if value is None or value == "":
        return frozenset()
    if isinstance(value, (list, tuple, set, frozenset)):
        return frozenset(str(v) for v in value)
    return frozenset({str(value)})


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

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        shared = np.zeros(len(rows), dtype=np.float64)
        for word in range(self.needed.shape[1]):
            shared += np.bitwise_count(self.needed[rows, word] & self.offered[cols, word])
        count = self.needed_count[rows]
        return np.divide(shared, count, out=np.zeros_like(shared), where=count > 0)

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
    masks = np.zeros((len(sets), words), dtype=np.uint64)
    for row, keys in enumerate(sets):
        for key in keys:
            bit = index[key]
            masks[row, bit // 64] |= np.uint64(1 << (bit % 64))
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

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        needed = self.needed[rows]
        brought = np.minimum(np.maximum(self.offered[cols], 0.0), needed)
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
    """1 when both name the same district or area (a derived 校下, a choice), else 0."""

    def __init__(self, criterion: CriterionSpec, helper_table: TableSpec, requests: Sequence[Row], helpers: Sequence[Row]) -> None:
        self.criterion = criterion
        self.label = {lang: field_label(criterion.helper_field, helper_table.fields[criterion.helper_field], lang)
                      for lang in REASON_LANGUAGES}
        codes: dict[str, int] = {}
        self.request_codes = np.array([_area_code(r.get(criterion.request_field), codes) for r in requests], dtype=np.int64)
        self.helper_codes = np.array([_area_code(h.get(criterion.helper_field), codes) for h in helpers], dtype=np.int64)

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        request_codes = self.request_codes[rows]
        return ((request_codes == self.helper_codes[cols]) & (request_codes > 0)).astype(np.float64)

    def pair_score(self, request: Row, helper: Row) -> float:
        area = _area_text(request.get(self.criterion.request_field))
        return 1.0 if area and area == _area_text(helper.get(self.criterion.helper_field)) else 0.0

    def reason(self, request: Row, helper: Row) -> Reason | None:
        area = _area_text(request.get(self.criterion.request_field))
        if not area or area != _area_text(helper.get(self.criterion.helper_field)):
            return None
        return {lang: words_for(lang)(N_("same %(area)s")) % {"area": self.label[lang] if lang == "ja" else
                                                              self.label[lang].lower()} for lang in REASON_LANGUAGES}


def _area_text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _area_code(value: Any, codes: dict[str, int]) -> int:
    """A number per area name, 0 for none (no area is never the same area)."""
    text = _area_text(value)
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
        self.request_xyz = _unit_vectors(self.request_trig)
        self.helper_xyz = _unit_vectors(self.helper_trig)
        # the cosine of the largest angle, less a margin far above the rounding of a dot product of unit vectors
        self.min_cosine = math.cos(min(self.max_km / EARTH_RADIUS_KM, math.pi)) - 1e-9

    def reachable(self, block: slice) -> np.ndarray:
        """Which helpers each request of the block may be proposed: within `max_km` (with a margin: the exact
        test is `km` on the pairs found), or a location missing. The cosine of the angle between two points is the
        dot product of their unit vectors: three products per pair. Written out rather than as a matrix product,
        whose BLAS threads cost more than the sums of three products (and fight other processes for the cores)."""
        request = self.request_xyz[block]
        cosine = np.multiply.outer(request[:, 0], self.helper_xyz[:, 0])
        for axis in (1, 2):
            cosine += np.multiply.outer(request[:, axis], self.helper_xyz[:, axis])
        with np.errstate(invalid="ignore"):
            return ~(cosine < self.min_cosine)  # NaN (no location) compares False: reachable

    def haversine(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The haversine h of each pair; NaN where a location is missing. sin(Δ/2) is expanded as
        sin·cos − cos·sin of the halves, so no sine is taken per pair."""
        r = [t[rows] for t in self.request_trig]
        h = [t[cols] for t in self.helper_trig]
        sin_dlat = r[0] * h[1] - r[1] * h[0]
        sin_dlon = r[2] * h[3] - r[3] * h[2]
        return sin_dlat * sin_dlat + (r[4] * h[4]) * (sin_dlon * sin_dlon)

    def km(self, hav: np.ndarray) -> np.ndarray:
        return (2 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(np.minimum(hav, 1.0)))

    def part(self, km: np.ndarray) -> np.ndarray:
        part = np.exp2(-km / self.half_life)
        part[~(km <= self.max_km)] = 0.0  # missing location (NaN), or beyond the maximum
        return part

    def scores(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.part(self.km(self.haversine(rows, cols)))

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
        return SameArea(criterion, helper_table, requests, helpers)
    return Distance(criterion, requests, helpers)
