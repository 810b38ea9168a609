"""The engine's tiles and top-N pick against plain loops: ties at shared points, missing places, points all over
the globe, more proposals than the argmax passes find, and the candidate helpers of each tile (issue 12, bench)."""
from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest
from test_ranking import TABLE, ids, plain_rank

from lowcode.matching.engine import ARGMAX_TOP, NEARBY, _top
from lowcode.matching.parts import Distance, haversine_km, make_scorer
from lowcode.spec.matching import MatchingSpec

KINDS = ("snow", "festival", "patrol", "clean")


def random_rows(rng: random.Random, count: int, ids_from: list[int], place: Any) -> list[dict[str, Any]]:
    return [{"id": i, "kinds": rng.sample(KINDS, rng.randint(0, 3)), "people": rng.choice([None, 0, 1, 2, 5, 9, -3]),
             "district": rng.choice(["", "a", "b"]), "place": place()} for i in rng.sample(ids_from, count)]


def random_spec(rng: random.Random, max_km: float, top: int) -> MatchingSpec:
    criteria = [{"kind": "category", "request_field": "kinds", "helper_field": "kinds"},
                {"kind": "capacity", "request_field": "people", "helper_field": "people"},
                {"kind": "same_area", "request_field": "district", "helper_field": "district"}]
    chosen = [{"kind": "distance", "request_field": "place", "helper_field": "place", "max_km": max_km,
               "decay_km": rng.choice([0.5, 3, 1000])}, *rng.sample(criteria, rng.randint(0, 3))]
    return MatchingSpec.model_validate({"requests": "t", "helpers": "t", "top": top,
                                        "criteria": [dict(c, weight=rng.choice([0.5, 1, 2])) for c in chosen]})


@pytest.mark.parametrize(("seed", "top"), [(1, 5), (2, 1), (3, ARGMAX_TOP + 1), (4, 50), (5, 5)])
def test_ties_at_shared_points_and_missing_places_rank_as_the_plain_loop(seed: int, top: int) -> None:
    rng = random.Random(seed)
    shared = [(round(136.6 + rng.random() / 20, 4), round(36.5 + rng.random() / 20, 4)) for _ in range(6)]

    def place() -> tuple[float, float] | None:
        roll = rng.random()
        if roll < 0.1:
            return None  # no place: scores 0 on distance, excludes no one
        return rng.choice(shared) if roll < 0.6 else (round(136.6 + rng.random() / 10, 4), round(36.5 + rng.random() / 10, 4))

    requests = random_rows(rng, 3 * NEARBY + 5, list(range(1, 200)), place)
    helpers = random_rows(rng, 400, list(range(1, 5000)), place)
    spec = random_spec(rng, rng.choice([1, 3, 8]), top)
    found = ids(spec, requests, helpers)
    assert found == plain_rank(spec, requests, helpers)
    assert any(len(picks) == top for picks in found)  # not a run where nobody matches


@pytest.mark.parametrize(("seed", "max_km"), [(1, 300), (2, 3000), (3, 12000), (4, 25000)])
def test_points_all_over_the_globe_rank_as_the_plain_loop(seed: int, max_km: float) -> None:
    rng = random.Random(seed)
    corners = [(179.999, 0.0), (-179.999, 0.5), (0.0, 90.0), (45.0, -90.0)]  # across the date line, the poles

    def place() -> tuple[float, float]:
        return rng.choice(corners) if rng.random() < 0.2 else (round(rng.uniform(-180, 180), 3), round(rng.uniform(-90, 90), 3))

    requests = random_rows(rng, 50, list(range(1, 100)), place)
    helpers = random_rows(rng, 300, list(range(1, 5000)), place)
    spec = random_spec(rng, max_km, 5)
    assert ids(spec, requests, helpers) == plain_rank(spec, requests, helpers)


def test_each_tile_holds_every_helper_within_reach_and_leaves_out_far_ones() -> None:
    rng = random.Random(7)

    def place() -> tuple[float, float] | None:
        return None if rng.random() < 0.05 else (rng.uniform(136.4, 136.9), rng.uniform(36.3, 36.8))

    requests = random_rows(rng, 100, list(range(1, 200)), place)
    helpers = sorted(random_rows(rng, 500, list(range(1, 1000)), place), key=lambda h: h["id"])
    criterion = random_spec(rng, 4, 5).criteria[0]
    distance = make_scorer(criterion, TABLE, TABLE, requests, helpers)
    assert isinstance(distance, Distance)
    tiles = list(distance.tiles(8))
    assert sorted(int(r) for rows, _ in tiles for r in rows) == list(range(len(requests)))  # each request once
    for rows, cols in tiles:
        assert list(cols) == sorted(cols)  # index order: equal keys go to the lower id
        for r in rows:
            a = requests[r]["place"]
            within = {i for i, h in enumerate(helpers) if not a or not h["place"] or haversine_km(a, h["place"]) <= 4}
            assert within <= set(cols.tolist())
    located = [cols for rows, cols in tiles if all(requests[r]["place"] for r in rows)]
    assert max(len(cols) for cols in located) < len(helpers) / 2  # far helpers are left out, not scored


@pytest.mark.parametrize("top", [1, 3, ARGMAX_TOP, ARGMAX_TOP + 1, 40])
def test_the_top_keys_of_each_row_largest_first_then_the_lower_place(top: int) -> None:
    rng = np.random.default_rng(top)
    keys = rng.integers(-3, 6, size=(20, 30)).astype(np.float64)  # few values: many ties
    keys[3] = -np.inf
    places, chosen = _top(keys.copy(), top)
    for row in range(keys.shape[0]):
        expected = sorted(range(keys.shape[1]), key=lambda c: (-keys[row, c], c))[:top]
        assert chosen[row].tolist() == keys[row, expected].tolist()
        finite = [place for place in expected if keys[row, place] > -np.inf]  # -inf is never a match
        assert places[row].tolist()[:len(finite)] == finite
    assert chosen[3].tolist() == [-np.inf] * min(top, keys.shape[1])  # no more than there are
