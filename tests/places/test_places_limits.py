"""The online geocoder's limits: one shared request slot for every worker, a bounded cache, a bounded service area."""
from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine, func, select

from lowcode.places.base import GeocodeResult, GeocodeUnavailable
from lowcode.places.cache import MemoryGeocodeCache, SqlGeocodeCache
from lowcode.places.online import NominatimGeocoder
from lowcode.places.ratelimit import FileSlots, MemorySlots, RedisSlots, SlotStore

AGENT = "lowcode-tests (places@example.jp)"
REDIS_URL = os.environ.get("LOWCODE_TEST_REDIS", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=0.5).ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@pytest.fixture(params=["file", "redis"])
def slots(request: pytest.FixtureRequest, tmp_path: Path) -> SlotStore:
    """The store two workers share: the instance folder's lock file, or Redis."""
    if request.param == "file":
        return FileSlots(tmp_path / "slots")
    if not redis_available():
        if IN_CI:
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip("Redis is not reachable")
    return RedisSlots(REDIS_URL, prefix=f"lowcode-test:{time.time_ns()}:")


def worker(nominatim, slots: SlotStore, min_delay: float = 0.25) -> NominatimGeocoder:
    return NominatimGeocoder(
        user_agent=AGENT, domain=nominatim.domain, scheme="http", timeout=2, min_delay_seconds=min_delay, slots=slots
    )


def test_two_workers_share_one_limit_and_never_wait_long(nominatim, slots: SlotStore) -> None:
    workers = [worker(nominatim, slots), worker(nominatim, slots)]  # two processes' geocoders, one shared store
    outcomes: list[tuple[str, float]] = []
    lock = threading.Lock()

    def ask(geocoder: NominatimGeocoder) -> None:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                geocoder.geocode("金沢駅")
                outcome = "answered"
            except GeocodeUnavailable as exc:
                outcome = exc.reason
            with lock:
                outcomes.append((outcome, time.monotonic() - started))

    threads = [threading.Thread(target=ask, args=(w,)) for w in workers for _ in range(3)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    upstream = len(nominatim.searches())
    assert upstream <= 1 + elapsed / 0.25 + 0.5  # one request per 0.25 s for both workers together, not each
    assert upstream >= 3
    assert {o for o, _ in outcomes} == {"answered", "busy"}
    assert max(seconds for _, seconds in outcomes) < 1.0 + 0.5  # nobody waited much longer than max_wait


def test_a_busy_service_answers_at_once_with_a_plain_message(nominatim, slots: SlotStore) -> None:
    first, second = worker(nominatim, slots, min_delay=30), worker(nominatim, slots, min_delay=30)
    assert first.geocode("金沢駅") is not None
    started = time.monotonic()
    with pytest.raises(GeocodeUnavailable) as caught:
        second.geocode("金沢駅")
    assert time.monotonic() - started < 0.5
    assert caught.value.reason == "busy" and len(nominatim.searches()) == 1
    assert caught.value.message("ja") == "住所検索が混み合っています。数秒おいてもう一度試すか、地図をクリックしてピンを置いてください。"


def test_slots_in_one_process_are_shared_too() -> None:
    store = MemorySlots()
    assert store.reserve("k", 1.0, 1.0) == 0
    wait = store.reserve("k", 1.0, 1.0)
    assert wait is not None and 0.9 < wait <= 1.0
    assert store.reserve("k", 1.0, 1.0) is None  # two seconds away: refused, not queued


# --- the cache ------------------------------------------------------------------------------------------------

HIROSAKA = GeocodeResult(136.6578, 36.560745, "広坂一丁目", "nominatim")


def rows(cache: SqlGeocodeCache, engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(cache.table)).scalar_one())


def test_misses_are_remembered_briefly_and_finds_for_longer(engine: Engine) -> None:
    cache = SqlGeocodeCache(engine, recent=0, miss_ttl=dt.timedelta(seconds=0.2))
    cache.put("app", "どこにもない町", None)
    cache.put("app", "広坂", HIROSAKA)
    assert cache.get("app", "どこにもない町") is not None
    time.sleep(0.3)
    assert cache.get("app", "どこにもない町") is None  # asked again after a while
    found = cache.get("app", "広坂")
    assert found is not None and found.result == HIROSAKA


def test_an_expired_answer_is_replaced(engine: Engine) -> None:
    cache = SqlGeocodeCache(engine, recent=0, found_ttl=dt.timedelta(seconds=0))
    cache.put("app", "広坂", HIROSAKA)
    assert cache.get("app", "広坂") is None
    moved = GeocodeResult(136.7, 36.6, "広坂一丁目", "nominatim")
    cache.put("app", "広坂", moved)
    assert rows(cache, engine) == 1


def test_the_table_keeps_at_most_max_rows_the_newest(engine: Engine) -> None:
    cache = SqlGeocodeCache(engine, recent=0, max_rows=5, prune_every=1)
    for number in range(12):
        cache.put("app", f"町{number}", HIROSAKA)
        time.sleep(0.002)  # distinct timestamps
    assert rows(cache, engine) <= 5
    assert cache.get("app", "町11") is not None and cache.get("app", "町0") is None


def test_memory_copies_expire_too() -> None:
    cache = MemoryGeocodeCache(miss_ttl=dt.timedelta(seconds=0.1))
    cache.put("app", "x", None)
    assert cache.get("app", "x") is not None
    time.sleep(0.15)
    assert cache.get("app", "x") is None
    assert MemoryGeocodeCache().max_entries is not None  # never unbounded by default


# --- reverse geocoding stays near the service area ---------------------------------------------------------------

REVERSE_APP = """
title: 場所
service_area: {bbox: [136.50, 36.35, 136.85, 36.70]}
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town}
tables:
  spots:
    fields:
      place: {type: location}
"""


@pytest.fixture
def reverse_app(make_app: Callable[..., Flask], towns_csv: Path) -> Flask:
    return make_app(REVERSE_APP, files={"data/towns.csv": towns_csv.read_text(encoding="utf-8")})


def test_reverse_refuses_points_far_outside_the_service_area(reverse_app: Flask) -> None:
    client = reverse_app.test_client()
    tokyo = client.get("/demo/api/reverse?lon=139.767&lat=35.681&lang=en")
    assert tokyo.status_code == 400
    assert tokyo.json == {"error": "This place is outside the area this service covers."}
    assert client.get("/demo/api/reverse?lon=139.767&lat=35.681&lang=ja").json == {
        "error": "この場所はこのサービスの対象地域の外です。"
    }
    assert client.get("/demo/api/reverse?lon=136.6578&lat=36.5607").json == {"name": "広坂一丁目"}
    assert client.get("/demo/api/reverse?lon=136.45&lat=36.5607").status_code != 400  # just outside: within the margin


ONLINE_APP = """
title: 場所
geocoder:
  online: {domain: "DOMAIN", scheme: http, user_agent: "lowcode-tests", timeout: 1, min_delay_seconds: 30}
tables:
  spots:
    fields:
      place: {type: location}
"""


def test_two_workers_of_one_installation_share_the_limit_through_the_instance_folder(
    make_app: Callable[..., Flask], nominatim
) -> None:
    yaml = ONLINE_APP.replace("DOMAIN", nominatim.domain)
    first, second = make_app(yaml).test_client(), make_app(yaml).test_client()  # same instance folder, two processes' apps
    assert first.get("/demo/api/geocode", query_string={"q": "金沢駅"}).status_code == 200
    started = time.monotonic()
    busy = second.get("/demo/api/geocode", query_string={"q": "香林坊", "lang": "en"})
    assert time.monotonic() - started < 0.5
    assert busy.status_code == 503 and "Retry-After" in busy.headers
    assert busy.json == {
        "error": "The address search is busy. Please try again in a few seconds, or place the pin on the map by hand."
    }
    assert nominatim.searches() == ["金沢駅"]
