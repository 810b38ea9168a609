"""Rank the helpers for each request: the weighted mean of the parts, the top N, ties broken deterministically.

Order: score descending, then distance ascending (when a `distance` criterion is given; unknown last), then helper
id ascending. Scores are compared in steps of 2^-21 (about 5e-7) and distances to the metre, so the order does not
hang on the last bit of a float (numpy and Python's math may differ there). A helper beyond `max_km`, or with a
score of 0, is no match. Pairs are scored in tiles (a few requests × their candidate helpers, whole arrays that
stay in the processor's cache), so memory stays small whatever the number of requests. With a `max_km`, a tile is
requests near one another and its candidates the helpers that may be within reach of one of them: most pairs
beyond reach are never scored. Each match's parts and reasons are worded when first read (`Match.parts`): a page
shows a few, and wording all 10,000 of a large run costs more than ranking.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np

from ..collector import collector_paused
from ..spec.matching import CriterionSpec, MatchingSpec
from ..spec.models import TableSpec
from .parts import Cols, Distance, PartScorer, Reason, make_scorer

Row = Mapping[str, Any]
BLOCK = 256  # the most requests of one tile
TILE_PAIRS = 2**16  # pairs per tile: 512 KiB per float64 array, a few of them in the cache at once
NEARBY = 8  # the most requests of a group near one another (a tile, or split in tiles of TILE_PAIRS)
ARGMAX_TOP = 8  # up to this many per request, the best are found by passes of argmax; more by a sort
SCORE_STEPS = 2**21
UNKNOWN_M = 2**31 - 1  # the distance key of "no distance": after every known one


@dataclass(frozen=True)
class Part:
    kind: str
    score: float
    reason: Reason | None  # None when the part adds nothing (nothing shared, another area)


@dataclass(frozen=True)
class Match:
    helper_id: Any
    score: float
    distance_km: float | None
    explain: Callable[[], tuple[Part, ...]] = field(repr=False, compare=False)

    @cached_property
    def parts(self) -> tuple[Part, ...]:
        return self.explain()

    def reasons(self, lang: str) -> list[str]:
        return [p.reason[lang] for p in self.parts if p.reason]


@dataclass(frozen=True)
class RequestMatches:
    request_id: Any
    matches: tuple[Match, ...]


def score_key(total: float) -> int:
    """The score as compared: an integer number of 2^-21 steps (shared with the plain loop of the bench)."""
    return round(total * SCORE_STEPS)


def distance_key(km: float | None) -> int:
    return UNKNOWN_M if km is None or math.isnan(km) else min(round(km * 1000), UNKNOWN_M)


def rank(spec: MatchingSpec, request_table: TableSpec, helper_table: TableSpec,
         requests: Sequence[Row], helpers: Sequence[Row]) -> list[RequestMatches]:
    """For each request (in the order given) its best `spec.top` helpers. Each row is a mapping with `id` and the
    field values as the records layer reads them (a location as (lon, lat))."""
    with collector_paused():  # tens of thousands of new sets, keys and matches, all kept: see lowcode/collector.py
        helpers = sorted(helpers, key=lambda h: h["id"])  # index order is id order: ties go to the lower index
        scorers = [make_scorer(c, request_table, helper_table, requests, helpers) for c in spec.criteria]
        best = _best(spec, scorers, len(requests), len(helpers))
        has_distance = any(isinstance(s, Distance) for s in scorers)
        return [RequestMatches(request["id"], tuple(_match(spec.criteria, scorers, has_distance, request, helpers[i],
                                                           key) for i, key in picks))
                for request, picks in zip(requests, best)]


def _best(spec: MatchingSpec, scorers: list[PartScorer], request_count: int,
          helper_count: int) -> list[list[tuple[int, int]]]:
    """(helper index, sort key) of the best helpers of each request, best first."""
    best: list[list[tuple[int, int]]] = [[] for _ in range(request_count)]
    for rows, cols in _tiles(scorers, request_count, helper_count):
        keys = _tile_keys(spec.criteria, scorers, rows, slice(None) if len(cols) == helper_count else cols)
        places, chosen = _top(keys, spec.top)
        for row, helper_indices, row_keys in zip(rows.tolist(), cols[places].tolist(), chosen.tolist()):
            best[row] = [(i, int(key) + UNKNOWN_M) for i, key in zip(helper_indices, row_keys) if key >= 1]
    return best


def _tiles(scorers: list[PartScorer], request_count: int, helper_count: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The requests in tiles, each with the helpers to score against it (index arrays), tiles of at most
    TILE_PAIRS pairs and BLOCK requests. With a `max_km`, tiles are requests near one another and the helpers
    that may be within reach of one of them (`Distance.tiles`); else blocks of requests with every helper."""
    if not helper_count:
        return
    distance = next((s for s in scorers if isinstance(s, Distance) and math.isfinite(s.max_km)), None)
    groups = distance.tiles(NEARBY) if distance else [(np.arange(request_count), np.arange(helper_count))]
    for rows, cols in groups:
        if len(cols):
            step = max(1, min(BLOCK, TILE_PAIRS // len(cols)))
            for start in range(0, len(rows), step):
                yield rows[start:start + step], cols


def _tile_keys(criteria: list[CriterionSpec], scorers: list[PartScorer], rows: np.ndarray, cols: Cols) -> np.ndarray:
    """The sort key of each pair of the tile (len(rows) × len(cols), larger = better): the score in 2^-21 steps,
    then the distance in metres, as steps × 2^31 − metres (the key of `_match` less UNKNOWN_M). A float64 holds
    these integers exactly (below 2^53). A key below 1 is no match: a score of 0 steps, or (far below) a pair
    beyond `max_km`. Each step is one pass over the tile: the passes are the cost, so none is spent twice."""
    total: np.ndarray | None = None
    minus_metres: np.ndarray | None = None
    for criterion, scorer in zip(criteria, scorers):
        if isinstance(scorer, Distance):
            part, km = scorer.part_and_km(rows, cols)
            if minus_metres is None:
                minus_metres = np.multiply(km, -1000.0)
                np.rint(minus_metres, out=minus_metres)
                np.fmax(minus_metres, -UNKNOWN_M, out=minus_metres)  # NaN (no location) → -UNKNOWN_M
        else:
            part = scorer.block(rows, cols)
        if criterion.weight != 1:
            part *= criterion.weight
        if total is None:
            total = part
        else:
            total += part
    assert total is not None  # a matching has at least one criterion
    total /= sum(c.weight for c in criteria) / SCORE_STEPS  # = (total / weights) × 2^21, bit for bit
    np.rint(total, out=total)
    total *= UNKNOWN_M + 1
    if minus_metres is None:
        total -= UNKNOWN_M  # every distance unknown
    else:
        total += minus_metres
    return total


def _top(keys: np.ndarray, top: int) -> tuple[np.ndarray, np.ndarray]:
    """The places (columns) and keys of the `top` largest keys of each row, largest first; among equal keys the
    lower place first (the places of -inf keys, no match, may repeat). For a few, `top` passes of argmax (which
    finds the first largest) striking out each one found; for more, a stable sort of each row."""
    top = min(top, keys.shape[1])
    if top > ARGMAX_TOP:
        places = np.argsort(-keys, axis=1, kind="stable")[:, :top]
        return places, np.take_along_axis(keys, places, axis=1)
    lines = np.arange(keys.shape[0])
    places = np.empty((keys.shape[0], top), dtype=np.intp)
    chosen = np.empty((keys.shape[0], top))
    for k in range(top):
        places[:, k] = place = keys.argmax(axis=1)
        chosen[:, k] = keys[lines, place]
        keys[lines, place] = -np.inf
    return places, chosen


def _match(criteria: list[CriterionSpec], scorers: list[PartScorer], has_distance: bool, request: Row, helper: Row,
           key: int) -> Match:
    metres = UNKNOWN_M - key % (UNKNOWN_M + 1)
    distance_km = None if metres == UNKNOWN_M or not has_distance else metres / 1000
    return Match(helper["id"], (key // (UNKNOWN_M + 1)) / SCORE_STEPS, distance_km,
                 partial(_explain, criteria, scorers, request, helper))


def _explain(criteria: list[CriterionSpec], scorers: list[PartScorer], request: Row, helper: Row) -> tuple[Part, ...]:
    """The proposed pair again, worded: each part's score and reason (a few pairs, so plain Python)."""
    return tuple(Part(c.kind, s.pair_score(request, helper), s.reason(request, helper)) for c, s in zip(criteria, scorers))
