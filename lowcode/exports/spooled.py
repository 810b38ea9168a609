"""An export finished before it is sent: written to a spooled temporary file, a few MB in memory, then on disk.

The staff queue's export link answers with the whole file or with an error page, never with half a file: the file is
complete (and its audit entry written, with the row count) before the first byte leaves. Held in a
`SpooledTemporaryFile`, a large export costs disk, not memory (100,000 rows are tens of MB); the caller sends it
with `file_blocks`, which closes it (the temporary file is then removed) after the last block or when the sending
stops. Not werkzeug's `wrap_file`: its wrapper closes the file only when the server closes the response, and a
spooled file gains nothing from a server's `sendfile`.
"""
from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..runtime import AppRuntime
from .run import ExportRequest, run_export

SPOOL_BYTES = 4 * 1024 * 1024  # kept in memory up to this size, then moved to a temporary file
BLOCK_BYTES = 64 * 1024


def spooled_export(runtime: AppRuntime, engine: sa.Engine, request: ExportRequest, audience: Audience,
                   actor: audit.Actor, clauses: Sequence[Any] = ()) -> tuple[IO[bytes], int]:
    """The complete export, rewound to its start, and its size in bytes; nothing left open when it fails."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115  # outlives this call: sent, then closed
    try:
        run_export(runtime, engine, request, audience, out, actor, clauses)
        size = out.seek(0, io.SEEK_END)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return out, size


def file_blocks(out: IO[bytes]) -> Iterator[bytes]:
    """The file from where it stands, block by block, closed once read to its end (or when the sending stops: the
    server closes the response, which closes this generator)."""
    with out:
        while block := out.read(BLOCK_BYTES):
            yield block
