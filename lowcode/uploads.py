"""Where residents' photos live on disk, and for how long.

A photo arrives with a form that may still fail (a required field left empty, a taken value). It is cleaned
(`lowcode.photos`) and written to `uploads/<app>/pending/`, and its name comes back in the form so the resident's
retry finds it. Only when the row is stored does the file move to `uploads/<app>/`, the one folder photos are
served from. A pending photo untouched for PENDING_LIFETIME was abandoned: the sweep deletes it. Sweeps run on
upload, at most every SWEEP_INTERVAL seconds across all workers (a marker file's time tells when the last ran).
"""
from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import send_from_directory

from .photos import DEFAULT_MAX_SIDE_PX, MIMETYPES, clean_photo, needs_cleaning
from .private_files import PRIVATE_FILE, make_private_folder, remove_world_access, write_private_file
from .values import InvalidValue

STORED_IMAGE_RE = re.compile(r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")
PENDING = "pending"
REFUSED = "refused"  # stored files that turn out not to be images are moved here by `lowcode clean-photos`
PENDING_LIFETIME = 2 * 3600  # seconds a resident has to send a failed form again without choosing the photo again
SWEEP_INTERVAL = 600
SWEEP_MARKER = ".last_sweep"

if TYPE_CHECKING:
    from werkzeug.wrappers import Response

    from .spec.models import TableSpec

log = logging.getLogger("lowcode")


def pending_folder(upload_dir: Path) -> Path:
    return upload_dir / PENDING


def receive_photo(data: bytes, upload_dir: Path, max_side: int | None = None) -> str:
    """Clean the photo and keep it as pending; its new name. InvalidValue for a refused file, OSError for the disk."""
    photo = clean_photo(data, max_side or DEFAULT_MAX_SIDE_PX)
    folder = make_private_folder(pending_folder(upload_dir))
    name = f"{secrets.token_hex(16)}.{photo.extension}"
    write_private_file(folder / name, photo.data)
    sweep_pending(upload_dir)
    return name


def kept_photo(name: str | None, upload_dir: Path) -> str | None:
    """The pending photo a failed attempt received, still there; a retry gives it another PENDING_LIFETIME."""
    if not name or not STORED_IMAGE_RE.match(name):
        return None
    path = pending_folder(upload_dir) / name
    try:
        os.utime(path)
    except OSError:
        return None
    return name


def publish_photos(upload_dir: Path, names: Iterable[str]) -> None:
    """Move the photos of a row being stored from pending to the served folder (a rename: atomic, same disk)."""
    for name in names:
        source = pending_folder(upload_dir) / name
        if source.exists():
            os.replace(source, upload_dir / name)


def submitted_photos(table: TableSpec, values: Mapping[str, Any]) -> list[str]:
    """The photo names a row about to be stored holds."""
    return [value for name, value in values.items() if table.fields[name].type == "image" and isinstance(value, str)]


def withdraw_photos(upload_dir: Path, names: Iterable[str]) -> None:
    """Undo publish_photos when the row was not stored after all, so the resident's retry still finds them."""
    for name in names:
        with contextlib.suppress(OSError):
            os.replace(upload_dir / name, pending_folder(upload_dir) / name)


def photo_response(folder: Path, filename: str, max_age: int) -> Response:
    """A stored photo with the type it was encoded in; `nosniff` so no browser reads it as anything else."""
    extension = filename.rsplit(".", 1)[-1]
    response = send_from_directory(folder, filename, mimetype=MIMETYPES[extension], max_age=max_age)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'  # our own name: [0-9a-f] and one dot
    return response


def sweep_pending(upload_dir: Path, *, force: bool = False, now: float | None = None) -> int:
    """Delete pending photos untouched for PENDING_LIFETIME; how many. Skipped when a sweep ran recently."""
    folder = pending_folder(upload_dir)
    now = time.time() if now is None else now
    marker = folder / SWEEP_MARKER
    if not force and _modified_at(marker) > now - SWEEP_INTERVAL:
        return 0
    with contextlib.suppress(OSError):
        marker.touch(mode=PRIVATE_FILE)
    removed = 0
    for path in _photo_files(folder):
        if _modified_at(path) < now - PENDING_LIFETIME:
            with contextlib.suppress(OSError):  # gone meanwhile, or a read-only disk: try again next sweep
                path.unlink()
                removed += 1
    if removed:
        log.info("removed %d abandoned photo(s) from %s", removed, folder)
    return removed


def sweep_abandoned_photos(upload_folder: Path, app_names: Iterable[str]) -> None:
    """At start: the pending photos of every app, whenever the last sweep ran."""
    for name in app_names:
        sweep_pending(upload_folder / name, force=True)


def _modified_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _photo_files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if STORED_IMAGE_RE.match(p.name) and p.is_file()]
    except OSError:
        return []


@dataclass
class CleanReport:
    """What `lowcode clean-photos` did in one app's folder."""

    cleaned: int = 0
    already_clean: int = 0
    refused: list[str] = field(default_factory=list)
    unreferenced: int = 0
    abandoned: int = 0


def clean_stored_photos(upload_dir: Path, max_sides: dict[str, int | None], *, now: float | None = None) -> CleanReport:
    """Re-clean every stored photo; `max_sides` maps each name a row references to its field's `max_side_px`.

    A file no row references (left by a failed attempt before photos went through `pending/`) is deleted once it
    is older than PENDING_LIFETIME; a file that is not an image is moved to `refused/` for staff to look at.
    """
    now = time.time() if now is None else now
    report = CleanReport(abandoned=sweep_pending(upload_dir, force=True, now=now))
    for path in _photo_files(upload_dir):
        if path.name not in max_sides:
            if _modified_at(path) < now - PENDING_LIFETIME:
                path.unlink()
                report.unreferenced += 1
            continue
        remove_world_access(path)  # stored 0644 by versions before the instance folder was private
        outcome = reclean_file(path, max_sides[path.name] or DEFAULT_MAX_SIDE_PX)
        if outcome == "refused":
            make_private_folder(upload_dir / REFUSED)
            os.replace(path, upload_dir / REFUSED / path.name)
            report.refused.append(path.name)
        elif outcome == "cleaned":
            report.cleaned += 1
        else:
            report.already_clean += 1
    return report


def reclean_file(path: Path, max_side: int) -> str:
    """"cleaned", "clean" (left as it was) or "refused"; the file keeps its name, so rows need no change."""
    data = path.read_bytes()
    extension = path.suffix.lstrip(".")
    try:
        if not needs_cleaning(data, max_side):
            return "clean"
        photo = clean_photo(data, max_side, extension=extension)
    except InvalidValue:
        return "refused"
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    write_private_file(draft, photo.data)
    os.replace(draft, path)  # a reader sees the old file or the new one, never half of one
    return "cleaned"

