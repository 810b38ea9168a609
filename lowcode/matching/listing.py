"""The matching of a staff page: both tables read through the records layer for the reader's roles, then ranked.

Only the fields the criteria compare (and each table's title) are read, and only those the reader's role may see:
a helper's private contact never reaches the engine nor the page. `requests_where`/`helpers_where` and the role's
scope (`visible_rows_clauses`, inside `query_all_rows`) decide the rows. At most `MAX_ROWS` of each table are
matched (the oldest requests first, the helpers by id): the page says so when a table holds more.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import Audience
from ..records import PageRequest
from ..records.bulk_reads import query_all_rows
from ..runtime import AppRuntime
from ..spec.matching import MatchingSpec
from ..spec.models import ListSpec, TableSpec
from ..staff.queue import table_audience
from .engine import RequestMatches, rank

MAX_ROWS = 5000  # per table and page view: the engine ranks 10,000 × 2,000 in well under a second


@dataclass(frozen=True)
class SideRows:
    rows: list[dict[str, Any]]
    capped: bool  # the table held more than MAX_ROWS matching rows: only the first were matched


@dataclass(frozen=True)
class RankedMatching:
    requests: SideRows
    helpers: SideRows
    ranked: list[RequestMatches]  # in the order of `requests.rows`


def matching_readers(runtime: AppRuntime, matching: MatchingSpec,
                     audiences: Sequence[Audience]) -> tuple[Audience, Audience] | None:
    """The roles an account reads the requests and the helpers with; None when it cannot view both tables."""
    tables = runtime.spec.tables
    requests = table_audience(tables[matching.requests], audiences)
    helpers = table_audience(tables[matching.helpers], audiences)
    return (requests, helpers) if requests is not None and helpers is not None else None


def viewable_matchings(runtime: AppRuntime, audiences: Sequence[Audience]) -> list[tuple[str, MatchingSpec]]:
    """The matchings an account with these roles may open (the staff home links them)."""
    return [(name, m) for name, m in runtime.spec.matching.items() if matching_readers(runtime, m, audiences)]


def needed_fields(matching: MatchingSpec, table: TableSpec, side: str, audience: Audience) -> list[str]:
    """The criteria's fields of one side and the title field, those the audience may see."""
    key = "request_field" if side == "requests" else "helper_field"
    names = [getattr(c, key) for c in matching.criteria]
    title = audience.title_field(table)
    return audience.only_visible(table, dict.fromkeys([*names, *([title] if title else [])]))


def read_side(runtime: AppRuntime, engine: sa.Engine, matching: MatchingSpec, side: str,
              audience: Audience) -> SideRows:
    table_name = getattr(matching, side)
    table = runtime.spec.tables[table_name]
    where = matching.requests_where if side == "requests" else matching.helpers_where
    # requests: the longest waiting first; helpers: any order (the engine orders them by id)
    spec = ListSpec(table=table_name, where=where, sort="created_at" if side == "requests" else "-created_at")
    rows: list[dict[str, Any]] = []
    for batch in query_all_rows(runtime, engine, spec, PageRequest(), audience,
                                needed_fields(matching, table, side, audience), system=("id", "created_at")):
        rows.extend(batch.rows)
        if len(rows) > MAX_ROWS:
            return SideRows(rows[:MAX_ROWS], capped=True)
    return SideRows(rows, capped=False)


def rank_matching(runtime: AppRuntime, engine: sa.Engine, matching: MatchingSpec, request_reader: Audience,
                  helper_reader: Audience) -> RankedMatching:
    requests = read_side(runtime, engine, matching, "requests", request_reader)
    helpers = read_side(runtime, engine, matching, "helpers", helper_reader)
    tables = runtime.spec.tables
    ranked = rank(matching, tables[matching.requests], tables[matching.helpers], requests.rows, helpers.rows)
    return RankedMatching(requests, helpers, ranked)
