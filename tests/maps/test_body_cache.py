"""The GeoJSON body cache is bounded by bytes (raw and gzip bodies, and the keys), least recently used out first."""
from __future__ import annotations

import gzip
import os

from lowcode.maps.body_cache import DEFAULT_BUDGET_MB, BodyCache, budget_bytes, key_bytes


def body(n: int, size: int) -> bytes:
    # Random bytes do not compress, so a gzip body is about as large as the raw one.
    return b"%d:" % n + os.urandom(size)


def test_many_bbox_variants_stay_within_the_budget() -> None:
    cache = BodyCache(max_bytes=50_000)
    for n in range(200):
        entry = cache.put(("demo", "hazards", f"bbox=136.{n},36,137,37".encode(), (n,)), body(n, 3_000))
        assert entry.gzipped  # every browser asks for gzip: both bodies count
        assert cache.total_bytes <= cache.max_bytes
    kept = [cache.get(key) for key in cache.order()]
    assert cache.total_bytes == sum(entry.size for entry in kept if entry is not None)
    assert 5 <= len(cache) < 200


def test_the_least_recently_used_answer_leaves_first() -> None:
    keys = [("demo", "t", f"bbox={n}".encode()) for n in range(4)]
    size = len(body(0, 1_000)) + key_bytes(keys[0])
    cache = BodyCache(max_bytes=3 * size)
    for n, key in enumerate(keys[:3]):
        cache.put(key, body(n, 1_000))
    assert cache.get(keys[0]) is not None  # used again: now the most recent
    cache.put(keys[3], body(3, 1_000))
    assert cache.order() == [keys[2], keys[0], keys[3]]


def test_an_answer_larger_than_the_budget_is_served_but_not_kept() -> None:
    cache = BodyCache(max_bytes=10_000)
    cache.put("small", body(1, 1_000))
    big = cache.put("big", body(2, 20_000))
    assert big.body.startswith(b"2:") and gzip.decompress(big.gzipped) == big.body
    assert cache.order() == ["small"] and cache.total_bytes <= 10_000


def test_a_gzip_that_no_longer_fits_lets_its_pair_go() -> None:
    cache = BodyCache(max_bytes=9_000)
    entry = cache.put("k", body(1, 6_000))
    assert cache.order() == ["k"]
    assert gzip.decompress(entry.gzipped) == entry.body  # raw + gzip > budget: still served, no longer kept
    assert cache.order() == [] and cache.total_bytes == 0


def test_an_evicted_entry_gzipped_later_is_not_counted() -> None:
    cache = BodyCache(max_bytes=5_000)
    first = cache.put("a", body(1, 2_000))
    cache.put("b", body(2, 2_000))
    cache.put("c", body(3, 2_000))  # "a" leaves
    assert "a" not in cache.order()
    total = cache.total_bytes
    assert gzip.decompress(first.gzipped) == first.body
    assert cache.total_bytes == total


def test_many_empty_answers_count_their_keys() -> None:
    """Long query strings with empty answers are not free: 1,000 of 4 KB each must not all be kept in 100 KB."""
    cache = BodyCache(max_bytes=100_000)
    for n in range(1_000):
        cache.put(("demo", "t", b"x=" + b"%04d" % n * 1_000), b'{"type":"FeatureCollection","features":[]}')
    assert cache.total_bytes <= 100_000 and len(cache) < 30


def test_the_budget_setting_in_megabytes() -> None:
    assert budget_bytes(None) == budget_bytes("") == int(DEFAULT_BUDGET_MB * 1024 * 1024)
    assert budget_bytes("0.5") == 512 * 1024 and budget_bytes(0) == 0
    assert budget_bytes("lots") == budget_bytes(-1) == budget_bytes("nan") == budget_bytes(None)
