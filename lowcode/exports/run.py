"""One export: the rows a request selects, for an audience, written in a format, and recorded in the audit log.

Both channels call `run_export`: the command line (the staff audience, or the public's with `--audience public`)
and the staff queue's export links (the account's role that may `export` the table, `export_audience`). The
rows are read through the records layer (`records.bulk_reads.query_all_rows`) with the queue's `ListSpec`, so a
link exports exactly the rows the queue shows with the same filters and search, in the same order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..records.bulk_reads import query_all_rows
from ..records.queries import PageRequest
from ..runtime import AppRuntime
from ..spec.models import ListSpec
from ..staff.queue import queue_list
from ..words import N_
from .columns import ExportOptions, export_columns, export_fields
from .csv_file import write_csv
from .geojson_file import feature_properties, geometry_field, write_geojson
from .where import ExportError, where_conditions
from .xlsx_file import write_xlsx

FORMATS = ("csv", "xlsx", "geojson")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}


@dataclass(frozen=True)
class ExportRequest:
    """What to export: a table, a format, the queue's query string (`filters`) and the command line's `--where`."""

    table: str
    format: str
    options: ExportOptions
    filters: PageRequest = field(default_factory=PageRequest)
    where: Sequence[str] = ()
    from_queue: bool = False  # a staff queue's link: its filters and order


def export_audience(runtime: AppRuntime, table_name: str, audiences: Sequence[Audience]) -> Audience | None:
    """The account's role that exports the table: among its roles that may `export` it, one that sees private
    fields first (as `staff.queue.table_audience` chooses the reader); None when none may."""
    table = runtime.spec.tables[table_name]
    allowed = [audience for audience in audiences if audience.may(table, "export")]
    seeing = [audience for audience in allowed if audience.may(table, "see_private")]
    chosen = seeing or allowed
    return chosen[0] if chosen else None


def has_geometry(runtime: AppRuntime, table_name: str, audience: Audience) -> bool:
    table = runtime.spec.tables[table_name]
    return geometry_field(table, export_fields(table, audience)) is not None


def run_export(
    runtime: AppRuntime, engine: sa.Engine, request: ExportRequest, audience: Audience, out: IO[bytes],
    actor: audit.Actor, clauses: Sequence[Any] = (),
) -> int:
    """Write the export to `out` and append an `export` entry to the audit log; the number of rows exported.
    ExportError (before anything is written) for a request that cannot be exported. `clauses`: the queue's
    filters the records layer does not know (assignee, area: `staff.queue_filters.queue_filter_clauses`)."""
    table = runtime.spec.tables[request.table]
    fields = export_fields(table, audience)
    conditions = where_conditions(table, fields, request.where, request.options.lang)
    geometry = geometry_field(table, fields)
    if request.format == "geojson" and geometry is None:
        raise ExportError(N_("The table %(table)s has no location field to export as GeoJSON: choose csv or xlsx."),
                          table=request.table)
    spec = export_list(runtime, request, audience)
    batches = query_all_rows(runtime, engine, spec, request.filters, audience, fields, conditions, clauses=clauses)
    if request.format == "geojson" and geometry is not None:
        properties = feature_properties(runtime, table, fields, geometry, request.options,
                                        audience.sees_reference_numbers)
        count = write_geojson(properties, geometry, batches, out)
    else:
        columns = export_columns(runtime, table, fields, audience, request.options)
        if request.format == "xlsx":
            count = write_xlsx(columns, batches, out, runtime.text(table.label, request.options.lang, request.table))
        else:
            count = write_csv(columns, batches, out)
    record_export(runtime, engine, request, audience, actor, count)
    return count


def export_list(runtime: AppRuntime, request: ExportRequest, audience: Audience) -> ListSpec:
    """The rows to read as a list: from the queue, the queue's (its filters, search and order); from the command
    line, every row the audience may see, oldest first (no list's filters apply)."""
    if request.from_queue:
        return queue_list(request.table, runtime.spec.tables[request.table], audience)
    return ListSpec(table=request.table, sort="created_at")


def record_export(
    runtime: AppRuntime, engine: sa.Engine, request: ExportRequest, audience: Audience, actor: audit.Actor, count: int,
) -> None:
    """Who exported which rows of which table, how, and how many: the filter as asked (query string, --where)."""
    asked = {key: value for key, value in request.filters.filters.items() if key not in ("page", "lang")}
    after = {"format": request.format, "audience": audience.name, "choices": request.options.choices,
             "filter": asked, "where": list(request.where), "rows": count}
    with engine.begin() as conn:
        audit.record(conn, app=runtime.name, action="export", actor=actor, table=request.table, after=after)
