"""What the proposal pages read: a proposal with both rows as its reader may see them, lists, and the private link.

Each side sees the other's row named as the public names it (its title field when that is public, else `#id`) and,
ONLY once both sides accepted, the named contact fields of that one row (the request's side: an account that may
answer for the request, not any reader of it): the reader's audience is widened by
`audience.proposal_contact_grant` and every value asks it (`can_see_field(table, name, row_id)`). The private
answer link shows the request (or the helper) as the public may see its fields, whatever the row's status: the
link is the authority for that one row.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, Audience, proposal_contact_grant, with_grant
from ..records.queries import Titles, reference_titles
from ..runtime import AppRuntime
from ..spec.matching import MatchingSpec
from .listing import matching_readers
from .proposal_table import PROPOSALS, STATUSES, Proposal, public_titles, to_proposal
from .proposals import by_token, load_for_app, managed_clauses, manages, proposals_of, request_answerer, row_seen

SHOWN_LATER = frozenset({"location", "area", "image"})  # not on these pages (the public pages show them)


@dataclass(frozen=True)
class SideView:
    """One side's row as a reader sees it: its name, fields it may see, the contact revealed to it (or nothing)."""

    table: str
    row_id: int
    title: str
    fields: list[tuple[str, Any]]
    contact: list[tuple[str, Any]]
    titles: Titles


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    matching: MatchingSpec
    request: SideView
    helper: SideView
    manages: bool  # may dispatch, withdraw, answer for the helper
    answers_for_request: bool  # may accept/decline for the request side
    may_report: bool


@dataclass(frozen=True)
class LinkView:
    """The private answer page: whose link it is, and the other side's row."""

    proposal: Proposal
    side: str
    other: SideView


@dataclass(frozen=True)
class ProposalItem:
    proposal: Proposal
    request_title: str
    helper_title: str


def query_proposal(runtime: AppRuntime, engine: sa.Engine, proposal_id: int,
                   audiences: Sequence[Audience]) -> ProposalView:
    """The staff proposal page; ProposalNotFound, or ProposalRefused for an account that may not see it (a 町会's
    account sees the proposals of its own requests only)."""
    from .proposals import ProposalRefused

    with engine.connect() as conn:
        proposal, matching = load_for_app(conn, runtime, proposal_id)
        managing = manages(conn, runtime, matching, proposal, audiences)
        viewer = request_viewer(conn, runtime, matching, proposal.request_id, audiences)
        if not managing and viewer is None:
            raise ProposalRefused(str(proposal_id))
        answerer = request_answerer(conn, runtime, matching, proposal.request_id, audiences)
        assert matching.proposals is not None
        own = viewer if viewer is not None else PUBLIC
        # The helper's contact goes to the request's side (it answers for the request: may edit it), not to every
        # reader of the request nor to matching staff as such: their own roles decide what they see of helpers.
        helper = side_view(conn, runtime, matching.helpers, proposal.helper_id, PUBLIC,
                           matching.proposals.helper_contact if answerer is not None else (), proposal.status)
        request = side_view(conn, runtime, matching.requests, proposal.request_id, own, (), proposal.status)
    return ProposalView(proposal, matching, request, helper, managing, answerer is not None,
                        managing or answerer is not None)


def request_viewer(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, request_id: int,
                   audiences: Sequence[Audience]) -> Audience | None:
    """The first of the account's roles that sees the request's row (the request side's reader)."""
    table = runtime.spec.tables[matching.requests]
    seeing = [a for a in audiences if a.may(table, "view")]
    return next((a for a in seeing if row_seen(conn, runtime, matching.requests, request_id, a)), None)


def query_link(runtime: AppRuntime, engine: sa.Engine, token: str) -> LinkView | None:
    """The private answer page of a token; None for an unknown or malformed one."""
    with engine.connect() as conn:
        found = by_token(conn, runtime, token)
        if found is None:
            return None
        proposal, side = found
        matching = proposals_of(runtime, proposal.matching)
        assert matching.proposals is not None
        if side == "helper":
            other = side_view(conn, runtime, matching.requests, proposal.request_id, PUBLIC,
                              matching.proposals.request_contact, proposal.status)
        else:
            other = side_view(conn, runtime, matching.helpers, proposal.helper_id, PUBLIC,
                              matching.proposals.helper_contact, proposal.status)
    return LinkView(proposal, side, other)


def side_view(conn: sa.Connection, runtime: AppRuntime, table_name: str, row_id: int, audience: Audience,
              contact: Sequence[str], status: str) -> SideView:
    """The row as `audience` sees its fields, plus `contact` when the proposal's status grants it."""
    table = runtime.spec.tables[table_name]
    row = runtime.stores[table_name].get(conn, row_id) or {"id": row_id}
    reader = with_grant(audience, proposal_contact_grant(status, table, row_id, contact), table_name)
    shown = [n for n in audience.visible_fields(table) if table.fields[n].type not in SHOWN_LATER]
    revealed = [n for n in contact if n in table.fields and reader.can_see_field(table, n, row_id)]
    names = [*shown, *revealed]
    titles = reference_titles(runtime, table, names, [row], conn, PUBLIC)
    return SideView(table_name, row_id, named(runtime, table_name, row, audience), [(n, row.get(n)) for n in shown],
                    [(n, row.get(n)) for n in revealed], titles)


def named(runtime: AppRuntime, table_name: str, row: dict[str, Any], audience: Audience) -> str:
    """The row's title as the reader sees it, else as the public does, else `#id`."""
    table = runtime.spec.tables[table_name]
    title = audience.title_field(table) or PUBLIC.title_field(table)
    return audience.row_title(int(row["id"]), row.get(title) if title else None)


def query_proposals(runtime: AppRuntime, engine: sa.Engine, name: str, audiences: Sequence[Audience], *,
                    status: str = "", page: int = 1, per_page: int = 50) -> tuple[list[ProposalItem], int]:
    """One page of the matching's proposals, newest first (`status` filters, when one of STATUSES), and the count."""
    from .proposals import ProposalRefused

    matching = proposals_of(runtime, name)
    readers = matching_readers(runtime, matching, audiences)
    if readers is None:
        raise ProposalRefused(name)
    # A scoped office lists the proposals of the rows it sees only.
    where = [PROPOSALS.c.app == runtime.name, PROPOSALS.c.matching == name,
             *managed_clauses(runtime, matching, readers)]
    if status in STATUSES:
        where.append(PROPOSALS.c.status == status)
    with engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(PROPOSALS).where(*where)).scalar_one())
        rows = conn.execute(PROPOSALS.select().where(*where).order_by(PROPOSALS.c.id.desc())
                            .limit(per_page).offset((max(page, 1) - 1) * per_page)).mappings().all()
        return items(conn, runtime, matching, [to_proposal(r) for r in rows]), total


def query_request_proposals(runtime: AppRuntime, engine: sa.Engine, table_name: str, row_id: int) -> list[ProposalItem]:
    """The proposals of one request (its record page, which has checked the reader sees the row), newest first."""
    names = [n for n, m in runtime.spec.matching.items() if m.requests == table_name and m.proposals is not None]
    if not names:
        return []
    with engine.connect() as conn:
        rows = conn.execute(PROPOSALS.select().where(
            PROPOSALS.c.app == runtime.name, PROPOSALS.c.matching.in_(names), PROPOSALS.c.request_id == row_id,
        ).order_by(PROPOSALS.c.id.desc())).mappings().all()
        found = [to_proposal(r) for r in rows]
        return [item for name in names
                for item in items(conn, runtime, runtime.spec.matching[name], [p for p in found if p.matching == name])]


def query_open_pairs(runtime: AppRuntime, engine: sa.Engine, name: str) -> dict[tuple[int, int], tuple[int, str]]:
    """(request id, helper id) → (proposal id, status) of the matching's open proposals (the matching page)."""
    query = sa.select(PROPOSALS.c.request_id, PROPOSALS.c.helper_id, PROPOSALS.c.id, PROPOSALS.c.status).where(
        PROPOSALS.c.app == runtime.name, PROPOSALS.c.matching == name, PROPOSALS.c.open_pair == 1)
    with engine.connect() as conn:
        return {(int(r), int(h)): (int(i), str(s)) for r, h, i, s in conn.execute(query)}


def items(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposals: list[Proposal]) -> list[ProposalItem]:
    """Each proposal with both rows named as the public names them (one query per table)."""
    requests = public_titles(conn, runtime, matching.requests, {p.request_id for p in proposals})
    helpers = public_titles(conn, runtime, matching.helpers, {p.helper_id for p in proposals})
    return [ProposalItem(p, requests.get(p.request_id, f"#{p.request_id}"), helpers.get(p.helper_id, f"#{p.helper_id}"))
            for p in proposals]
