"""The state of the disk that holds the instance folder (the residents' data): ok, low, full or unwritable."""
from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

LOW_BYTES = 100 * 1024 * 1024  # below this (or below 1 %) /healthz says "degraded": time to free space
LOW_SHARE = 0.01
FULL_BYTES = 20 * 1024 * 1024  # below this a photo or a write may fail: /healthz answers 503
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT, errno.EPERM})
DISK_MESSAGES = ("database or disk is full", "readonly database", "disk i/o error", "no space left")


@dataclass(frozen=True)
class DiskState:
    state: str  # "ok", "low", "full" or "unwritable"
    free_bytes: int

    @property
    def serves(self) -> bool:
        return self.state in ("ok", "low")


def disk_state(folder: Path) -> DiskState:
    try:
        usage = shutil.disk_usage(folder)
    except OSError:
        return DiskState("unwritable", 0)
    if not os.access(folder, os.W_OK):
        return DiskState("unwritable", usage.free)
    if usage.free < FULL_BYTES:
        return DiskState("full", usage.free)
    if usage.free < LOW_BYTES or usage.free < usage.total * LOW_SHARE:
        return DiskState("low", usage.free)
    return DiskState("ok", usage.free)


def is_disk_failure(error: BaseException) -> bool:
    """A write refused because the disk is full or read-only (by the OS, or by SQLite saying so)."""
    if isinstance(error, OSError) and error.errno in DISK_ERRNOS:
        return True
    text = str(getattr(error, "orig", None) or error).lower()
    return any(message in text for message in DISK_MESSAGES)
