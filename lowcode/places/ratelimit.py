"""One request slot at a time to an online geocoder, shared by every worker and never waited for long.

The public Nominatim server allows one request a second *per installation*, not per worker: each request reserves
the next free slot in a store all workers share (Redis when the installation has one, else a small file in the
instance folder, locked with fcntl). A request whose slot is more than `max_wait` seconds away is not made at all:
the resident hears "busy, try again" at once instead of a worker sleeping inside the request.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .base import GeocodeUnavailable

T = TypeVar("T")
DEFAULT_MAX_WAIT = 1.0


class SlotStore(Protocol):
    def reserve(self, key: str, min_delay: float, max_wait: float) -> float | None:
        """Seconds until this request's slot (0 = now), or None when the next free slot is over `max_wait` away."""
        ...


def next_slot(last: float, now: float, min_delay: float, max_wait: float) -> float | None:
    """The start of the next free slot after `last`, or None when it is more than `max_wait` after `now`."""
    start = max(now, last + min_delay)
    return start if start - now <= max_wait else None


class MemorySlots:
    """Slots kept in this process: for tests, and for a single process without an instance folder."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, key: str, min_delay: float, max_wait: float) -> float | None:
        with self._lock:
            now = time.time()
            start = next_slot(self._last.get(key, 0.0), now, min_delay, max_wait)
            if start is not None:
                self._last[key] = start
            return None if start is None else start - now


class FileSlots:
    """Slots in `<folder>/<key>.slot`: the time of the last reserved slot, changed under an exclusive fcntl lock."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def reserve(self, key: str, min_delay: float, max_wait: float) -> float | None:
        import fcntl  # POSIX only; imported here so that the module loads everywhere

        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self.folder / f"{safe_key(key)}.slot"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            now = time.time()
            start = next_slot(read_float(os.pread(fd, 64, 0)), now, min_delay, max_wait)
            if start is not None:
                data = f"{start:.6f}".encode().ljust(32)
                os.pwrite(fd, data, 0)
            return None if start is None else start - now
        finally:
            os.close(fd)  # closing releases the lock


# Atomic in Redis: read the last slot, take the next one if it is near enough, store it (with an expiry).
RESERVE_SCRIPT = """
local now = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, last + tonumber(ARGV[2]))
if start - now > tonumber(ARGV[3]) then return nil end
redis.call('SET', KEYS[1], string.format('%.6f', start), 'EX', 3600)
return string.format('%.6f', start - now)
"""


class RedisSlots:
    """Slots in Redis (`REDIS_URL`), shared by every worker on every server of the installation."""

    def __init__(self, url: str, prefix: str = "lowcode:geocoder-slot:") -> None:
        import redis  # only installations with REDIS_URL need the client

        self.client: Any = redis.Redis.from_url(url, socket_timeout=1.0)
        self.prefix = prefix
        self._script = self.client.register_script(RESERVE_SCRIPT)

    def reserve(self, key: str, min_delay: float, max_wait: float) -> float | None:
        # The workers' clocks are used as they are: servers of one installation keep time with NTP.
        answer = self._script(keys=[self.prefix + key], args=[f"{time.time():.6f}", min_delay, max_wait])
        return None if answer is None else float(answer)


def limit_rate(
    call: Callable[..., T], slots: SlotStore, key: str, min_delay: float, max_wait: float = DEFAULT_MAX_WAIT
) -> Callable[..., T]:
    """`call`, made at most once every `min_delay` seconds across everything sharing `slots`; busy → GeocodeUnavailable."""

    def limited(*args: Any, **kwargs: Any) -> T:
        if min_delay > 0:
            wait = slots.reserve(key, min_delay, max_wait)
            if wait is None:
                raise GeocodeUnavailable("busy", f"no free slot within {max_wait} s")
            time.sleep(wait)
        return call(*args, **kwargs)

    return limited


def safe_key(key: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in key)[:100]


def read_float(data: bytes) -> float:
    try:
        return float(data.decode().strip() or 0)
    except ValueError:
        return 0.0
