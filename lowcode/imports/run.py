"""Importing a CSV or .xlsx file into a table: every row checked as a staff member's submission would be, then all of them
stored in one transaction, or none.

`check_import` reads and checks everything without writing (what `--dry-run` prints); `apply_import` checks the
same way and, only when no row has a problem, inserts them all (derived fields computed, the table version bumped
once) with one `import` entry in the audit log, in the same transaction. Files are read by `sources`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .. import audit
from ..audience import STAFF, Audience
from ..collector import collector_paused
from ..messages import value_message
from ..records.checks import check_values, database_conflicts, defaults_outside
from ..records.workflow import seed_status
from ..runtime import AppRuntime
from ..services import derive_values
from ..spec.models import TableSpec
from ..values import InvalidValue, parse_location
from ..words import N_, words_for
from .cells import Parser, cell_parser, unneutralise
from .columns import Target, column_limit, plan_columns
from .points import PointColumns, point_columns
from .sources import UnreadableFile, read_rows

MAX_PROBLEMS = 1000  # a file with every row wrong is reported in part, not in a million lines
PROGRESS_EVERY = 1000  # rows between two calls of a progress callback
INSERT_CHUNK = 5000  # rows per executemany: memory stays flat, progress moves, the driver batches within a chunk
Progress = Callable[[int, int], None]  # (rows done, rows in all): the command line's bar, the staff page's figure


@dataclass
class ImportReport:
    rows: list[dict[str, Any]] = field(default_factory=list)  # the values to store, when there are no problems
    problems: list[str] = field(default_factory=list)  # "row N, column C: why" (or a column problem), translated
    row_count: int = 0
    notices: list[str] = field(default_factory=list)  # what was read otherwise than written (swapped columns), translated

    @property
    def ok(self) -> bool:
        return not self.problems


def check_import(runtime: AppRuntime, engine: sa.Engine, table_name: str, data: bytes, mapped: Mapping[str, str],
                 lang: str, progress: Progress | None = None, audience: Audience = STAFF) -> ImportReport:
    """Every row read and checked; nothing written. Needs a request context (messages are translated).
    `progress(done, total)` is called every `PROGRESS_EVERY` rows and at the end. `audience`: the importer's role
    (a reference may name only rows it sees, as on its forms); the command line imports as STAFF."""
    with collector_paused():
        return read_and_check(runtime, engine, table_name, data, mapped, lang, progress, audience)


def read_and_check(runtime: AppRuntime, engine: sa.Engine, table_name: str, data: bytes, mapped: Mapping[str, str],
                   lang: str, progress: Progress | None, audience: Audience) -> ImportReport:
    """`check_import`'s work, with the cycle collector paused (every row read stays alive until the end)."""
    _ = words_for(lang)
    report = ImportReport()
    table = runtime.spec.tables[table_name]
    try:
        rows = read_rows(data, max_columns=column_limit(table))
    except UnreadableFile as error:
        report.problems.append(_(error.reason) % error.params)
        return report
    if not rows or not any(cell.strip() for cell in rows[0]):
        report.problems.append(_(N_("The file is empty: the first line must name the columns.")))
        return report
    plan = plan_columns(runtime, table, rows[0], mapped, lang)
    report.problems += plan.problems
    if plan.problems:
        return report
    points = point_columns(plan.targets, rows[1:])
    report.notices += swapped_notices(rows[0], points, lang)
    check_rows(runtime, engine, table_name, rows, plan.targets, points, report, lang, progress, audience)
    if not report.row_count and not report.problems:
        report.problems.append(_(N_("The file names its columns but has no rows below them: nothing to import.")))
    return report


def check_rows(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, rows: list[list[str]], targets: dict[int, Target],
    points: PointColumns, report: ImportReport, lang: str, progress: Progress | None, audience: Audience = STAFF,
) -> None:
    _ = words_for(lang)
    table = runtime.spec.tables[table_name]
    parsers = {index: cell_parser(table.fields[target.field]) for index, target in targets.items()}
    seen: dict[str, set[Any]] = {name: set() for name, spec in table.fields.items() if spec.unique}
    total = len(rows) - 1
    shape = RowShape.of(table, rows[0], targets)
    with engine.connect() as conn:
        for number, cells in enumerate(rows[1:], start=2):
            if progress is not None and (number - 1) % PROGRESS_EVERY == 0 and number - 1 < total:
                progress(number - 1, total)
            if not any(cell.strip() for cell in cells):
                continue  # a blank line (Excel leaves some at the end)
            report.row_count += 1
            values = read_row(runtime, table_name, rows[0], cells, targets, parsers, number, report, conn, lang,
                              points, shape, audience)
            if values is not None and not repeated_unique(table, values, seen, number, rows[0], targets, report,
                                                           lang):
                report.rows.append(values)
            if len(report.problems) >= MAX_PROBLEMS:
                report.problems.append(_(N_("… and more: the first %(count)s problems are shown.")) % {"count": MAX_PROBLEMS})
                break
    if progress is not None:
        progress(total, total)


def swapped_notices(header: list[str], points: PointColumns, lang: str) -> list[str]:
    _ = words_for(lang)
    return [_(N_("Columns %(lat)s and %(lon)s hold longitudes and latitudes the other way round in every row: they "
                 "were read swapped back (latitude from %(lon)s, longitude from %(lat)s)."))
            % {"lat": header[points.columns[name]["lat"]].strip(), "lon": header[points.columns[name]["lon"]].strip()}
            for name in sorted(points.swapped)]


@dataclass(frozen=True)
class RowShape:
    """What every row of a file shares, worked out once: the column each field is named by in a message, the
    fields checked (the file's, then required ones it lacks), the defaults of the others, whether a row needs the
    database (unique values, references)."""

    columns: dict[str, str]
    fields: list[str]
    asks_database: bool
    defaults: dict[str, Any]

    @classmethod
    def of(cls, table: TableSpec, header: list[str], targets: dict[int, Target]) -> RowShape:
        columns: dict[str, str] = {}
        for index, target in targets.items():
            columns.setdefault(target.field, header[index].strip())
        fields = list(dict.fromkeys([*columns, *(n for n, s in table.fields.items()
                                                if s.required and s.derive is None and n not in columns)]))
        asks = any(table.fields[n].unique or table.fields[n].type == "reference" for n in fields)
        return cls(columns, fields, asks, defaults_outside(table, fields))


def read_row(
    runtime: AppRuntime, table_name: str, header: list[str], cells: list[str], targets: dict[int, Target],
    parsers: dict[int, Parser], number: int, report: ImportReport, conn: sa.Connection, lang: str,
    point_reading: PointColumns | None = None, shape: RowShape | None = None, audience: Audience = STAFF,
) -> dict[str, Any] | None:
    """One row's values, checked (required, limits, unique, references); None with its problems reported."""
    shape = shape or RowShape.of(runtime.spec.tables[table_name], header, targets)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    points: dict[str, dict[str, str]] = {}
    width = len(cells)
    for index, target in targets.items():
        text = cells[index] if index < width else ""
        if text[:1] == "'":  # the one cell in many an export neutralised: no call for the others
            text = unneutralise(text)
        if target.part:
            points.setdefault(target.field, {})[target.part] = text
            continue
        try:
            values[target.field] = parsers[index](text)
        except InvalidValue as error:
            errors[target.field] = value_message(error.key, **error.params)
    for name, parts in points.items():
        try:
            lat, lon = parts.get("lat", ""), parts.get("lon", "")
            if point_reading is not None:
                lat, lon = point_reading.read(name, lat, lon)
            values[name] = parse_location(lon, lat)
        except InvalidValue as error:
            errors[name] = value_message(error.key, **error.params)
    checked = check_values(runtime, table_name, values, shape.fields, lang, errors, with_defaults=False, typed=True)
    checked.values.update(shape.defaults)
    if checked.ok and not shape.asks_database:
        return checked.values  # most rows of most files
    problems = {**checked.errors, **(database_conflicts(runtime, table_name, checked.values, conn, audience)
                                     if checked.ok and shape.asks_database else {})}
    if not problems:
        return checked.values
    _ = words_for(lang)
    for name, message in problems.items():
        report.problems.append(_(N_("Row %(row)s, column %(column)s: %(message)s"))
                               % {"row": number, "column": shape.columns.get(name, name), "message": message})
    return None


def repeated_unique(
    table: TableSpec, values: Mapping[str, Any], seen: dict[str, set[Any]], number: int, header: list[str],
    targets: dict[int, Target], report: ImportReport, lang: str,
) -> bool:
    """True (reported) when a unique field's value is one an earlier row of the file holds: the database would
    refuse the whole insert without saying which row."""
    repeated = False
    for name, values_seen in seen.items():
        value = values.get(name)
        if value in (None, ""):
            continue
        if value in values_seen:
            column = next((header[i].strip() for i, target in targets.items() if target.field == name), name)
            report.problems.append(words_for(lang)(N_("Row %(row)s, column %(column)s: %(message)s"))
                                   % {"row": number, "column": column, "message": value_message("not_unique")})
            repeated = True
        values_seen.add(value)
    return repeated


def apply_import(runtime: AppRuntime, engine: sa.Engine, table_name: str, report: ImportReport, actor: audit.Actor,
                 source: str, progress: Progress | None = None) -> int:
    """Store every checked row in one transaction (all or none), with one `import` audit entry; inserted
    `INSERT_CHUNK` rows at a time (derived fields computed per chunk), `progress(done, total)` after each."""
    if not report.ok:
        return 0
    store = runtime.stores[table_name]
    table = runtime.spec.tables[table_name]
    total = len(report.rows)
    if progress is not None:
        progress(0, total)  # storing has begun (reported before the transaction holds any lock)
    with collector_paused(), engine.begin() as conn:
        for start in range(0, total, INSERT_CHUNK):
            chunk = report.rows[start:start + INSERT_CHUNK]
            store.insert_many(conn, [derive_values(runtime, table_name, seed_status(table, row)) for row in chunk])
            if progress is not None:
                progress(start + len(chunk), total)
        audit.record(conn, app=runtime.name, action="import", actor=actor, table=table_name,
                     after={"file": source, "rows": len(report.rows)})
    return len(report.rows)
