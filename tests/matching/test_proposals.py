"""Proposals in the records layer (lowcode/matching/proposals.py), on SQLite and PostgreSQL: each transition, who
may make it (a ward's desk answers only for its own ward's requests), tokens, double answers, declines, the audit
and the mails each step queues."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from proposal_data import YAML, seed
from support import app_engine, app_runtime

from lowcode import audit
from lowcode.mail.outbox import OUTBOX
from lowcode.matching.proposal_reads import query_link, query_open_pairs, query_proposal, query_proposals
from lowcode.matching.proposal_table import PROPOSALS
from lowcode.matching.proposals import (
    InvalidReport,
    Links,
    ProposalConflict,
    ProposalNotFound,
    ProposalRefused,
    answer_as_staff,
    answer_by_token,
    dispatch,
    propose,
    report,
    withdraw,
)
from lowcode.roles import role_audience

LINKS = Links(answer=lambda token: f"https://city.example/demo/proposal/{token}",
              staff=lambda number: f"https://city.example/demo/staff/proposals/{number}")
NORTH_SNOW, SOUTH_FESTIVAL, OLD_JOB = 1, 2, 3
SNOW_TEAM, FOLK, RETIRED = 1, 2, 3


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    seed(built)
    return built


class Ops:
    """The operations bound to one app, called as a named account."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.runtime = app_runtime(app)
        self.engine = app_engine(app)

    def roles(self, who: str) -> list[Any]:
        role, scope = {"admin": ("admin", None), "office": ("office", None), "north": ("ward", "North"),
                       "south": ("ward", "South"), "reader": ("reader", None)}[who]
        return [role_audience(self.runtime.spec, role, scope)]

    def propose(self, who: str, request_id: int = NORTH_SNOW, helper_id: int = SNOW_TEAM) -> Any:
        return propose(self.runtime, self.engine, "pairs", request_id, helper_id, audiences=self.roles(who),
                       actor=audit.Actor(who), links=LINKS)

    def answer(self, who: str, proposal_id: int, answer: str, side: str = "request") -> Any:
        return answer_as_staff(self.runtime, self.engine, proposal_id, side, answer, audiences=self.roles(who),
                               actor=audit.Actor(who), links=LINKS)

    def token(self, token: str, answer: str) -> Any:
        return answer_by_token(self.runtime, self.engine, token, answer, client="127.0.0.1", links=LINKS)

    def mails(self) -> list[tuple[str, str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(OUTBOX.c.to, OUTBOX.c.subject, OUTBOX.c.body).order_by(OUTBOX.c.id))
            return [tuple(r) for r in rows]

    def audit_statuses(self) -> list[str]:
        with self.engine.connect() as conn:
            entries = audit.for_row(conn, "demo", "requests", NORTH_SNOW)
        return [e.after["@proposal_status"] for e in entries if e.action == "proposal" and e.after]


@pytest.fixture
def ops(app: Flask) -> Ops:
    with app.app_context():
        yield Ops(app)


def test_propose_mails_the_helper_its_link_and_tells_the_ward_without_any_contact(ops: Ops) -> None:
    proposed = ops.propose("admin")
    mails = ops.mails()
    to_helper = [m for m in mails if m[0] == "snow@example.org"]
    assert len(to_helper) == 1 and f"/demo/proposal/{proposed.helper_token}" in to_helper[0][2]
    staff = sorted(m[0] for m in mails if m[0] != "snow@example.org")
    assert staff == ["admin@example.org", "north@example.org", "office@example.org"]  # not south: not its ward
    assert all(f"/demo/staff/proposals/{proposed.proposal_id}" in m[2] for m in mails if m[0] != "snow@example.org")
    for _to, subject, body in mails:
        assert not any(c in subject + body for c in ("Kita Taro", "076-111-1111", "090-1111-2222"))
    with ops.engine.connect() as conn:
        stored = conn.execute(sa.select(PROPOSALS)).mappings().one()
    assert stored["status"] == "proposed" and proposed.helper_token not in str(dict(stored))
    assert len(stored["helper_token_hash"]) == 64 and stored["request_token_hash"] is None
    assert query_open_pairs(ops.runtime, ops.engine, "pairs") == {(NORTH_SNOW, SNOW_TEAM): (proposed.proposal_id, "proposed")}


def test_only_matching_staff_propose_and_only_pairs_the_matching_offers(ops: Ops) -> None:
    for who in ("north", "reader"):
        with pytest.raises(ProposalRefused):
            ops.propose(who)
    for request_id, helper_id in ((OLD_JOB, SNOW_TEAM), (NORTH_SNOW, RETIRED), (99, SNOW_TEAM), (NORTH_SNOW, 99)):
        with pytest.raises(ProposalNotFound):
            ops.propose("office", request_id, helper_id)
    with pytest.raises(ProposalNotFound):
        propose(ops.runtime, ops.engine, "nothing", 1, 1, audiences=ops.roles("admin"), actor=audit.Actor("a"), links=LINKS)
    assert ops.mails() == []


def test_one_open_proposal_per_pair_and_a_closed_pair_may_be_proposed_again(ops: Ops) -> None:
    first = ops.propose("office")
    with pytest.raises(ProposalConflict):
        ops.propose("admin")
    withdraw(ops.runtime, ops.engine, first.proposal_id, audiences=ops.roles("office"), actor=audit.Actor("office"))
    again = ops.propose("admin")
    assert again.proposal_id != first.proposal_id


def test_both_accept_then_dispatch_then_report(ops: Ops) -> None:
    proposed = ops.propose("admin")
    after_request = ops.answer("north", proposed.proposal_id, "accepted")
    assert after_request.status == "proposed" and after_request.request_answer == "accepted"
    accepted = ops.token(proposed.helper_token, "accepted")
    assert accepted.status == "accepted" and accepted.helper_answered_by == "@helper"
    told = [m for m in ops.mails() if "Both sides accepted" in m[1] or "提案が成立しました" in m[1]]
    assert {m[0] for m in told} >= {"snow@example.org", "north@example.org"}
    with pytest.raises(ProposalRefused):
        dispatch(ops.runtime, ops.engine, proposed.proposal_id, audiences=ops.roles("north"), actor=audit.Actor("north"))
    dispatched = dispatch(ops.runtime, ops.engine, proposed.proposal_id, audiences=ops.roles("office"),
                          actor=audit.Actor("office"))
    assert dispatched.status == "dispatched" and dispatched.dispatched_by == "office"
    with pytest.raises(InvalidReport) as invalid:
        report(ops.runtime, ops.engine, proposed.proposal_id, {"participants": "two", "hours": "-1"},
               audiences=ops.roles("north"), actor=audit.Actor("north"))
    assert invalid.value.errors == {"participants": "whole_number", "hours": "number"}
    reported = report(ops.runtime, ops.engine, proposed.proposal_id, {"participants": "４", "hours": "2.5", "note": "ok"},
                      audiences=ops.roles("north"), actor=audit.Actor("north"))
    assert (reported.status, reported.participants, reported.hours, reported.note) == ("reported", 4, 2.5, "ok")
    assert ops.audit_statuses() == ["proposed", "proposed", "accepted", "dispatched", "reported"]


def test_a_ward_answers_only_for_its_own_requests(ops: Ops) -> None:
    proposed = ops.propose("admin", SOUTH_FESTIVAL, FOLK)
    for who in ("north", "office", "reader"):  # another ward; staff who may not edit requests
        with pytest.raises(ProposalRefused):
            ops.answer(who, proposed.proposal_id, "accepted")
    assert ops.answer("south", proposed.proposal_id, "accepted").request_answer == "accepted"
    with pytest.raises(ProposalRefused):
        report(ops.runtime, ops.engine, proposed.proposal_id, {"participants": "1", "hours": "1"},
               audiences=ops.roles("north"), actor=audit.Actor("north"))


def test_an_answer_is_final_and_a_second_one_is_refused(ops: Ops) -> None:
    proposed = ops.propose("admin")
    ops.token(proposed.helper_token, "accepted")
    with pytest.raises(ProposalConflict):
        ops.token(proposed.helper_token, "declined")
    with pytest.raises(ProposalConflict):
        ops.answer("office", proposed.proposal_id, "declined", side="helper")  # on its behalf: answered already
    ops.answer("north", proposed.proposal_id, "accepted")
    with pytest.raises(ProposalConflict):
        ops.answer("north", proposed.proposal_id, "declined")
    with pytest.raises(ValueError):
        ops.answer("admin", ops.propose("admin", SOUTH_FESTIVAL, FOLK).proposal_id, "maybe")


def test_a_decline_closes_the_proposal_and_tells_the_other_side(ops: Ops) -> None:
    proposed = ops.propose("admin")
    declined = ops.token(proposed.helper_token, "declined")
    assert declined.status == "declined"
    told = [m[0] for m in ops.mails() if "declined" in m[1] or "提案は成立しませんでした" in m[1]]
    assert "north@example.org" in told and "snow@example.org" not in told
    with pytest.raises(ProposalConflict):
        ops.answer("north", proposed.proposal_id, "accepted")
    with pytest.raises(ProposalConflict):
        dispatch(ops.runtime, ops.engine, proposed.proposal_id, audiences=ops.roles("admin"), actor=audit.Actor("a"))
    assert query_open_pairs(ops.runtime, ops.engine, "pairs") == {}


def test_staff_record_the_helper_s_answer_on_its_behalf_and_it_is_audited(ops: Ops) -> None:
    proposed = ops.propose("admin")
    with pytest.raises(ProposalRefused):
        ops.answer("north", proposed.proposal_id, "accepted", side="helper")
    assert ops.answer("office", proposed.proposal_id, "accepted", side="helper").helper_answered_by == "office"
    with ops.engine.connect() as conn:
        actors = [e.actor for e in audit.for_row(conn, "demo", "requests", NORTH_SNOW) if e.action == "proposal"]
    assert actors == ["admin", "office"]


def test_unknown_and_malformed_tokens_find_nothing(ops: Ops) -> None:
    proposed = ops.propose("admin")
    token = proposed.helper_token
    changed = token[:-1] + ("B" if token.endswith("A") else "A")
    for token in ("x" * 30, changed, "../../etc", ""):
        assert query_link(ops.runtime, ops.engine, token) is None
        with pytest.raises(ProposalNotFound):
            ops.token(token, "accepted")
    assert query_link(ops.runtime, ops.engine, proposed.helper_token) is not None


def test_contacts_are_granted_only_once_both_accepted(ops: Ops) -> None:
    proposed = ops.propose("admin")

    def seen() -> tuple[list[Any], list[Any]]:
        link = query_link(ops.runtime, ops.engine, proposed.helper_token)
        page = query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles("north"))
        assert link is not None
        return link.other.contact, page.helper.contact

    assert seen() == ([], [])
    ops.answer("north", proposed.proposal_id, "accepted")
    assert seen() == ([], [])
    ops.token(proposed.helper_token, "accepted")
    assert seen() == ([("contact", "Kita Taro"), ("phone", "076-111-1111")],
                      [("phone", "090-1111-2222"), ("email", "snow@example.org")])
    page = query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles("north"))
    assert "secret" not in dict(page.helper.fields) and "secret" not in dict(page.helper.contact)


def test_contacts_are_never_granted_after_a_decline_or_a_withdrawal(ops: Ops) -> None:
    declined = ops.propose("admin")
    ops.answer("north", declined.proposal_id, "accepted")
    ops.answer("office", declined.proposal_id, "declined", side="helper")
    withdrawn = ops.propose("admin", SOUTH_FESTIVAL, FOLK)
    ops.answer("south", withdrawn.proposal_id, "accepted")
    ops.token(withdrawn.helper_token, "accepted")
    withdraw(ops.runtime, ops.engine, withdrawn.proposal_id, audiences=ops.roles("admin"), actor=audit.Actor("a"))
    for proposed, ward in ((declined, "north"), (withdrawn, "south")):
        link = query_link(ops.runtime, ops.engine, proposed.helper_token)
        assert link is not None and link.other.contact == []
        assert query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles(ward)).helper.contact == []


def test_who_may_read_a_proposal_and_the_list(ops: Ops) -> None:
    proposed = ops.propose("admin")
    assert query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles("north")).answers_for_request
    assert not query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles("reader")).answers_for_request
    with pytest.raises(ProposalRefused):
        query_proposal(ops.runtime, ops.engine, proposed.proposal_id, ops.roles("south"))
    with pytest.raises(ProposalNotFound):
        query_proposal(ops.runtime, ops.engine, 999, ops.roles("admin"))
    found, total = query_proposals(ops.runtime, ops.engine, "pairs", ops.roles("office"), status="proposed")
    assert total == 1 and found[0].helper_title == "Snow <b>team</b>" and found[0].request_title == "North snow"
    assert query_proposals(ops.runtime, ops.engine, "pairs", ops.roles("office"), status="declined") == ([], 0)
    with pytest.raises(ProposalRefused):
        query_proposals(ops.runtime, ops.engine, "pairs", ops.roles("north"))


def test_with_request_email_the_request_side_answers_through_its_own_link(make_app: Any) -> None:
    from proposal_data import HELPERS, REQUESTS

    from lowcode.records import insert_seed_rows

    yaml = YAML.replace("      state: {type: choice, label: {en: State, ja: 状態}, choices: [open, done]}\n",
                        "      state: {type: choice, label: {en: State, ja: 状態}, choices: [open, done]}\n"
                        "      mail: {type: email, visibility: private, label: {en: Mail, ja: メール}}\n")
    yaml = yaml.replace("      helper_email: email\n", "      helper_email: email\n      request_email: mail\n")
    built: Flask = make_app(yaml, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        ops = Ops(built)
        with ops.engine.begin() as conn:
            insert_seed_rows(ops.runtime, conn, "requests", [{**r, "mail": "ward@example.org"} for r in REQUESTS])
            insert_seed_rows(ops.runtime, conn, "helpers", HELPERS)
        proposed = ops.propose("admin")
        assert proposed.request_token is not None
        to_ward = [m for m in ops.mails() if m[0] == "ward@example.org"]
        assert len(to_ward) == 1 and proposed.request_token in to_ward[0][2]
        link = query_link(ops.runtime, ops.engine, proposed.request_token)
        assert link is not None and link.side == "request" and link.other.contact == []
        assert ops.token(proposed.request_token, "accepted").request_answered_by == "@request"
        ops.token(proposed.helper_token, "accepted")
        link = query_link(ops.runtime, ops.engine, proposed.request_token)
        assert link is not None and link.other.contact == [("phone", "090-1111-2222"), ("email", "snow@example.org")]
