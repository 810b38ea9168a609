"""The mails of a matching's proposals, queued in the caller's transaction (lowcode/matching/proposals.py).

- proposed → the helper, at its `helper_email` field, with its private answer link (`proposal_ask`); the request
  side's responsible staff (`staff_addresses`: roles that view the requests table, within their scope), with the
  staff proposal page (`proposal_staff`); the request side at `request_email` too, with its own link, when set.
- both accepted → the same people: "see the page" (`proposal_accepted`). A private link is not stored (only its
  digest), so the helper's mail points back at the first mail's link.
- declined → the other side and the request's staff (`proposal_declined`).

No mail carries a contact: a mail may be forwarded or read on a shared screen, the pages ask the audience rule.
Rows are named as the public names them. In the app's default language, like the other notifications.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..matching.proposal_table import Proposal, public_titles
from ..runtime import AppRuntime
from ..spec.matching import MatchingSpec
from .notify import ADDRESS_RE, render_mail, staff_addresses
from .outbox import enqueue

if TYPE_CHECKING:
    from ..matching.proposals import Links


def notify_proposed(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal,
                    helper_token: str, request_token: str | None, links: Links) -> None:
    values = titles(conn, runtime, matching, proposal)
    helper, request = side_addresses(conn, runtime, matching, proposal)
    send(conn, runtime, "proposal_ask", helper, side="helper", other_title=values["request_title"],
         link=links.answer(helper_token))
    if request_token is not None:
        send(conn, runtime, "proposal_ask", request, side="request", other_title=values["helper_title"],
             link=links.answer(request_token))
    send(conn, runtime, "proposal_staff", staff(conn, runtime, matching, proposal), link=links.staff(proposal.id),
         **values)


def notify_accepted(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal,
                    links: Links) -> None:
    values = titles(conn, runtime, matching, proposal)
    helper, request = side_addresses(conn, runtime, matching, proposal)
    send(conn, runtime, "proposal_accepted", [*helper, *request], link="", **values)
    send(conn, runtime, "proposal_accepted", staff(conn, runtime, matching, proposal), link=links.staff(proposal.id),
         **values)


def notify_declined(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal, side: str,
                    links: Links) -> None:
    """`side` declined: the other side is told, and the request's staff."""
    values = titles(conn, runtime, matching, proposal)
    helper, request = side_addresses(conn, runtime, matching, proposal)
    others = request if side == "helper" else helper
    send(conn, runtime, "proposal_declined", others, side=side, link="", **values)
    send(conn, runtime, "proposal_declined", staff(conn, runtime, matching, proposal), side=side,
         link=links.staff(proposal.id), **values)


def send(conn: sa.Connection, runtime: AppRuntime, template: str, addresses: Iterable[str], **values: Any) -> None:
    lang = runtime.spec.default_language
    subject, body = render_mail(runtime, template, lang, {"side": "", **values})
    for address in sorted(set(addresses)):
        enqueue(conn, app=runtime.name, to=address, subject=subject, body=body, lang=lang)


def titles(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal) -> dict[str, str]:
    request = public_titles(conn, runtime, matching.requests, {proposal.request_id})
    helper = public_titles(conn, runtime, matching.helpers, {proposal.helper_id})
    return {"request_title": request.get(proposal.request_id, f"#{proposal.request_id}"),
            "helper_title": helper.get(proposal.helper_id, f"#{proposal.helper_id}")}


def side_addresses(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec,
                   proposal: Proposal) -> tuple[list[str], list[str]]:
    """The helper's address (`helper_email`) and the request's (`request_email`), each when set and valid."""
    assert matching.proposals is not None
    return (row_address(conn, runtime, matching.helpers, proposal.helper_id, matching.proposals.helper_email),
            row_address(conn, runtime, matching.requests, proposal.request_id, matching.proposals.request_email))


def row_address(conn: sa.Connection, runtime: AppRuntime, table_name: str, row_id: int, field: str | None) -> list[str]:
    if field is None:
        return []
    store = runtime.stores[table_name]
    value = conn.execute(sa.select(store.table.c[field]).where(store.table.c.id == row_id)).scalar()
    return [value] if isinstance(value, str) and ADDRESS_RE.fullmatch(value) else []


def staff(conn: sa.Connection, runtime: AppRuntime, matching: MatchingSpec, proposal: Proposal) -> list[str]:
    """The request's responsible staff (the rule of new submissions: role views the table, row in its scope)."""
    row = runtime.stores[matching.requests].get(conn, proposal.request_id)
    return staff_addresses(conn, runtime, matching.requests, row) if row is not None else []
