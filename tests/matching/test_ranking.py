"""Ranking: the order of ties, the top N, requests without a match, and the engine against plain loops."""
from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from lowcode.matching import rank
from lowcode.matching.engine import BLOCK, distance_key, score_key
from lowcode.matching.parts import make_scorer
from lowcode.spec.matching import MatchingSpec
from lowcode.spec.models import TableSpec

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench import bench_matching  # bench/ sits beside lowcode/, not inside it

TABLE = TableSpec.model_validate({"fields": {
    "kinds": {"type": "multichoice", "choices": [{"key": k} for k in ("snow", "festival", "patrol", "clean")]},
    "place": {"type": "location"},
    "people": {"type": "integer"},
    "district": {"type": "text"},
}})
NEAR = {"kind": "distance", "request_field": "place", "helper_field": "place", "max_km": 10}
KINDS = {"kind": "category", "request_field": "kinds", "helper_field": "kinds"}


def ids(spec: MatchingSpec, requests: list[dict[str, Any]], helpers: list[dict[str, Any]]) -> list[list[Any]]:
    return [[m.helper_id for m in r.matches] for r in rank(spec, TABLE, TABLE, requests, helpers)]


def test_equal_scores_go_nearest_first_then_lowest_id() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [KINDS, {**NEAR, "weight": 1e-9}]})
    here = (136.65, 36.56)
    helpers = [{"id": 9, "kinds": ["snow"], "place": (136.66, 36.56)},  # about 0.9 km
               {"id": 4, "kinds": ["snow"], "place": (136.66, 36.56)},  # the same point: the lower id first
               {"id": 5, "kinds": ["snow"], "place": here},
               {"id": 1, "kinds": ["festival"], "place": here}]  # nothing shared, far from a tie: not listed
    assert ids(spec, [{"id": 1, "kinds": ["snow"], "place": here}], helpers) == [[5, 4, 9]]


def test_equal_scores_without_distance_go_by_id_whatever_the_order_given() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [KINDS], "top": 3})
    helpers = [{"id": i, "kinds": ["snow"]} for i in (8, 3, 11, 2, 6)]
    assert ids(spec, [{"id": 1, "kinds": ["snow"]}], helpers) == [[2, 3, 6]]
    assert ids(spec, [{"id": 1, "kinds": ["snow"]}], list(reversed(helpers))) == [[2, 3, 6]]


def test_the_higher_score_wins_over_a_nearer_helper() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [KINDS, NEAR]})
    here = (136.65, 36.56)
    helpers = [{"id": 1, "kinds": ["snow"], "place": here}, {"id": 2, "kinds": ["snow", "festival"], "place": (136.66, 36.57)}]
    assert ids(spec, [{"id": 1, "kinds": ["snow", "festival"], "place": here}], helpers) == [[2, 1]]


def test_a_request_no_helper_fits_has_no_match_and_no_helpers_is_no_error() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [KINDS]})
    assert ids(spec, [{"id": 1, "kinds": ["patrol"]}, {"id": 2, "kinds": ["snow"]}], [{"id": 3, "kinds": ["snow"]}]) == [[], [3]]
    assert ids(spec, [{"id": 1, "kinds": ["snow"]}], []) == [[]]
    assert ids(spec, [], [{"id": 3, "kinds": ["snow"]}]) == []


def test_odd_values_score_nothing_and_raise_nothing() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [
        KINDS, NEAR, {"kind": "capacity", "request_field": "people", "helper_field": "people"}]})
    odd = [{"id": 1, "kinds": None, "place": ("x", 1), "people": "many"}, {"id": 2, "kinds": "snow", "place": (500, 91),
                                                                          "people": float("nan")}]
    result = rank(spec, TABLE, TABLE, odd, [*odd, {"id": 3, "kinds": ["snow"], "place": (136.6, 36.5), "people": 2}])
    assert [[m.helper_id for m in r.matches] for r in result] == [[], [2, 3]]


@pytest.mark.parametrize(("seed", "requests", "helpers"), [(1, 40, 300), (2, BLOCK + 30, 120), (3, 5, 2000)])
def test_the_engine_finds_what_the_bench_loop_finds(seed: int, requests: int, helpers: int) -> None:
    request_rows, helper_rows = bench_matching.make_rows(helpers, requests, seed=seed)
    assert bench_matching.engine_top(request_rows, helper_rows) == bench_matching.plain_loop(request_rows, helper_rows)


def plain_rank(spec: MatchingSpec, requests: list[dict[str, Any]], helpers: list[dict[str, Any]]) -> list[list[Any]]:
    """The generic reference: every pair scored by the plain-Python `pair_score` of each criterion, sorted."""
    scorers = [make_scorer(c, TABLE, TABLE, requests, helpers) for c in spec.criteria]
    weight = sum(c.weight for c in spec.criteria)
    best = []
    for request in requests:
        scored = []
        for helper in helpers:
            total, km = 0.0, None
            for criterion, scorer in zip(spec.criteria, scorers):
                if criterion.kind == "distance":
                    km = scorer.pair_km(request, helper)  # type: ignore[attr-defined]
                    if km is not None and km > (criterion.max_km or 0):
                        break
                total += criterion.weight * scorer.pair_score(request, helper)
            else:
                if score_key(total / weight) > 0:
                    scored.append((-score_key(total / weight), distance_key(km), helper["id"]))
        best.append([helper_id for *_, helper_id in sorted(scored)[:spec.top]])
    return best


@pytest.mark.parametrize("seed", range(6))
def test_the_engine_agrees_with_the_generic_loop_on_random_criteria(seed: int) -> None:
    rng = random.Random(seed)
    kinds = ("snow", "festival", "patrol", "clean")

    def row(i: int) -> dict[str, Any]:
        return {"id": i, "kinds": rng.sample(kinds, rng.randint(0, 3)), "people": rng.choice([None, 0, 1, 2, 5, 9]),
                "district": rng.choice(["", "a", "b", "c"]),
                "place": None if rng.random() < 0.1 else (round(136.6 + rng.random() / 10, 4), round(36.5 + rng.random() / 10, 4))}

    criteria = [KINDS, {**NEAR, "max_km": rng.choice([2, 5, 50]), "decay_km": rng.choice([0.5, 3])},
                {"kind": "capacity", "request_field": "people", "helper_field": "people"},
                {"kind": "same_area", "request_field": "district", "helper_field": "district"}]
    chosen = [dict(c, weight=rng.choice([0.5, 1, 2, 3])) for c in rng.sample(criteria, rng.randint(1, 4))]
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": chosen, "top": rng.randint(1, 6)})
    requests, helpers = [row(i) for i in range(30)], [row(i) for i in rng.sample(range(1, 1000), 150)]
    assert ids(spec, requests, helpers) == plain_rank(spec, requests, helpers)
