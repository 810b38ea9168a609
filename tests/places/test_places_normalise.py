from __future__ import annotations

import pytest

from lowcode.places.normalise import chome_variants, kanji_to_int, normalise_address


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("広坂一丁目", "広坂1丁目"),
        ("金沢市広坂１丁目", "広坂1丁目"),
        ("石川県金沢市広坂１丁目", "広坂1丁目"),
        ("石川県　金沢市　広坂　１丁目", "広坂1丁目"),
        ("広坂一丁目１番１号", "広坂1丁目1-1"),
        ("広坂1丁目1番地1", "広坂1丁目1-1"),
        ("広坂二丁目12番地の3", "広坂2丁目12-3"),
        ("広坂１－１－１", "広坂1-1-1"),
        ("広坂1ー1ー1", "広坂1-1-1"),
        ("広坂1−1", "広坂1-1"),
        ("〒920-0962 石川県金沢市広坂1-1-1", "広坂1-1-1"),
        ("四十万三丁目", "四十万3丁目"),
        ("下本多町五番丁", "下本多町5番丁"),
        ("醒ヶ井町", "醒ケ井町"),
        ("金沢市大字大桑町", "大桑町"),
        ("三十苅町", "三十苅町"),
    ],
)
def test_normalise_writes_every_form_one_way(written: str, expected: str) -> None:
    assert normalise_address(written, city="石川県金沢市") == expected


def test_normalise_keeps_the_city_when_none_is_configured() -> None:
    assert normalise_address("石川県金沢市広坂１丁目") == "金沢市広坂1丁目"


def test_normalise_strips_a_district_town_with_or_without_its_gun() -> None:
    assert normalise_address("河北郡津幡町加賀爪", city="石川県河北郡津幡町") == "加賀爪"
    assert normalise_address("津幡町加賀爪", city="石川県河北郡津幡町") == "加賀爪"


@pytest.mark.parametrize(("numeral", "value"), [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("二〇", 20), ("百五", 105)])
def test_kanji_numerals(numeral: str, value: int) -> None:
    assert kanji_to_int(numeral) == value


def test_a_leading_number_may_be_the_chome() -> None:
    assert chome_variants("広坂1-2-3") == ["広坂1-2-3", "広坂1丁目2-3"]
    assert chome_variants("広坂1丁目2-3") == ["広坂1丁目2-3"]
