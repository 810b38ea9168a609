from __future__ import annotations

import threading

import pytest

from lowcode.places.postal import lookup_postal_code, normalise_postal_code


@pytest.mark.parametrize("written", ["〒920-0962", "９２０－０９６２", "9200962", "920 0962", "〒９２０ー０９６２"])
def test_postal_code_fills_prefecture_city_and_town(written: str) -> None:
    found = lookup_postal_code(written)
    assert found is not None
    assert (found.postal_code, found.prefecture, found.city, found.town) == ("920-0962", "石川県", "金沢市", "広坂")
    assert found.address == "石川県金沢市広坂"


def test_code_for_several_towns_leaves_the_town_to_the_resident() -> None:
    found = lookup_postal_code("920-1101")
    assert found is not None
    assert found.town == "" and found.address == "石川県金沢市"
    assert found.towns == ("荒山町", "奥新保町", "砂子坂町")


def test_code_for_the_whole_city() -> None:
    found = lookup_postal_code("920-0000")
    assert found is not None and found.address == "石川県金沢市" and found.towns == ()


def test_an_offices_own_code_gives_its_full_address() -> None:
    found = lookup_postal_code("920-8577")
    assert found is not None
    assert found.office == "金沢市役所" and found.address == "石川県金沢市広坂1丁目1-1"


@pytest.mark.parametrize("written", ["123-4567", "920-096", "abc", "", "920-09621"])
def test_unknown_or_malformed_codes_are_none(written: str) -> None:
    assert lookup_postal_code(written) is None


def test_normalise_postal_code() -> None:
    assert normalise_postal_code("〒９２０－０９６２") == "9200962"
    assert normalise_postal_code("92009") is None


def test_as_dict_is_json_ready() -> None:
    found = lookup_postal_code("9200962")
    assert found is not None and found.as_dict()["town"] == "広坂"


def test_lookup_works_from_a_request_thread() -> None:
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(lookup_postal_code("9200962")))
    thread.start()
    thread.join()
    assert found and found[0] is not None
