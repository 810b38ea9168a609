from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, MetaData, inspect

from lowcode.places.base import GeocodeResult, GeocodeUnavailable
from lowcode.places.cache import (
    TABLE_NAME,
    CachedGeocoder,
    GeocodeCache,
    MemoryGeocodeCache,
    SqlGeocodeCache,
    define_cache_table,
)
from lowcode.places.geocoder import ChainGeocoder, build_geocoder
from lowcode.spec.places import GeocoderSpec

AGENT = "lowcode-tests (places@example.jp)"


class CountingGeocoder:
    """A fake service that counts how often it is asked."""

    def __init__(self, answer: GeocodeResult | None = None, error: GeocodeUnavailable | None = None) -> None:
        self.answer, self.error, self.calls = answer, error, 0

    def geocode(self, address: str) -> GeocodeResult | None:
        self.calls += 1
        if self.error:
            raise self.error
        return self.answer

    def reverse(self, lon: float, lat: float) -> str | None:
        self.calls += 1
        if self.error:
            raise self.error
        return self.answer.name if self.answer else None


HIROSAKA = GeocodeResult(136.6578, 36.560745, "広坂一丁目", "nominatim")


@pytest.fixture(params=["memory", "table", "table-and-recent"])
def cache(request: pytest.FixtureRequest, engine: Engine) -> GeocodeCache:
    if request.param == "memory":
        return MemoryGeocodeCache()
    return SqlGeocodeCache(engine, recent=0 if request.param == "table" else 100)


def test_a_repeated_address_is_asked_once(cache) -> None:
    service = CountingGeocoder(HIROSAKA)
    geocoder = CachedGeocoder(service, cache, "hazards", city="石川県金沢市")
    answers = [geocoder.geocode(a) for a in ("金沢市広坂１丁目", "広坂一丁目", "石川県金沢市広坂1丁目")]
    assert answers == [HIROSAKA] * 3
    assert service.calls == 1


def test_not_found_is_remembered_too(cache) -> None:
    service = CountingGeocoder(None)
    geocoder = CachedGeocoder(service, cache, "hazards")
    assert geocoder.geocode("どこにもない町") is None
    assert geocoder.geocode("どこにもない町") is None
    assert service.calls == 1


def test_an_outage_is_not_remembered(cache) -> None:
    service = CountingGeocoder(error=GeocodeUnavailable("timeout"))
    geocoder = CachedGeocoder(service, cache, "hazards")
    for _ in range(2):
        with pytest.raises(GeocodeUnavailable):
            geocoder.geocode("広坂")
    assert service.calls == 2


def test_apps_do_not_share_answers(cache) -> None:
    service = CountingGeocoder(HIROSAKA)
    CachedGeocoder(service, cache, "hazards").geocode("広坂")
    CachedGeocoder(service, cache, "snow").geocode("広坂")
    assert service.calls == 2


def test_reverse_answers_are_remembered_per_spot(cache) -> None:
    service = CountingGeocoder(HIROSAKA)
    geocoder = CachedGeocoder(service, cache, "hazards")
    assert geocoder.reverse(136.657801, 36.560712) == "広坂一丁目"
    assert geocoder.reverse(136.6578012, 36.5607121) == "広坂一丁目"
    assert service.calls == 1


def test_a_bounded_memory_cache_forgets_the_least_recent() -> None:
    cache = MemoryGeocodeCache(max_entries=2)
    cache.put("a", "1", HIROSAKA)
    cache.put("a", "2", HIROSAKA)
    assert cache.get("a", "1") is not None  # now the most recent
    cache.put("a", "3", None)
    assert [cache.get("a", q) is not None for q in ("1", "2", "3")] == [True, False, True]


def test_sql_cache_survives_a_restart(engine: Engine) -> None:
    SqlGeocodeCache(engine).put("hazards", "広坂1丁目", HIROSAKA)
    again = SqlGeocodeCache(engine).get("hazards", "広坂1丁目")
    assert again is not None and again.result == HIROSAKA


def test_cache_table_joins_the_apps_metadata(engine: Engine) -> None:
    metadata = MetaData()
    table = define_cache_table(metadata)
    assert define_cache_table(metadata) is table
    metadata.create_all(engine)
    assert TABLE_NAME in inspect(engine).get_table_names()


def test_a_second_writer_of_the_same_query_is_harmless(engine: Engine) -> None:
    first, second = SqlGeocodeCache(engine, recent=0), SqlGeocodeCache(engine, recent=0)
    first.put("hazards", "広坂", HIROSAKA)
    second.put("hazards", "広坂", None)
    found = second.get("hazards", "広坂")
    assert found is not None and found.result == HIROSAKA


def test_chain_stops_at_the_first_answer() -> None:
    first, second = CountingGeocoder(HIROSAKA), CountingGeocoder(HIROSAKA)
    assert ChainGeocoder([first, second]).geocode("広坂") == HIROSAKA
    assert (first.calls, second.calls) == (1, 0)


def test_chain_reports_an_outage_rather_than_not_found() -> None:
    chain = ChainGeocoder([CountingGeocoder(None), CountingGeocoder(error=GeocodeUnavailable("unavailable"))])
    with pytest.raises(GeocodeUnavailable):
        chain.geocode("広坂")


def test_chain_answers_despite_an_outage_earlier_in_line() -> None:
    chain = ChainGeocoder([CountingGeocoder(error=GeocodeUnavailable("timeout")), CountingGeocoder(HIROSAKA)])
    assert chain.geocode("広坂") == HIROSAKA


def app_with_towns(tmp_path: Path, towns_csv: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "towns.csv").write_bytes(towns_csv.read_bytes())
    return tmp_path


def geocoder_spec(nominatim, **online: object) -> GeocoderSpec:
    return GeocoderSpec.model_validate(
        {
            "city": "石川県金沢市",
            "gazetteer": {"file": "data/towns.csv", "name": "town"},
            "online": {"domain": nominatim.domain, "scheme": "http", "user_agent": AGENT, "min_delay_seconds": 0, **online},
        }
    )


def test_gazetteer_answers_before_the_online_service(tmp_path: Path, towns_csv: Path, nominatim) -> None:
    geocoder = build_geocoder(geocoder_spec(nominatim), app_with_towns(tmp_path, towns_csv), cache=MemoryGeocodeCache())
    result = geocoder.geocode("金沢市広坂１丁目")
    assert result is not None and result.name == "広坂一丁目" and result.source == "gazetteer"
    assert geocoder.reverse(136.6578, 36.560745) == "広坂一丁目"
    assert nominatim.requests == []


def test_online_answers_what_the_gazetteer_does_not_know_once(tmp_path: Path, towns_csv: Path, nominatim) -> None:
    geocoder = build_geocoder(geocoder_spec(nominatim), app_with_towns(tmp_path, towns_csv), cache=MemoryGeocodeCache())
    first, second = geocoder.geocode("金沢駅"), geocoder.geocode("金沢駅")
    assert first == second and first is not None and first.source == "nominatim"
    assert nominatim.searches() == ["金沢駅"]


def test_online_down_still_leaves_the_gazetteer(tmp_path: Path, towns_csv: Path, nominatim) -> None:
    spec = geocoder_spec(nominatim, domain=nominatim.broken_domain)
    geocoder = build_geocoder(spec, app_with_towns(tmp_path, towns_csv))
    assert geocoder.geocode("広坂1-1-1") is not None
    with pytest.raises(GeocodeUnavailable) as caught:
        geocoder.geocode("金沢駅")
    assert caught.value.message("ja") == "住所検索は現在使えません。地図をクリックしてピンを置いてください。"
