"""Rank the helpers for each request: the weighted mean of the parts, the top N, ties broken deterministically.

Order: score descending, then distance ascending (when a `distance` criterion is given; unknown last), then helper
id ascending. Scores are compared in steps of 2^-21 (about 5e-7) and distances to the metre, so the order does not
hang on the last bit of a float (numpy and Python's math may differ there). A helper beyond `max_km`, or with a
score of 0, is no match. Requests are scored in blocks, so memory stays at a few blocks × helpers whatever the
number of requests; only the pairs no `max_km` rules out are scored. Each match's parts and reasons are worded
when first read (`Match.parts`): a page shows a few, and wording all 10,000 of a large run costs more than ranking.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np

from ..spec.matching import CriterionSpec, MatchingSpec
from ..spec.models import TableSpec
from .parts import Distance, PartScorer, Reason, make_scorer

Row = Mapping[str, Any]
BLOCK = 256  # requests per block: 256 × 10,000 helpers × 8 bytes = 20 MB per array; below 2^(63 - KEY_BITS)
SCORE_STEPS = 2**21
UNKNOWN_M = 2**31 - 1  # the distance key of "no distance": after every known one
KEY_BITS = 53  # score steps 0..2^21 (22 bits) + 31 of distance: room above for the request's place in its block


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
    helpers = sorted(helpers, key=lambda h: h["id"])  # index order is id order: ties go to the lower index
    scorers = [make_scorer(c, request_table, helper_table, requests, helpers) for c in spec.criteria]
    ranked: list[RequestMatches] = []
    for start in range(0, len(requests), BLOCK):
        block = slice(start, min(start + BLOCK, len(requests)))
        for offset, picks in enumerate(_best_of_block(spec, scorers, block, len(helpers))):
            request = requests[start + offset]
            matches = tuple(_match(spec.criteria, scorers, request, helpers[i], key) for i, key in picks)
            ranked.append(RequestMatches(request["id"], matches))
    return ranked


def _best_of_block(spec: MatchingSpec, scorers: list[PartScorer], block: slice,
                   helper_count: int) -> list[list[tuple[int, int]]]:
    """(index, sort key) of the best helpers of each request of the block, best first."""
    rows, cols, keys = _pair_keys(spec.criteria, scorers, block, helper_count)
    keep = keys > 0
    rows, cols, keys = rows[keep], cols[keep], keys[keep]
    # One integer per pair: the request's place in the block, then the key reversed. The pairs come request by
    # request with helper indices ascending, and a stable sort keeps that order among equal keys: lower id first.
    order = np.argsort(((rows - block.start) << KEY_BITS) | ((1 << KEY_BITS) - 1 - keys), kind="stable")
    rows, cols, keys = rows[order], cols[order], keys[order]
    starts = np.searchsorted(rows, np.arange(block.start, block.stop + 1))
    best = []
    for i in range(block.stop - block.start):
        chosen = slice(starts[i], min(starts[i] + spec.top, starts[i + 1]))
        best.append(list(zip(cols[chosen].tolist(), keys[chosen].tolist())))
    return best


def _pair_keys(criteria: list[CriterionSpec], scorers: list[PartScorer], block: slice,
               helper_count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each candidate pair's key, larger = better: the score in 2^-21 steps, then the distance in metres
    reversed; 0 for a pair that is no match (beyond `max_km`, or nothing in common). Candidates are the pairs no
    `max_km` rules out (every pair of the block when there is no distance criterion)."""
    reachable = np.ones((block.stop - block.start, helper_count), dtype=bool)
    for scorer in scorers:
        if isinstance(scorer, Distance):
            reachable &= scorer.reachable(block)
    local_rows, cols = np.nonzero(reachable)
    rows = local_rows + block.start
    total = np.zeros(len(rows), dtype=np.float64)
    metres: np.ndarray | None = None
    excluded = np.zeros(len(rows), dtype=bool)
    for criterion, scorer in zip(criteria, scorers):
        if isinstance(scorer, Distance):
            km = scorer.km(scorer.haversine(rows, cols))
            part = scorer.part(km)
            excluded |= km > scorer.max_km
            if metres is None:
                metres = np.where(np.isnan(km), UNKNOWN_M, np.minimum(np.rint(np.nan_to_num(km) * 1000), UNKNOWN_M))
        else:
            part = scorer.scores(rows, cols)
        total += criterion.weight * part
    steps = np.rint(total / sum(c.weight for c in criteria) * SCORE_STEPS).astype(np.int64)
    distance = np.full(len(rows), UNKNOWN_M, dtype=np.int64) if metres is None else metres.astype(np.int64)
    keys = steps * (UNKNOWN_M + 1) + (UNKNOWN_M - distance)
    keys[(steps <= 0) | excluded] = 0
    return rows, cols, keys


def _match(criteria: list[CriterionSpec], scorers: list[PartScorer], request: Row, helper: Row, key: int) -> Match:
    metres = UNKNOWN_M - key % (UNKNOWN_M + 1)
    distance_km = None if metres == UNKNOWN_M or not any(isinstance(s, Distance) for s in scorers) else metres / 1000
    return Match(helper["id"], (key // (UNKNOWN_M + 1)) / SCORE_STEPS, distance_km,
                 partial(_explain, criteria, scorers, request, helper))


def _explain(criteria: list[CriterionSpec], scorers: list[PartScorer], request: Row, helper: Row) -> tuple[Part, ...]:
    """The proposed pair again, worded: each part's score and reason (a few pairs, so plain Python)."""
    return tuple(Part(c.kind, s.pair_score(request, helper), s.reason(request, helper)) for c, s in zip(criteria, scorers))
