"""The files the staff import page keeps between its steps (upload → columns → preview → apply).

Each upload is written to `<instance>/imports/<token>.upload` (0600, in a 0700 folder) with a small JSON
`<token>.json` naming the account, app and table it belongs to. The token is random (`secrets`), checked against a
strict pattern before it becomes a path, and worth nothing to another account (`load_upload` answers None, the
page 404). Files are removed after apply, and any older than `KEEP_SECONDS` on the next upload. Never served.
"""
from __future__ import annotations

import contextlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from ..private_files import make_private_folder, write_private_file

KEEP_SECONDS = 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@dataclass(frozen=True)
class Upload:
    token: str
    file_name: str
    data: bytes


def uploads_folder(instance_path: str) -> Path:
    return make_private_folder(Path(instance_path) / "imports")


def keep_upload(folder: Path, owner: dict[str, str], file_name: str, data: bytes) -> str:
    """Store the file for the next steps; its token."""
    forget_old_uploads(folder)
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
    write_private_file(folder / f"{token}.upload", data)
    meta = {**owner, "file_name": file_name, "at": time.time()}
    write_private_file(folder / f"{token}.json", json.dumps(meta).encode())
    return token


def load_upload(folder: Path, token: str, owner: dict[str, str]) -> Upload | None:
    """The upload of `token` when it belongs to `owner` (account, app, table) and is not too old; else None."""
    if not TOKEN.fullmatch(token):
        return None
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        if any(meta.get(key) != value for key, value in owner.items()) or expired(meta):
            return None
        return Upload(token, str(meta.get("file_name", "")), (folder / f"{token}.upload").read_bytes())
    except (OSError, ValueError):
        return None


def forget_upload(folder: Path, token: str) -> None:
    if TOKEN.fullmatch(token):
        for suffix in (".upload", ".json"):
            with contextlib.suppress(OSError):
                (folder / f"{token}{suffix}").unlink()


def expired(meta: dict[str, object]) -> bool:
    at = meta.get("at")
    return not isinstance(at, (int, float)) or time.time() - at > KEEP_SECONDS


def forget_old_uploads(folder: Path) -> None:
    """Uploads nobody applied within the hour (a closed tab) do not stay on the server."""
    now = time.time()
    for path in folder.glob("*.upload"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > KEEP_SECONDS:
                forget_upload(folder, path.stem)
