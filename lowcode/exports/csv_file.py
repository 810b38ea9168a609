"""CSV in UTF-8 with a byte-order mark: Excel in Japan opens it without garbling (without the mark it reads
Shift_JIS). Values with line breaks are quoted (the line breaks kept); text a spreadsheet would run is neutralised."""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import IO

from ..records.bulk_reads import RowBatch
from .columns import Column, Value, neutralise

ENCODING = "utf-8-sig"  # writes the BOM first


def write_csv(columns: list[Column], batches: Iterable[RowBatch], out: IO[bytes]) -> int:
    """Write the header and every row to `out` (left open); the number of rows."""
    text = io.TextIOWrapper(out, encoding=ENCODING, newline="")
    try:
        writer = csv.writer(text)  # minimal quoting, CRLF line ends: what Excel writes itself
        writer.writerow([neutralise(column.header) for column in columns])
        count = 0
        for batch in batches:
            writer.writerows([csv_text(column.read(row, batch.titles)) for column in columns] for row in batch.rows)
            count += len(batch.rows)
        text.flush()
    finally:
        text.detach()
    return count


def csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)
