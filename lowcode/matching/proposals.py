"""Proposals (`proposals:` of a matching): staff confirm a pair, both sides answer, staff dispatch, a report closes it.

The records layer of the `lowcode_proposals` table (proposal_table.py): every write checks who may make it, runs in
one transaction with its audit entry (action `proposal`, on the request's row) and the mails it causes
(lowcode/mail/proposals.py). Who may do what:

- propose, dispatch, withdraw, list: an account that may open the matching's staff page (it views both tables:
  `matching_readers`), for a request and a helper its roles see and the matching offers (`requests_where`,
  `helpers_where`); a scoped office manages only the proposals whose rows it sees (`manages`);
- the request side answers as an account whose role may `edit` the requests table and sees that row (a 町会's
  account only for its own requests), or through its private link when `request_email` is set;
- the helper answers through its private link (mailed to `helper_email`); matching staff may record its answer
  on its behalf (audited under their name);
- the activity report (participants, hours, note): the request side or matching staff, once dispatched.

An answer is final: a second one is refused (`ProposalConflict`), as is any move the status does not allow.
"""
from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..mail import proposals as mails
from ..references import visible_rows_clauses
from ..runtime import AppRuntime
from ..spec.matching import MatchingSpec
from ..storage import utcnow
from ..tracking import looks_like_token, new_token, token_digest
from ..values import strip_controls
from .listing import matching_readers
from .proposal_table import (
    ACCEPTED,
    ANSWERS,
    DECLINED,
    DISPATCHED,
    MAX_NOTE,
    PROPOSALS,
    PROPOSED,
    REPORTED,
    WITHDRAWN,
    Proposal,
    to_proposal,
)

MAX_PARTICIPANTS = 100_000
MAX_HOURS = 100_000.0


class ProposalNotFound(LookupError):
    """No such proposal (or matching, or row) for this reader: the page answers 404."""


class ProposalRefused(PermissionError):
    """The account's roles may not do this: the page answers 403."""


class ProposalConflict(ValueError):
    """The proposal's status does not allow this (answered already, declined, withdrawn, the pair open already)."""


class InvalidReport(ValueError):
    """The activity report's values are not acceptable; `errors`: field → message key (see REPORT_ERRORS)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Links:
    """External addresses the mails carry: a private answer page by token, a staff proposal page by id."""

    answer: Callable[[str], str]
    staff: Callable[[int], str]


@dataclass(frozen=True)
class Proposed:
    proposal_id: int
    helper_token: str  # the helper's private link, mailed when it left an address (never stored)
    request_token: str | None


def proposals_of(runtime: AppRuntime, name: str) -> MatchingSpec:
    """The matching, when it has `proposals:`; else ProposalNotFound."""
    matching = runtime.spec.matching.get(name)
    if matching is None or matching.proposals is None:
        raise ProposalNotFound(name)
    return matching


def may_manage(runtime: AppRuntime, matching: MatchingSpec, audiences: Sequence[Audience]) -> bool:
    """Whether the account may open the matching page: propose, dispatch, withdraw, list, answer for a helper."""
    return matching_readers(runtime, matching, audiences) is not None


def managed_clauses(runtime: AppRuntime, matching: MatchingSpec, readers: tuple[Audience, Audience]) -> list[Any]:
    """SQL on `lowcode_proposals`: the proposals whose request and helper rows the matching page's readers see (a
    matching office scoped to its ward manages that ward's proposals only); empty for readers that see every row
    (so a proposal whose row was deleted since stays theirs to withdraw)."""
    clauses = []
    for column, table_name, reader in ((PROPOSALS.c.request_id, matching.requests, readers[0]),
                                       (PROPOSALS.c.helper_id, matching.helpers, readers[1])):
        rule = visible_rows_clauses(runtime, table_name, reader)
        if rule:
            clauses.append(column.in_(sa.select(runtime.stores[table_name].table.c.id).where(*rule)))
    return clauses


def manages(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal,
            audiences: Sequence[Audience]) -> bool:
    """`may_manage`, for this proposal: the account's readers see both of its rows."""
    readers = matching_readers(runtime, matching, audiences)
    if readers is None:
        return False
    clauses = managed_clauses(runtime, matching, readers)
    return not clauses or conn.execute(sa.select(PROPOSALS.c.id).where(PROPOSALS.c.id == proposal.id, *clauses)
                                       ).first() is not None


def request_answerer(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, request_id: int,
                     audiences: Sequence[Audience]) -> Audience | None:
    """The first of the account's roles that may `edit` the requests table and sees this request's row."""
    table = runtime.spec.tables[matching.requests]
    for audience in audiences:
        if audience.may(table, "edit") and row_seen(conn, runtime, matching.requests, request_id, audience):
            return audience
    return None


def row_seen(conn: sa.Connection, runtime: AppRuntime, table_name: str, row_id: int, audience: Audience,
             where: Mapping[str, Any] | None = None) -> bool:
    store = runtime.stores[table_name]
    clauses = [*store.conditions(dict(where) if where else None), *visible_rows_clauses(runtime, table_name, audience)]
    return conn.execute(sa.select(store.table.c.id).where(store.table.c.id == row_id, *clauses)).first() is not None


def propose(runtime: AppRuntime, engine: sa.Engine, name: str, request_id: int, helper_id: int, *,
            audiences: Sequence[Audience], actor: audit.Actor, links: Links) -> Proposed:
    """Propose the helper for the request: the helper is mailed its private link, the request's staff are told."""
    matching = proposals_of(runtime, name)
    readers = matching_readers(runtime, matching, audiences)
    if readers is None:
        raise ProposalRefused(name)
    assert matching.proposals is not None
    helper_token, helper_digest = new_token()
    request_token, request_digest = new_token() if matching.proposals.request_email else (None, None)
    now = utcnow()
    with engine.begin() as conn:
        if not (row_seen(conn, runtime, matching.requests, request_id, readers[0], matching.requests_where)
                and row_seen(conn, runtime, matching.helpers, helper_id, readers[1], matching.helpers_where)):
            raise ProposalNotFound(f"{name}: {request_id}/{helper_id}")
        if open_proposal(conn, runtime.name, name, request_id, helper_id) is not None:
            raise ProposalConflict("this pair has an open proposal")
        try:
            with conn.begin_nested():
                result = conn.execute(PROPOSALS.insert().values(
                    app=runtime.name, matching=name, request_id=request_id, helper_id=helper_id, status=PROPOSED,
                    open_pair=1, helper_token_hash=helper_digest, request_token_hash=request_digest,
                    proposed_by=actor.name, proposed_at=now, updated_at=now))
        except sa.exc.IntegrityError as exc:  # a colleague proposed the same pair at the same moment
            raise ProposalConflict("this pair has an open proposal") from exc
        assert result.inserted_primary_key is not None
        proposal_id = int(result.inserted_primary_key[0])
        record(conn, runtime, matching, proposal_id, request_id, actor, PROPOSED, {"@helper": helper_id})
        mails.notify_proposed(conn, runtime, matching, load(conn, proposal_id), helper_token, request_token, links)
    return Proposed(proposal_id, helper_token, request_token)


def answer_as_staff(runtime: AppRuntime, engine: sa.Engine, proposal_id: int, side: str, answer: str, *,
                    audiences: Sequence[Audience], actor: audit.Actor, links: Links) -> Proposal:
    """The request side's answer by an account that may edit the request; the helper's, recorded by matching
    staff on its behalf."""
    with engine.begin() as conn:
        proposal, matching = load_for_app(conn, runtime, proposal_id)
        allowed = (request_answerer(conn, runtime, matching, proposal.request_id, audiences) is not None
                   if side == "request" else side == "helper" and manages(conn, runtime, matching, proposal, audiences))
        if not allowed:
            raise ProposalRefused(f"proposal {proposal_id}: {side}")
        return record_answer(conn, runtime, matching, proposal, side, answer, actor, links)


def answer_by_token(runtime: AppRuntime, engine: sa.Engine, token: str, answer: str, *, client: str | None,
                    links: Links) -> Proposal:
    """An answer through a private link (the helper's, or the request side's when it was mailed one)."""
    with engine.begin() as conn:
        found = by_token(conn, runtime, token)
        if found is None:
            raise ProposalNotFound("token")
        proposal, side = found
        matching = proposals_of(runtime, proposal.matching)
        return record_answer(conn, runtime, matching, proposal, side, answer, audit.Actor(f"@{side}", client), links)


def record_answer(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal, side: str,
                  answer: str, actor: audit.Actor, links: Links) -> Proposal:
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    other_column = PROPOSALS.c[f"{'helper' if side == 'request' else 'request'}_answer"]
    # The other side may answer between our read and our write (both at the same moment): the update holds only
    # if it still finds the other side's answer as read; if not, read again and decide again (once is enough: the
    # other side answers once). Without this, two acceptances could leave the proposal `proposed` for ever.
    for _attempt in range(2):
        if proposal.status != PROPOSED or proposal.answer(side) is not None:
            raise ProposalConflict(f"proposal {proposal.id}: {side} cannot answer now")
        other = proposal.answer("helper" if side == "request" else "request")
        status = DECLINED if answer == "declined" else ACCEPTED if other == "accepted" else PROPOSED
        now = utcnow()
        changed = conn.execute(PROPOSALS.update().where(
            PROPOSALS.c.id == proposal.id, PROPOSALS.c.status == PROPOSED, PROPOSALS.c[f"{side}_answer"].is_(None),
            other_column.is_(None) if other is None else other_column == other,
        ).values({f"{side}_answer": answer, f"{side}_answered_at": now, f"{side}_answered_by": actor.name,
                  "status": status, "updated_at": now, **({"open_pair": None} if status == DECLINED else {})})).rowcount
        if changed:
            break
        proposal = load(conn, proposal.id)
    else:
        raise ProposalConflict(f"proposal {proposal.id}: answered meanwhile")
    record(conn, runtime, matching, proposal.id, proposal.request_id, actor, status, {"@side": side, "@answer": answer})
    updated = load(conn, proposal.id)
    if status == ACCEPTED:
        mails.notify_accepted(conn, runtime, matching, updated, links)
    elif status == DECLINED:
        mails.notify_declined(conn, runtime, matching, updated, side, links)
    return updated


def withdraw(runtime: AppRuntime, engine: sa.Engine, proposal_id: int, *, audiences: Sequence[Audience],
             actor: audit.Actor) -> Proposal:
    """Staff take a proposal back (before it is dispatched); the pair may then be proposed again."""
    return move(runtime, engine, proposal_id, (PROPOSED, ACCEPTED), WITHDRAWN, audiences, actor, {"open_pair": None})


def dispatch(runtime: AppRuntime, engine: sa.Engine, proposal_id: int, *, audiences: Sequence[Audience],
             actor: audit.Actor) -> Proposal:
    """Both accepted: staff send the helper (出動)."""
    now = utcnow()
    return move(runtime, engine, proposal_id, (ACCEPTED,), DISPATCHED, audiences, actor,
                {"dispatched_at": now, "dispatched_by": actor.name})


def move(runtime: AppRuntime, engine: sa.Engine, proposal_id: int, sources: tuple[str, ...], status: str,
         audiences: Sequence[Audience], actor: audit.Actor, values: dict[str, Any]) -> Proposal:
    with engine.begin() as conn:
        proposal, matching = load_for_app(conn, runtime, proposal_id)
        if not manages(conn, runtime, matching, proposal, audiences):
            raise ProposalRefused(f"proposal {proposal_id}")
        changed = conn.execute(PROPOSALS.update().where(
            PROPOSALS.c.id == proposal_id, PROPOSALS.c.status.in_(sources),
        ).values(status=status, updated_at=utcnow(), **values)).rowcount
        if not changed:
            raise ProposalConflict(f"proposal {proposal_id} is {proposal.status}")
        record(conn, runtime, matching, proposal_id, proposal.request_id, actor, status, {})
        return load(conn, proposal_id)


def report(runtime: AppRuntime, engine: sa.Engine, proposal_id: int, form: Mapping[str, str], *,
           audiences: Sequence[Audience], actor: audit.Actor) -> Proposal:
    """The activity report of a dispatched proposal (participants, hours, note), by the request side or staff."""
    values = report_values(form)
    with engine.begin() as conn:
        proposal, matching = load_for_app(conn, runtime, proposal_id)
        if not (manages(conn, runtime, matching, proposal, audiences)
                or request_answerer(conn, runtime, matching, proposal.request_id, audiences) is not None):
            raise ProposalRefused(f"proposal {proposal_id}")
        changed = conn.execute(PROPOSALS.update().where(
            PROPOSALS.c.id == proposal_id, PROPOSALS.c.status == DISPATCHED,
        ).values(status=REPORTED, reported_at=utcnow(), reported_by=actor.name, updated_at=utcnow(),
                 **values)).rowcount
        if not changed:
            raise ProposalConflict(f"proposal {proposal_id} is {proposal.status}")
        record(conn, runtime, matching, proposal_id, proposal.request_id, actor, REPORTED,
               {f"@{k}": v for k, v in values.items()})
        return load(conn, proposal_id)


def report_values(form: Mapping[str, str]) -> dict[str, Any]:
    """participants (a whole number), hours (a number), note (text); InvalidReport naming each wrong one."""
    errors: dict[str, str] = {}
    participants = parse_number(form.get("participants", ""), int, MAX_PARTICIPANTS)
    hours = parse_number(form.get("hours", ""), float, MAX_HOURS)
    note = strip_controls(form.get("note") or "").strip()  # PostgreSQL refuses NUL in text (a 500 before)
    if participants is None:
        errors["participants"] = "whole_number"
    if hours is None:
        errors["hours"] = "number"
    if len(note) > MAX_NOTE:
        errors["note"] = "too_long"
    if errors:
        raise InvalidReport(errors)
    return {"participants": participants, "hours": hours, "note": note or None}


def parse_number(text: str, kind: type[int | float], largest: float) -> Any:
    """The number typed (full-width digits read too), within 0…largest; None otherwise."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if "_" in typed:  # int() and float() read "1_0" as 10: not a number a person types
        return None
    try:
        value = kind(typed)
    except (TypeError, ValueError, OverflowError):
        return None
    # Compared as it is: math.isfinite() of a 400-digit whole number raises OverflowError (a 500).
    return value if (kind is int or math.isfinite(value)) and 0 <= value <= largest else None


def record(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal_id: int, request_id: int,
           actor: audit.Actor, status: str, extra: Mapping[str, Any]) -> None:
    """The audit entry, on the request's row (its history lists its proposals' steps)."""
    audit.record(conn, app=runtime.name, action="proposal", actor=actor, table=matching.requests, row_id=request_id,
                 after={"@proposal": proposal_id, "@proposal_status": status, **extra})


def load(conn: sa.Connection, proposal_id: int) -> Proposal:
    return to_proposal(conn.execute(PROPOSALS.select().where(PROPOSALS.c.id == proposal_id)).mappings().one())


def load_for_app(conn: sa.Connection, runtime: AppRuntime, proposal_id: int) -> tuple[Proposal, MatchingSpec]:
    """The proposal of this app whose matching still has `proposals:`; else ProposalNotFound."""
    row = conn.execute(PROPOSALS.select().where(PROPOSALS.c.id == proposal_id, PROPOSALS.c.app == runtime.name)
                       ).mappings().first()
    if row is None:
        raise ProposalNotFound(str(proposal_id))
    proposal = to_proposal(row)
    return proposal, proposals_of(runtime, proposal.matching)


def open_proposal(conn: sa.Connection, app: str, name: str, request_id: int, helper_id: int) -> int | None:
    query = sa.select(PROPOSALS.c.id).where(
        PROPOSALS.c.app == app, PROPOSALS.c.matching == name, PROPOSALS.c.request_id == request_id,
        PROPOSALS.c.helper_id == helper_id, PROPOSALS.c.open_pair == 1)
    return conn.execute(query).scalar()


def by_token(conn: sa.Connection, runtime: AppRuntime, token: str) -> tuple[Proposal, str] | None:
    """The proposal whose private link holds `token`, and whose side it is; None for anything else."""
    if not looks_like_token(token):
        return None
    digest = token_digest(token)
    for side in ("helper", "request"):
        row = conn.execute(PROPOSALS.select().where(PROPOSALS.c.app == runtime.name,
                                                    PROPOSALS.c[f"{side}_token_hash"] == digest)).mappings().first()
        if row is not None and row["matching"] in runtime.spec.matching:
            proposal = to_proposal(row)
            if runtime.spec.matching[proposal.matching].proposals is not None:
                return proposal, side
    return None
