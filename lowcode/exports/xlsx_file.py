"""Excel `.xlsx` through openpyxl's write-only mode (rows streamed to the file, not kept as cell objects): the
labels as a bold, frozen header; dates as dates, date-times as the city's local time, numbers as numbers.

openpyxl writes any text starting with `=` as a formula: every text is neutralised first (it then starts with
`'`), the header's cells are typed as strings explicitly, and characters XML cannot hold (control characters) are
dropped rather than refused.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..records.bulk_reads import RowBatch
from .columns import Column, Value, neutralise

# Column widths in characters (a full-width character counts two): the header's, within what a type usually needs.
TYPE_WIDTHS = {"ref": 14, "datetime": 17, "date": 12, "number": 12, "integer": 10, "boolean": 8, "textarea": 50,
               "area": 40}
DEFAULT_WIDTH, MAX_WIDTH = 20, 60
SHEET_TITLE_RE = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(columns: list[Column], batches: Iterable[RowBatch], out: IO[bytes], title: str) -> int:
    """Write one sheet named `title` to `out`; the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column_width(column)
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, column.header, font=bold) for column in columns])
    count = 0
    for batch in batches:
        for row in batch.rows:
            sheet.append([xlsx_value(column.read(row, batch.titles)) for column in columns])
        count += len(batch.rows)
    workbook.save(out)
    return count


def xlsx_value(value: Value) -> Value:
    """Plain values (openpyxl reuses one cell object for them: a third of the time of a cell each). Text is
    neutralised first, so it never starts with `=` and openpyxl never takes it for a formula; dates and date-times
    get openpyxl's date formats."""
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(value)) if isinstance(value, str) else value


def text_cell(sheet: Any, value: str, font: Font | None = None) -> Any:
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
    cell.data_type = "s"  # never "f": openpyxl would store text starting with = as a formula
    if font is not None:
        cell.font = font
    return cell


def column_width(column: Column) -> float:
    header = sum(2 if ord(ch) > 0x2E7F else 1 for ch in column.header) + 2
    return float(min(MAX_WIDTH, max(header, TYPE_WIDTHS.get(column.type, DEFAULT_WIDTH))))


def sheet_title(title: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return SHEET_TITLE_RE.sub(" ", title).strip()[:31] or "Sheet1"
