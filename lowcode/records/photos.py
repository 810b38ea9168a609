"""The photos rows hold: which stored files rows name (`lowcode clean-photos`), and whether an audience may see one
(the uploads address). The files' own work, cleaning and sweeping, is lowcode/uploads.py."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

from ..audience import PUBLIC, Audience
from ..references import photo_is_visible
from ..runtime import AppRuntime
from ..uploads import CleanReport, clean_stored_photos


def query_photo_sides(runtime: AppRuntime, engine: sa.Engine) -> dict[str, int | None]:
    """Every photo name a row of the app holds → the `max_side_px` of its field."""
    names: dict[str, int | None] = {}
    with engine.connect() as conn:
        for store in runtime.stores.values():
            for field_name, spec in store.spec.fields.items():
                if spec.type == "image":
                    column = store.table.c[field_name]
                    for (name,) in conn.execute(sa.select(column).where(column.is_not(None))):
                        names[name] = spec.max_side_px
    return names


def clean_all_stored_photos(runtimes: Iterable[AppRuntime], engine: sa.Engine, upload_folder: Path) -> list[tuple[str, CleanReport]]:
    """`lowcode clean-photos`: every app's stored photos, each with the `max_side_px` of the field that holds it."""
    return [(runtime.name, clean_stored_photos(upload_folder / runtime.name, query_photo_sides(runtime, engine)))
            for runtime in runtimes]


def query_photo_visible(runtime: AppRuntime, engine: sa.Engine, filename: str, audience: Audience = PUBLIC) -> bool:
    """Whether the audience may see the stored photo: its field and its row (`references.photo_is_visible`)."""
    with engine.connect() as conn:
        return photo_is_visible(runtime, filename, conn, audience)
