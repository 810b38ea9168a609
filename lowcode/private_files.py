"""The instance folder holds residents' data (database, photos, secret key): nobody else on the server may read it.

Folders are created 0700 and files 0600 by the engine itself, instead of changing the process umask (which is
global to the process and would also change files other code writes). Folders and files that already exist lose
their permissions for "others" only: a group an administrator granted (say, for backups) is left as it is.
"""
from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
WORLD = 0o007

log = logging.getLogger("lowcode")


def make_private_folder(path: Path) -> Path:
    """Create `path` and its missing parents 0700; an existing folder loses access for others."""
    for folder in reversed([path, *path.parents]):
        if not folder.exists():
            folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    remove_world_access(path)
    return path


def remove_world_access(path: Path) -> None:
    """Take read/write/enter permission away from others; a folder we cannot change is logged, not fatal."""
    try:
        mode = path.stat().st_mode & 0o7777
        if mode & WORLD:
            path.chmod(mode & ~WORLD)
    except OSError as exc:
        log.warning("could not restrict the permissions of %s: %s", path, exc)


def private_opener(path: str, flags: int) -> int:
    """An `opener` for open(): a file it creates is 0600 from its first byte, whatever the umask."""
    return os.open(path, flags, PRIVATE_FILE)


def write_private_file(path: Path, data: bytes) -> None:
    """Write a new file readable by the owner only; raises OSError (disk full, read-only) with nothing left behind."""
    try:
        with open(path, "xb", opener=private_opener) as handle:
            handle.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


def prepare_sqlite_file(url: str) -> None:
    """Create the SQLite file 0600 before SQLAlchemy does; SQLite gives its -wal and -shm files the same mode."""
    parsed = sa.engine.make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return
    path = Path(parsed.database)
    if path.parent.is_dir() and not path.exists():
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))  # empty file = empty database
    for existing in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if existing.exists():
            remove_world_access(existing)
