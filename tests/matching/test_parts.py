"""Each criterion of the matching engine on its own: its score and its reason in ja and en (issue 12)."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from lowcode.matching import rank
from lowcode.matching.parts import haversine_km
from lowcode.spec.matching import MatchingSpec
from lowcode.spec.models import TableSpec

KORINBO = (136.6555, 36.5613)  # 香林坊
KANAZAWA_STATION = (136.6484, 36.5781)  # about 1.96 km north-west of 香林坊

CATEGORY = {"type": "multichoice", "choices": [{"key": "snow", "label": {"ja": "除雪", "en": "Snow clearing"}},
                                               {"key": "festival", "label": {"ja": "祭り", "en": "Festival"}},
                                               {"key": "patrol"}]}
DAYS = {"type": "multichoice", "choices": [{"key": d} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]}
TABLE = TableSpec.model_validate({"fields": {
    "kinds": CATEGORY, "kind": {"type": "choice", "choices": CATEGORY["choices"]},
    "place": {"type": "location"}, "day": {"type": "date"}, "days": DAYS,
    "people": {"type": "integer"}, "district": {"type": "text", "label": {"ja": "校下", "en": "District"}},
}})


def match_one(criterion: dict[str, Any], request: dict[str, Any], helper: dict[str, Any]) -> Any:
    """The one helper's match for the one request, or None when it is no match."""
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [criterion]})
    [result] = rank(spec, TABLE, TABLE, [{"id": 1, **request}], [{"id": 7, **helper}])
    return result.matches[0] if result.matches else None


def test_category_scores_the_share_of_the_requested_kinds_and_names_them() -> None:
    criterion = {"kind": "category", "request_field": "kinds", "helper_field": "kinds"}
    match = match_one(criterion, {"kinds": ["snow", "festival"]}, {"kinds": ["snow", "patrol"]})
    assert match.score == pytest.approx(0.5, abs=1e-6)
    assert match.reasons("ja") == ["除雪"] and match.reasons("en") == ["Snow clearing"]
    assert match_one(criterion, {"kinds": ["snow"]}, {"kinds": ["festival"]}) is None  # nothing shared: no match
    assert match_one(criterion, {"kinds": []}, {"kinds": ["festival"]}) is None


def test_category_compares_a_choice_with_a_multichoice() -> None:
    match = match_one({"kind": "category", "request_field": "kind", "helper_field": "kinds"},
                      {"kind": "festival"}, {"kinds": ["festival", "snow"]})
    assert match.score == pytest.approx(1.0) and match.reasons("ja") == ["祭り"]


def test_distance_halves_every_decay_km_and_shows_the_km() -> None:
    criterion = {"kind": "distance", "request_field": "place", "helper_field": "place", "max_km": 5, "decay_km": 1}
    km = haversine_km(KORINBO, KANAZAWA_STATION)
    assert 1.9 < km < 2.0
    match = match_one(criterion, {"place": KORINBO}, {"place": KANAZAWA_STATION})
    assert match.score == pytest.approx(0.5 ** km, abs=1e-6)
    assert match.distance_km == pytest.approx(km, abs=0.001)
    assert match.reasons("ja") == [f"{km:.1f} km"] == match.reasons("en")


def test_a_helper_beyond_max_km_is_no_match_even_when_all_else_fits() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [
        {"kind": "distance", "request_field": "place", "helper_field": "place", "max_km": 1.5},
        {"kind": "category", "request_field": "kinds", "helper_field": "kinds", "weight": 10}]})
    [result] = rank(spec, TABLE, TABLE, [{"id": 1, "place": KORINBO, "kinds": ["snow"]}],
                    [{"id": 2, "place": KANAZAWA_STATION, "kinds": ["snow"]}, {"id": 3, "place": KORINBO, "kinds": []}])
    assert [m.helper_id for m in result.matches] == [3]  # 1.96 km away is out, however well it fits


def test_a_missing_location_scores_nothing_but_excludes_no_one() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [
        {"kind": "distance", "request_field": "place", "helper_field": "place", "max_km": 1},
        {"kind": "category", "request_field": "kinds", "helper_field": "kinds"}]})
    [result] = rank(spec, TABLE, TABLE, [{"id": 1, "place": KORINBO, "kinds": ["snow"]}],
                    [{"id": 2, "place": None, "kinds": ["snow"]}])
    [match] = result.matches
    assert match.score == pytest.approx(0.5, abs=1e-6) and match.distance_km is None
    assert match.reasons("ja") == ["除雪"]


@pytest.mark.parametrize(("request_row", "helper_row", "ja", "en"), [
    ({"day": dt.date(2027, 1, 9)}, {"days": ["sat", "sun"]}, "土曜", "Sat"),  # 2027-01-09 is a Saturday
    ({"days": ["sat", "sun", "mon"]}, {"day": dt.date(2027, 1, 10)}, "日曜", "Sun"),
])
def test_dates_match_a_day_with_weekdays(request_row: dict[str, Any], helper_row: dict[str, Any], ja: str, en: str) -> None:
    request_field = "day" if "day" in request_row else "days"
    helper_field = "day" if "day" in helper_row else "days"
    match = match_one({"kind": "dates", "request_field": request_field, "helper_field": helper_field},
                      request_row, helper_row)
    assert match.reasons("ja") == [ja] and match.reasons("en") == [en]


def test_dates_share_weekdays_and_a_weekday_off_is_no_match() -> None:
    criterion = {"kind": "dates", "request_field": "days", "helper_field": "days"}
    match = match_one(criterion, {"days": ["sat", "sun"]}, {"days": ["sun", "mon"]})
    assert match.score == pytest.approx(0.5, abs=1e-6) and match.reasons("en") == ["Sun"]
    assert match_one({"kind": "dates", "request_field": "day", "helper_field": "days"},
                     {"day": dt.date(2027, 1, 11)}, {"days": ["sat"]}) is None  # a Monday


def test_two_dates_match_on_the_same_day_only() -> None:
    criterion = {"kind": "dates", "request_field": "day", "helper_field": "day"}
    assert match_one(criterion, {"day": dt.date(2027, 2, 1)}, {"day": "2027-02-01"}).reasons("en") == ["2027-02-01"]
    assert match_one(criterion, {"day": dt.date(2027, 2, 1)}, {"day": dt.date(2027, 2, 8)}) is None  # same weekday


def test_capacity_is_the_share_of_the_people_needed() -> None:
    criterion = {"kind": "capacity", "request_field": "people", "helper_field": "people"}
    match = match_one(criterion, {"people": 5}, {"people": 3})
    assert match.score == pytest.approx(0.6, abs=1e-6)
    assert match.reasons("ja") == ["5人中3人"] and match.reasons("en") == ["3 of 5 people"]
    assert match_one(criterion, {"people": 2}, {"people": 30}).score == pytest.approx(1.0)
    assert match_one(criterion, {"people": None}, {"people": 3}) is None
    assert match_one(criterion, {"people": 4}, {"people": -3}) is None


def test_same_area_says_same_district_in_both_languages() -> None:
    criterion = {"kind": "same_area", "request_field": "district", "helper_field": "district"}
    match = match_one(criterion, {"district": "長町"}, {"district": "長町"})
    assert match.score == pytest.approx(1.0)
    assert match.reasons("ja") == ["同じ校下"] and match.reasons("en") == ["same district"]
    assert match_one(criterion, {"district": "長町"}, {"district": "菊川"}) is None
    assert match_one(criterion, {"district": ""}, {"district": ""}) is None  # no area is not the same area


def test_parts_list_every_criterion_with_its_score() -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [
        {"kind": "same_area", "request_field": "district", "helper_field": "district", "weight": 3},
        {"kind": "capacity", "request_field": "people", "helper_field": "people", "weight": 1}]})
    [result] = rank(spec, TABLE, TABLE, [{"id": 1, "district": "長町", "people": 4}],
                    [{"id": 2, "district": "長町", "people": 1}])
    [match] = result.matches
    assert [(p.kind, p.score) for p in match.parts] == [("same_area", 1.0), ("capacity", 0.25)]
    assert match.score == pytest.approx((3 * 1.0 + 1 * 0.25) / 4, abs=1e-6)
    assert match.reasons("ja") == ["同じ校下", "4人中1人"]


AREA_TABLE = TableSpec.model_validate({"fields": {
    "district": {"type": "reference", "to": "districts", "label": {"ja": "校下", "en": "School district"}},
}})


@pytest.mark.parametrize(("request_area", "helper_area", "same"), [
    (3, 3, True), (3, "3", True), ("3", 3.0, True),  # a row id however the reader gave it
    (3, 4, False), (None, None, False), (None, 3, False), ("", "", False), (0, 0, False), ("x", "x", False),
])
def test_same_area_compares_references_by_row_id(request_area: Any, helper_area: Any, same: bool) -> None:
    spec = MatchingSpec.model_validate({"requests": "t", "helpers": "t", "criteria": [
        {"kind": "same_area", "request_field": "district", "helper_field": "district"}]})
    [result] = rank(spec, AREA_TABLE, AREA_TABLE, [{"id": 1, "district": request_area}],
                    [{"id": 2, "district": helper_area}, {"id": 3, "district": 99}])
    assert [m.helper_id for m in result.matches] == ([2] if same else [])
    if same:
        # the reason names the area by the field's label, not by the row id
        assert result.matches[0].reasons("ja") == ["同じ校下"]
        assert result.matches[0].reasons("en") == ["same school district"]
