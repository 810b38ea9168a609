"""Review of this session's new features as an attacker and a careful user (issues 10–12, R): proposals (scoped
staff, answers at the same moment, hostile input on every route), forms prefilled from links, on both databases."""
from __future__ import annotations

import html
import importlib.util
import re
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from proposal_data import HELPER_CONTACTS, HELPERS, PASSWORD, REQUEST_CONTACTS, REQUESTS, YAML, seed
from support import app_engine, app_runtime, csrf_token, sample_app, staff_client

from lowcode import audit
from lowcode.mail.outbox import OUTBOX
from lowcode.matching.proposal_table import PROPOSALS
from lowcode.matching.proposals import (
    Links,
    ProposalConflict,
    answer_as_staff,
    answer_by_token,
    load_for_app,
    propose,
    record_answer,
    withdraw,
)
from lowcode.records import insert_seed_rows
from lowcode.roles import role_audience
from lowcode.staff.accounts import RoleGrant, create_user

LINKS = Links(answer=lambda token: f"https://city.example/demo/proposal/{token}",
              staff=lambda number: f"https://city.example/demo/staff/proposals/{number}")
# A matching office for the North ward only: it views both tables, its requests scoped to its ward.
SCOPED_YAML = YAML.replace("  reader: {tables: {requests: [view]}}\n",
                           "  reader: {tables: {requests: [view]}}\n"
                           "  north_office: {tables: {requests: [view], helpers: [view]}, scope: {requests: ward}}\n")
MATCHING = "/demo/staff/matching/pairs"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(SCOPED_YAML, LOWCODE_RATE_LIMITS="0")
    seed(built)
    with built.app_context():
        create_user(app_engine(built), "north_office", PASSWORD, [RoleGrant("demo", "north_office", "North")])
    return built


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def post(client: Any, url: str, token_from: str = "", **data: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, token_from or url), **data})


def proposed(app: Flask, request_id: int, helper_id: int) -> tuple[int, str]:
    """The admin proposes a pair: (proposal id, the helper's token)."""
    with app.app_context():
        runtime = app_runtime(app)
        done = propose(runtime, app_engine(app), "pairs", request_id, helper_id,
                       audiences=[role_audience(runtime.spec, "admin", None)], actor=audit.Actor("admin"), links=LINKS)
    return done.proposal_id, done.helper_token


def status_of(app: Flask, proposal_id: int) -> dict[str, Any]:
    with app.app_context(), app_engine(app).connect() as conn:
        return dict(conn.execute(PROPOSALS.select().where(PROPOSALS.c.id == proposal_id)).mappings().one())


def contacts_in(page: str) -> set[str]:
    return {c for c in (*REQUEST_CONTACTS, *HELPER_CONTACTS) if c in page}


# --- a scoped matching office ---


def test_a_scoped_matching_office_cannot_read_or_move_another_ward_s_proposal(app: Flask) -> None:
    south, _token = proposed(app, 2, 2)  # South festival ↔ Festival folk
    office = staff_client(app, "north_office", PASSWORD)
    page = f"/demo/staff/proposals/{south}"
    assert office.get(page).status_code in (403, 404)
    for action in ("withdraw", "helper_accept", "helper_decline", "dispatch"):
        assert post(office, page, MATCHING, action=action).status_code in (403, 404), action
    assert status_of(app, south)["status"] == "proposed" and status_of(app, south)["helper_answer"] is None
    listing = text(office.get(MATCHING + "/proposals?lang=en"))
    assert "South festival" not in listing and "Festival folk" not in listing
    north, _token = proposed(app, 1, 1)  # its own ward's proposal stays its to manage
    assert office.get(f"/demo/staff/proposals/{north}").status_code == 200
    assert "North snow" in text(office.get(MATCHING + "/proposals?lang=en"))
    assert post(office, f"/demo/staff/proposals/{north}", action="withdraw").status_code == 303


# --- both sides answering at the same moment ---


@pytest.mark.parametrize("request_answer", ["accepted", "declined"])
def test_answers_given_at_the_same_moment_are_both_counted(app: Flask, request_answer: str) -> None:
    """The request side read the proposal before the helper's answer was committed (two requests in flight): its
    answer must still see the helper's, so both accepting ends `accepted`, not `proposed` forever."""
    proposal_id, token = proposed(app, 1, 1)
    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
        with engine.connect() as conn:
            stale, matching = load_for_app(conn, runtime, proposal_id)
        answer_by_token(runtime, engine, token, "accepted", client=None, links=LINKS)
        with engine.begin() as conn:
            record_answer(conn, runtime, matching, stale, "request", request_answer, audit.Actor("north"), LINKS)
    row = status_of(app, proposal_id)
    assert (row["request_answer"], row["helper_answer"]) == (request_answer, "accepted")
    assert row["status"] == request_answer
    helper_page = text(app.test_client().get(f"/demo/proposal/{token}"))
    assert (contacts_in(helper_page) == {"Kita Taro", "076-111-1111"}) == (request_answer == "accepted")


# --- hostile input on every proposal route ---

BAD_TEXTS = ("\x00", "a\x00b", "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "𠮷" * 3000, "1e309", "NaN",
             "inf", "-1", " ", "9" * 400, "1_0")


def test_no_proposal_route_answers_500_to_hostile_ids_and_values(app: Flask) -> None:
    proposal_id, token = proposed(app, 1, 1)
    admin = staff_client(app, "admin", PASSWORD)
    anyone = app.test_client()
    form_token = csrf_token(admin, MATCHING)
    for bad in ("0", "-1", "99999999999999999999999", "abc", "%00", "1%00"):
        assert admin.get(f"/demo/staff/proposals/{bad}").status_code == 404, bad
        assert admin.post(f"/demo/staff/proposals/{bad}", data={"csrf_token": form_token, "action": "withdraw"}
                          ).status_code == 404, bad
    for bad in ("%00", "x" * 10_000, "あ" * 40, token + "%00", token[:-1] + "é", token.upper(), token + "/x", " " + token):
        assert anyone.get(f"/demo/proposal/{bad}").status_code == 404, bad[:20]
        assert anyone.post(f"/demo/proposal/{bad}", data={"csrf_token": csrf_token(anyone, f"/demo/proposal/{token}"),
                                                          "answer": "accepted"}).status_code in (400, 404), bad[:20]
    for name in ("%00", "x" * 5000, "<b>", "pairs%00"):
        assert admin.get(f"/demo/staff/matching/{name}/proposals").status_code == 404, name[:20]
        assert admin.post(f"/demo/staff/matching/{name}/propose", data={"csrf_token": form_token, "request_id": "1",
                                                                        "helper_id": "2"}).status_code == 404
    for bad in BAD_TEXTS:
        listing = admin.get(MATCHING + "/proposals", query_string={"status": bad, "page": bad})
        assert listing.status_code == 200 and "<script>alert(1)" not in text(listing)
        for field in ("request_id", "helper_id"):
            data = {"csrf_token": form_token, "request_id": "1", "helper_id": "2", field: bad}
            assert admin.post(MATCHING + "/propose", data=data).status_code == 404, (field, bad[:20])
        assert anyone.post(f"/demo/proposal/{token}", data={"csrf_token": csrf_token(anyone, f"/demo/proposal/{token}"),
                                                            "answer": bad}).status_code == 400
        assert post(admin, f"/demo/staff/proposals/{proposal_id}", action=bad).status_code == 400
    assert status_of(app, proposal_id)["helper_answer"] is None
    with app.app_context(), app_engine(app).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(PROPOSALS)).scalar_one() == 1


def test_a_hostile_activity_report_is_refused_or_stored_as_text_never_a_500(app: Flask) -> None:
    proposal_id, token = proposed(app, 1, 1)
    north, admin = staff_client(app, "north", PASSWORD), staff_client(app, "admin", PASSWORD)
    page = f"/demo/staff/proposals/{proposal_id}"
    assert post(north, page, action="accept").status_code == 303
    assert post(app.test_client(), f"/demo/proposal/{token}", answer="accepted").status_code == 303
    assert post(admin, page, action="dispatch").status_code == 303
    south = staff_client(app, "south", PASSWORD)  # another ward reports nothing for this one
    assert post(south, page, "/demo/staff/", action="report", participants="1", hours="1"
                ).status_code == 403
    for bad in BAD_TEXTS:
        response = post(north, page, action="report", participants=bad, hours=bad, note="ok")
        assert response.status_code == 422, bad[:20]
        assert "<script>alert(1)</script>" not in text(response)
    assert post(north, page, action="report", participants="2", hours="1.5", note="x" * 2001).status_code == 422
    assert status_of(app, proposal_id)["status"] == "dispatched"
    note = "<script>alert(1)</script> =SUM(A1) 𠮷"
    assert post(north, page, action="report", participants="２", hours="1.5", note=note + "\x00\x07").status_code == 303
    row = status_of(app, proposal_id)  # NUL and other control characters left out (PostgreSQL refuses NUL)
    assert (row["status"], row["participants"], row["hours"], row["note"]) == ("reported", 2, 1.5, note)
    shown = text(north.get(page))
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert post(north, page, action="report", participants="3", hours="1", note="again").status_code == 409


def test_every_proposal_post_needs_the_csrf_token(app: Flask) -> None:
    proposal_id, token = proposed(app, 1, 1)
    admin = staff_client(app, "admin", PASSWORD)
    admin.get(MATCHING)  # a session with a token, which the forms below leave out
    for url, data in ((MATCHING + "/propose", {"request_id": "2", "helper_id": "2"}),
                      (f"/demo/staff/proposals/{proposal_id}", {"action": "withdraw"}),
                      (f"/demo/staff/proposals/{proposal_id}", {"action": "helper_accept"})):
        assert admin.post(url, data=data).status_code == 400, url
        assert admin.post(url, data={**data, "csrf_token": "forged"}).status_code == 400, url
    helper = app.test_client()
    helper.get(f"/demo/proposal/{token}")
    assert helper.post(f"/demo/proposal/{token}", data={"answer": "accepted"}).status_code == 400
    row = status_of(app, proposal_id)
    assert (row["status"], row["helper_answer"]) == ("proposed", None)
    with app.app_context(), app_engine(app).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(PROPOSALS)).scalar_one() == 1


# --- another app's proposal ids and tokens, a withdrawal after both accepted ---


def test_a_proposal_id_or_token_of_another_app_finds_nothing(app: Flask, make_app: Any) -> None:
    other: Flask = make_app(SCOPED_YAML, name="other", LOWCODE_RATE_LIMITS="0")
    with other.app_context():
        runtime = app_runtime(other, "other")
        with app_engine(other).begin() as conn:
            insert_seed_rows(runtime, conn, "requests", REQUESTS)
            insert_seed_rows(runtime, conn, "helpers", HELPERS)
        done = propose(runtime, app_engine(other), "pairs", 1, 1, audiences=[role_audience(runtime.spec, "admin", None)],
                       actor=audit.Actor("admin"), links=LINKS)
    admin = staff_client(app, "admin", PASSWORD)
    assert admin.get(f"/demo/staff/proposals/{done.proposal_id}").status_code == 404
    assert post(admin, f"/demo/staff/proposals/{done.proposal_id}", MATCHING, action="withdraw").status_code == 404
    _own, own_token = proposed(app, 2, 2)
    anyone = app.test_client()
    form_token = csrf_token(anyone, f"/demo/proposal/{own_token}")  # a valid form token of this site
    assert anyone.get(f"/demo/proposal/{done.helper_token}").status_code == 404
    assert anyone.post(f"/demo/proposal/{done.helper_token}",
                       data={"answer": "accepted", "csrf_token": form_token}).status_code == 404
    with other.app_context(), app_engine(other).connect() as conn:
        row = conn.execute(PROPOSALS.select().where(PROPOSALS.c.id == done.proposal_id)).mappings().one()
    assert (row["app"], row["status"], row["helper_answer"]) == ("other", "proposed", None)


def test_a_withdrawal_after_both_accepted_hides_the_contacts_again_on_every_page(app: Flask) -> None:
    proposal_id, token = proposed(app, 1, 1)
    north, admin, helper = (staff_client(app, "north", PASSWORD), staff_client(app, "admin", PASSWORD),
                            app.test_client())
    page, link = f"/demo/staff/proposals/{proposal_id}", f"/demo/proposal/{token}"
    assert post(north, page, action="accept").status_code == 303
    helper_form = csrf_token(helper, link)
    assert helper.post(link, data={"csrf_token": helper_form, "answer": "accepted"}).status_code == 303
    assert contacts_in(text(helper.get(link))) == {"Kita Taro", "076-111-1111"}
    assert {"090-1111-2222", "snow@example.org"} <= contacts_in(text(north.get(page)))
    assert post(admin, page, action="withdraw").status_code == 303
    assert contacts_in(text(helper.get(link))) == set()
    assert not contacts_in(text(north.get(page))) & set(HELPER_CONTACTS)
    # the link is spent: nothing changes (the staff page shows no answer button any more; its form token serves)
    assert helper.post(link, data={"csrf_token": helper_form, "answer": "declined"}).status_code == 409
    assert post(north, page, action="decline").status_code == 409
    assert status_of(app, proposal_id)["status"] == "withdrawn"
    south = staff_client(app, "south", PASSWORD)
    assert south.get(page).status_code == 403  # another ward's account, before and after


# --- real threads: two staff proposing the same pair, both sides answering at once ---


def at_once(app: Flask, *calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together; each result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = calls[index]()
            except Exception as exc:  # noqa: BLE001 - the test inspects what each call raised
                results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_staff_proposing_the_same_pair_at_once_make_one_proposal(app: Flask) -> None:
    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
    admin = [role_audience(runtime.spec, "admin", None)]

    def one() -> Any:
        return propose(runtime, engine, "pairs", 1, 1, audiences=admin, actor=audit.Actor("admin"), links=LINKS)

    for _round in range(3):
        results = at_once(app, one, one, one)
        made = [r for r in results if not isinstance(r, Exception)]
        assert len(made) == 1 and all(isinstance(r, ProposalConflict) for r in results if r not in made), results
        with app.app_context():
            withdraw(runtime, engine, made[0].proposal_id, audiences=admin, actor=audit.Actor("admin"))
    with app.app_context(), engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(PROPOSALS)).scalar_one() == 3


def test_both_sides_accepting_at_once_in_threads_end_accepted(app: Flask) -> None:
    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
    north = [role_audience(runtime.spec, "ward", "North")]
    for _round in range(4):
        proposal_id, token = proposed(app, 1, 1)
        results = at_once(
            app,
            partial(answer_by_token, runtime, engine, token, "accepted", client=None, links=LINKS),
            partial(answer_as_staff, runtime, engine, proposal_id, "request", "accepted", audiences=north,
                    actor=audit.Actor("north"), links=LINKS))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert status_of(app, proposal_id)["status"] == "accepted"
        with app.app_context():
            withdraw(runtime, engine, proposal_id, audiences=[role_audience(runtime.spec, "admin", None)],
                     actor=audit.Actor("admin"))


# --- the contact goes to the request's side, not to every reader of the request ---


def test_staff_who_only_read_requests_or_only_match_never_get_the_helper_s_contact(app: Flask) -> None:
    proposal_id, token = proposed(app, 1, 1)
    page = f"/demo/staff/proposals/{proposal_id}"
    assert post(staff_client(app, "north", PASSWORD), page, action="accept").status_code == 303
    assert post(app.test_client(), f"/demo/proposal/{token}", answer="accepted").status_code == 303
    assert {"090-1111-2222", "snow@example.org"} <= contacts_in(text(staff_client(app, "north", PASSWORD).get(page)))
    # The reader views requests only, the office matches without `see_private`: neither is the request's side
    # (which answers for it: may edit it), so both accepting reveals nothing to them that their roles hide.
    for who in ("reader", "office"):
        response = staff_client(app, who, PASSWORD).get(page + "?lang=en")
        assert response.status_code == 200 and "Both accepted" in text(response), who
        assert not contacts_in(text(response)) & set(HELPER_CONTACTS), who


# --- print_related: resident text escaped, a hidden referenced row unnamed ---


def test_printed_related_rows_escape_text_and_never_name_a_hidden_referenced_row(make_app: Any) -> None:
    from maps.test_map_print_related import APP, HAZARDS_CSV, related_lines

    yaml = APP.replace("      memo: {type: textarea", "      crew: {type: reference, to: crews, label: {ja: 班, en: Crew}}\n"
                       "      memo: {type: textarea").replace(
        "columns: [title, actor, progress, done_on]", "columns: [title, crew, progress]")
    yaml = yaml.replace("maps:\n", """  crews:
    title_field: name
    fields:
      name: {type: text}
      state: {type: choice, choices: [{key: draft}, {key: shown, public: true}]}
    workflow: {field: state, initial: draft, transitions: [{from: draft, to: shown}]}
    seed: {file: data/crews.csv}
maps:
""")
    measures = ("title,hazard,crew,progress,state\n"
                '"<img src=x onerror=alert(1)>",1,1,planned,shown\n'
                "Mirror,1,2,done,shown\n")
    crews = 'name,state\n"<b>Public</b> crew",shown\nSecret crew,draft\n'
    app = make_app(yaml, files={"data/hazards.csv": HAZARDS_CSV, "data/measures.csv": measures,
                                "data/crews.csv": crews})
    response = app.test_client().get("/demo/maps/routes/print?lang=en")
    assert response.status_code == 200
    page = text(response)
    assert "<img src=x" not in page and "<b>Public</b>" not in page and "Secret crew" not in page
    assert related_lines(page)["Countermeasures for No. 1:"] == [
        "<img src=x onerror=alert(1)> Crew: <b>Public</b> crew Progress: Planned", "Mirror Progress: Done"]


# --- a list's `link:` never carries the id of a row the page hides ---


def test_a_row_link_leaves_out_a_reference_to_a_hidden_row(make_app: Any) -> None:
    found = importlib.util.spec_from_file_location("review_form_links", Path(__file__).with_name("test_form_links.py"))
    assert found is not None and found.loader is not None
    desk = importlib.util.module_from_spec(found)
    found.loader.exec_module(desk)  # its YAML: places whose school may be a closed (hidden) one
    app = make_app(desk.YAML, files={"data/schools.csv": desk.SCHOOLS, "data/places.csv": desk.PLACES})
    client = app.test_client()
    listing = text(client.get("/demo/lists/places?lang=en"))
    links = [html.unescape(u) for u in re.findall(r'<a href="(/demo/forms/ask[^"]*)">Ask about it</a>', listing)]
    assert sorted(links) == sorted(["/demo/forms/ask?town=%E7%89%87%E7%94%BA",  # 片町: its closed school left out
                                    ("/demo/forms/ask?town=%3Cb%3E%E5%BA%83%E5%9D%82%3C%2Fb%3E+%26+1%E4%B8%81%E7%9B%AE"
                                     "&school=1")])
    detail = text(client.get("/demo/lists/places/2?lang=en"))
    assert re.findall(r'<a class="button" href="([^"]*)">Ask', detail) == ["/demo/forms/ask?town=%E7%89%87%E7%94%BA"]


# --- the 町会 sample: only the requesting association sees the helper's contact, and only after both accept ---


def test_in_the_sample_app_only_the_requesting_association_sees_the_helper_s_contact(tmp_path: Path,
                                                                                       database: str) -> None:
    name = "neighbourhood_matching"
    with sample_app(tmp_path, name, database, LOWCODE_RATE_LIMITS="0") as app:
        with app.app_context():
            runtime, engine = app_runtime(app, name), app_engine(app)
            requests, helpers = runtime.stores["help_requests"], runtime.stores["helpers"]
            with engine.begin() as conn:
                request_id, chokai_id = conn.execute(sa.select(requests.table.c.id, requests.table.c.chokai).where(
                    requests.table.c.status == "open").order_by(requests.table.c.id).limit(1)).one()
                other_chokai = conn.execute(sa.select(requests.table.c.chokai).where(
                    requests.table.c.chokai != chokai_id)).scalar()
                helper_id = conn.execute(sa.select(helpers.table.c.id).where(helpers.table.c.status == "published")
                                         .order_by(helpers.table.c.id)).scalar()
                conn.execute(helpers.table.update().where(helpers.table.c.id == helper_id).values(
                    contact_name="MARKER 助っ人", contact_email="marker-helper@example.org", contact_phone="090-9999-0001"))
                conn.execute(requests.table.update().where(requests.table.c.id == request_id).values(
                    contact_name="MARKER 町会長", contact_phone="076-999-0001"))
                requests.bump_version(conn)
                helpers.bump_version(conn)
            for username, role, scope in (("city", "admin", None), ("mine", "chokai", str(chokai_id)),
                                          ("other", "chokai", str(other_chokai))):
                create_user(engine, username, PASSWORD, [RoleGrant(name, role, scope)])
            done = propose(runtime, engine, "helpers_for_requests", request_id, helper_id,
                           audiences=[role_audience(runtime.spec, "admin", None)], actor=audit.Actor("city"), links=LINKS)
        markers = ("MARKER 助っ人", "marker-helper@example.org", "090-9999-0001", "MARKER 町会長", "076-999-0001")
        page, link = f"/{name}/staff/proposals/{done.proposal_id}", f"/{name}/proposal/{done.helper_token}"
        mine, other = (staff_client(app, who, PASSWORD, name) for who in ("mine", "other"))
        staff_home = f"/{name}/staff/"

        def seen(body: str) -> set[str]:
            return {m for m in markers if m in body}

        def public_pages() -> str:
            anyone = app.test_client()
            return "".join(text(anyone.get(f"/{name}{path}")) for path in (
                "/lists/helpers", "/lists/requests", f"/lists/requests/{request_id}", f"/lists/helpers/{helper_id}",
                "/dashboards/help", "/api/helpers.geojson", "/api/help_requests.geojson"))

        assert seen(text(mine.get(page))) == {"MARKER 町会長", "076-999-0001"}  # its own request's contact only
        assert other.get(page).status_code == 403
        assert post(other, page, staff_home, action="accept").status_code == 403
        assert post(mine, page, action="accept").status_code == 303
        assert seen(text(app.test_client().get(link))) == set()  # one side accepted: nothing yet
        assert post(app.test_client(), link, answer="accepted").status_code == 303
        assert seen(text(mine.get(page))) >= {"marker-helper@example.org", "090-9999-0001"}
        assert seen(text(app.test_client().get(link))) == {"MARKER 町会長", "076-999-0001"}
        assert other.get(page).status_code == 403
        assert seen(text(other.get(staff_home))) == set() and seen(public_pages()) == set()
        with app.app_context(), app_engine(app).connect() as conn:
            bodies = [r.subject + r.body for r in conn.execute(sa.select(OUTBOX.c.subject, OUTBOX.c.body))]
        assert bodies and all(seen(body) == set() for body in bodies)


def test_one_link_answering_twice_at_once_keeps_the_first_answer_only(app: Flask) -> None:
    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
    for _round in range(3):
        proposal_id, token = proposed(app, 2, 2)
        results = at_once(app, *(partial(answer_by_token, runtime, engine, token, answer, client=None, links=LINKS)
                                 for answer in ("accepted", "declined", "accepted")))
        stored = [r for r in results if not isinstance(r, Exception)]
        assert len(stored) == 1 and all(isinstance(r, ProposalConflict) for r in results if r not in stored), results
        row = status_of(app, proposal_id)
        assert row["helper_answer"] == stored[0].helper_answer
        assert row["status"] == ("declined" if row["helper_answer"] == "declined" else "proposed")
        if row["status"] == "proposed":
            with app.app_context():
                withdraw(runtime, engine, proposal_id, audiences=[role_audience(runtime.spec, "admin", None)],
                         actor=audit.Actor("admin"))
