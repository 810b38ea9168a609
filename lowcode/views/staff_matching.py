"""The staff matching page `/<app>/staff/matching/<name>`: each open request with its best helpers, the score and
the reason of each part in the page's language, and the requests nobody suits.

A role reads each table with its own audience (`table_audience`); a role that cannot view both tables gets 403.
Requests are shown `PER_PAGE` at a time (`?page=`); every matched request is ranked, so the section of requests
without a match covers them all. Reading and ranking: lowcode/matching/listing.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, make_response, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from ..audience import Audience
from ..matching.engine import RequestMatches
from ..matching.listing import MAX_ROWS, matching_readers, rank_matching
from ..matching.proposal_reads import query_open_pairs
from ..records.queries import page_number
from ..runtime import AppRuntime
from ..spec.matching import MatchingSpec
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..templating import app_template
from .context import current_lang, page_context
from .engine import database_engine
from .staff_pages import private
from .staff_proposals import status_label
from .urls import same_page_url

PER_PAGE = 20


@dataclass(frozen=True)
class ShownMatch:
    helper_id: Any
    title: str
    score: str  # as a percentage
    distance_km: float | None
    reasons: list[str]


@dataclass(frozen=True)
class ShownRequest:
    request_id: Any
    title: str
    matches: list[ShownMatch]


def add_staff_matching_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/matching/<name>")
    def staff_matching(name: str) -> ResponseReturnValue:
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        matching = runtime.spec.matching.get(name)
        if matching is None:
            abort(404)
        account = current_staff()
        assert account is not None
        readers = matching_readers(runtime, matching, staff_audiences(runtime, account))
        if readers is None:
            return private(Response(status=403))
        return private(render_matching(runtime, name, matching, *readers))


def render_matching(runtime: AppRuntime, name: str, matching: MatchingSpec, request_reader: Audience,
                    helper_reader: Audience) -> Response:
    lang = current_lang()
    result = rank_matching(runtime, database_engine(), matching, request_reader, helper_reader)
    request_titles = row_titles(runtime, matching.requests, result.requests.rows, request_reader)
    helper_titles = row_titles(runtime, matching.helpers, result.helpers.rows, helper_reader)
    shown = [shown_request(r, request_titles, helper_titles, lang) for r in result.ranked]
    matched = [r for r in shown if r.matches]
    pages = max(1, -(-len(matched) // PER_PAGE))
    page = min(page_number(request.args), pages)
    context = page_context(
        runtime, matching=matching, matching_name=name, requests=matched[(page - 1) * PER_PAGE:page * PER_PAGE],
        unmatched=[r for r in shown if not r.matches], page=page, pages=pages, total=len(shown),
        capped=result.requests.capped or result.helpers.capped, max_rows=MAX_ROWS,
        page_url=lambda number: same_page_url(page=number), proposals=matching.proposals is not None,
        open_pairs=query_open_pairs(runtime, database_engine(), name) if matching.proposals is not None else {},
        status_label=status_label,
    )
    return make_response(render_template(app_template(runtime.name, "staff_matching.html"), **context))


def row_titles(runtime: AppRuntime, table_name: str, rows: list[dict[str, Any]], audience: Audience) -> dict[Any, str]:
    title = audience.title_field(runtime.spec.tables[table_name])
    return {row["id"]: audience.row_title(row["id"], row.get(title) if title else None) for row in rows}


def shown_request(ranked: RequestMatches, request_titles: dict[Any, str], helper_titles: dict[Any, str],
                  lang: str) -> ShownRequest:
    matches = [ShownMatch(m.helper_id, helper_titles[m.helper_id], f"{m.score * 100:.0f}%", m.distance_km,
                          m.reasons(lang)) for m in ranked.matches]
    return ShownRequest(ranked.request_id, request_titles[ranked.request_id], matches)
