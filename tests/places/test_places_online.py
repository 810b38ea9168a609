from __future__ import annotations

import pytest

from lowcode.places.base import GeocodeUnavailable
from lowcode.places.online import NominatimGeocoder

AGENT = "lowcode-tests (places@example.jp)"


def stub_geocoder(domain: str, **options: object) -> NominatimGeocoder:
    return NominatimGeocoder(user_agent=AGENT, domain=domain, scheme="http", timeout=2, min_delay_seconds=0, **options)  # type: ignore[arg-type]


def test_geocode_through_real_http_and_json(nominatim) -> None:
    result = stub_geocoder(nominatim.domain).geocode("金沢駅")
    assert result is not None
    assert (result.lon, result.lat) == (136.648, 36.578)
    assert result.name == "金沢駅, 木ノ新保町, 金沢市, 石川県, 日本" and result.source == "nominatim"


def test_request_carries_user_agent_language_and_country(nominatim) -> None:
    stub_geocoder(nominatim.domain).geocode("金沢駅")
    request = nominatim.requests[-1]
    assert request["user_agent"] == AGENT
    assert request["accept-language"] == "ja" and request["countrycodes"] == "jp" and request["format"] == "json"


def test_service_area_bounds_the_search(nominatim) -> None:
    stub_geocoder(nominatim.domain, bbox=(136.5, 36.4, 136.8, 36.7)).geocode("金沢駅")
    request = nominatim.requests[-1]
    assert request["viewbox"] == "136.5,36.4,136.8,36.7" and request["bounded"] == "1"


def test_unknown_address_is_none(nominatim) -> None:
    assert stub_geocoder(nominatim.domain).geocode("どこにもない町") is None


def test_reverse_names_the_most_local_part(nominatim) -> None:
    assert stub_geocoder(nominatim.domain).reverse(136.6578, 36.5607) == "広坂一丁目"
    request = nominatim.requests[-1]
    assert (request["path"], request["lat"], request["lon"]) == ("/reverse", "36.5607", "136.6578")


def test_slow_service_times_out_with_a_plain_message(nominatim) -> None:
    slow = NominatimGeocoder(user_agent=AGENT, domain=nominatim.slow_domain, scheme="http", timeout=0.2, min_delay_seconds=0)
    with pytest.raises(GeocodeUnavailable) as caught:
        slow.geocode("金沢駅")
    assert caught.value.reason == "timeout"
    assert caught.value.message("en") == (
        "The address search did not answer in time. Please place the pin on the map by hand."
    )
    assert caught.value.message("ja") == "住所検索から時間内に応答がありませんでした。地図をクリックしてピンを置いてください。"


def test_server_error_is_unavailable(nominatim) -> None:
    with pytest.raises(GeocodeUnavailable) as caught:
        stub_geocoder(nominatim.broken_domain).geocode("金沢駅")
    assert caught.value.reason == "unavailable"
    assert caught.value.message("en") == (
        "The address search is not available right now. Please place the pin on the map by hand."
    )
    assert caught.value.message("ja") == "住所検索は現在使えません。地図をクリックしてピンを置いてください。"


def test_reverse_errors_are_unavailable_too(nominatim) -> None:
    with pytest.raises(GeocodeUnavailable):
        stub_geocoder(nominatim.broken_domain).reverse(136.6, 36.5)


def test_a_server_that_is_not_there_is_unavailable(nominatim) -> None:
    closed = f"127.0.0.1:{free_port()}"
    with pytest.raises(GeocodeUnavailable) as caught:
        stub_geocoder(closed).geocode("金沢駅")
    assert caught.value.reason == "unavailable"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
