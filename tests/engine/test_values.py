"""Typed-in values become stored values the same way everywhere; full-width input is accepted."""
from __future__ import annotations

import datetime as dt

import pytest

from lowcode.constraints import check_value
from lowcode.fields import FIELD_TYPES, field_type
from lowcode.spec.fieldtypes import BUILTIN_KINDS, BUILTIN_TYPES
from lowcode.spec.models import FieldSpec
from lowcode.values import InvalidValue, parse_location, parse_scalar


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("integer", "１２", 12),
        ("integer", "1,200", 1200),
        ("integer", "－３", -3),
        ("number", "１．５", 1.5),
        ("boolean", "はい", True),
        ("boolean", "no", False),
        ("date", "２０２６／０４／０１", dt.date(2026, 4, 1)),
        ("datetime", "2026-04-01T08:30", dt.datetime(2026, 3, 31, 23, 30)),  # Japan time, stored as UTC
        ("email", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("phone", "０７６ー２２０ー２１１１", "076-220-2111"),
        ("phone", "(076) 220 2111", "076-220-2111"),
        ("phone", "09012345678", "09012345678"),
        ("postal_code", "〒９２０－０９６２", "920-0962"),
        ("postal_code", "9200962", "920-0962"),
        ("url", "https://www4.city.kanazawa.lg.jp/", "https://www4.city.kanazawa.lg.jp/"),
        ("text", "  広坂１丁目  ", "広坂１丁目"),
        ("text", "", None),
    ],
)
def test_parse_scalar_normalises_japanese_input(kind: str, raw: str, stored: object) -> None:
    assert parse_scalar(kind, raw) == stored


@pytest.mark.parametrize(
    ("kind", "raw", "key"),
    [
        ("integer", "十二", "not_integer"),
        ("number", "abc", "not_number"),
        ("date", "2026-13-01", "not_date"),
        ("email", "taro.example.jp", "not_email"),
        ("phone", "12345", "not_phone"),
        ("phone", "1234567890", "not_phone"),
        ("postal_code", "920-09", "not_postal_code"),
        ("url", "javascript:alert(1)", "not_url"),
        ("boolean", "maybe", "not_boolean"),
    ],
)
def test_parse_scalar_refuses_with_a_message_key(kind: str, raw: str, key: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_scalar(kind, raw)
    assert caught.value.key == key


def test_location_is_lon_lat_and_checked() -> None:
    assert parse_location("136.65", "36.56") == (136.65, 36.56)
    assert parse_location("", "") is None
    with pytest.raises(InvalidValue):
        parse_location("136.65", "95")
    with pytest.raises(InvalidValue):
        parse_location("east", "36.5")


@pytest.mark.parametrize(
    ("spec", "value", "failure"),
    [
        ({"type": "integer", "min": 1, "max": 10}, 0, ("too_small", {"limit": "1"})),
        ({"type": "integer", "min": 1, "max": 10}, 11, ("too_large", {"limit": "10"})),
        ({"type": "integer", "min": 1, "max": 10}, 5, None),
        ({"type": "number", "max": 2.5}, 2.6, ("too_large", {"limit": "2.5"})),
        ({"type": "date", "min": "2026-04-01"}, dt.date(2026, 3, 31), ("too_early", {"limit": "2026-04-01"})),
        ({"type": "text", "min_length": 2}, "あ", ("too_short", {"limit": 2})),
        ({"type": "text", "max_length": 3}, "あいうえ", ("too_long", {"limit": 3})),
        ({"type": "text", "pattern": "[0-9]{4}"}, "12345", ("pattern", {})),
        ({"type": "text", "pattern": "[0-9]{4}"}, "1234", None),
        ({"type": "choice", "choices": [{"key": "a"}]}, "b", ("not_choice", {})),
        ({"type": "multichoice", "choices": [{"key": "a"}, {"key": "b"}], "max": 1}, ["a", "b"], ("too_many", {"limit": "1"})),
    ],
)
def test_constraints(spec: dict[str, object], value: object, failure: object) -> None:
    assert check_value(FieldSpec.model_validate(spec), value) == failure


def test_every_spec_field_type_has_an_engine_class() -> None:
    assert set(FIELD_TYPES) == set(BUILTIN_TYPES)
    for kind in BUILTIN_KINDS:  # the spec half names its engine half, and that is the class registered
        assert type(field_type(kind.name)).__name__ == kind.engine.rpartition(":")[2]
