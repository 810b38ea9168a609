"""The proposal pages over HTTP, on SQLite and PostgreSQL: propose from the matching page, the staff proposal page,
the list, the request's record page, the helper's private link; CSRF, 403/404/409/422; and the audience: before
both accept no page (nor a public one, nor a mail) holds the other side's contact, after both accept each side
sees exactly the named fields, after a decline nothing."""
from __future__ import annotations

import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from proposal_data import HELPER_CONTACTS, PASSWORD, REQUEST_CONTACTS, YAML, seed
from support import app_engine, csrf_token, staff_client

from lowcode.mail.outbox import OUTBOX

MATCHING = "/demo/staff/matching/pairs"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    seed(built)
    return built


def logged_in(app: Flask, username: str) -> Any:
    return staff_client(app, username, PASSWORD)


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def propose(client: Any, request_id: int = 1, helper_id: int = 1) -> Any:
    token = csrf_token(client, MATCHING)
    return client.post(MATCHING + "/propose", data={"csrf_token": token, "request_id": str(request_id),
                                                   "helper_id": str(helper_id)})


def post(client: Any, url: str, **data: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def mails(app: Flask) -> list[tuple[str, str]]:
    with app.app_context(), app_engine(app).connect() as conn:
        return [(r.to, r.subject + "\n" + r.body) for r in conn.execute(sa.select(OUTBOX.c.to, OUTBOX.c.subject, OUTBOX.c.body))]


def helper_link(app: Flask) -> str:
    body = next(body for to, body in mails(app) if to == "snow@example.org")
    match = re.search(r"http://localhost(/demo/proposal/[A-Za-z0-9_-]+)", body)
    assert match, body
    return match.group(1)


def proposed(app: Flask) -> tuple[Any, str, str]:
    """The admin proposes the snow team for North snow: (admin client, staff page path, helper's link path)."""
    admin = logged_in(app, "admin")
    response = propose(admin)
    assert response.status_code == 303
    page = response.headers["Location"].split("?")[0]
    return admin, page, helper_link(app)


def contacts_in(page: str) -> set[str]:
    return {c for c in (*REQUEST_CONTACTS, *HELPER_CONTACTS, "s3cret-1") if c in page}


def test_the_matching_page_offers_propose_and_then_shows_the_status(app: Flask) -> None:
    admin = logged_in(app, "admin")
    page = text(admin.get(MATCHING + "?lang=en"))
    before = page.count(">Propose<")
    assert before == 4 and MATCHING + "/proposals" in page  # two requests, two helpers each
    response = propose(admin)
    assert response.status_code == 303 and "/demo/staff/proposals/" in response.headers["Location"]
    page = text(admin.get(MATCHING + "?lang=en"))
    assert "Proposed: Waiting for answers" in page and page.count(">Propose<") == before - 1
    assert propose(admin).status_code == 303  # the same pair again: back to the matching page, nothing added
    assert len([m for m in mails(app) if m[0] == "snow@example.org"]) == 1


def test_propose_refuses_bad_input_other_roles_and_a_missing_token(app: Flask) -> None:
    admin = logged_in(app, "admin")
    token = csrf_token(admin, MATCHING)
    for request_id, helper_id in (("x", "1"), ("1", ""), ("-1", "1"), ("99999999999", "1"), ("3", "1"), ("1", "3")):
        response = admin.post(MATCHING + "/propose", data={"csrf_token": token, "request_id": request_id,
                                                          "helper_id": helper_id})
        assert response.status_code == 404, (request_id, helper_id)
    assert admin.post(MATCHING + "/propose", data={"request_id": "1", "helper_id": "1"}).status_code == 400
    assert admin.post("/demo/staff/matching/nothing/propose",
                      data={"csrf_token": token, "request_id": "1", "helper_id": "1"}).status_code == 404
    north = logged_in(app, "north")
    north_token = csrf_token(north, "/demo/staff/")
    assert north.post(MATCHING + "/propose", data={"csrf_token": north_token, "request_id": "1",
                                                  "helper_id": "1"}).status_code == 403
    assert app.test_client().post(MATCHING + "/propose").status_code in (302, 400)
    assert mails(app) == []


def test_before_both_accept_no_page_and_no_mail_holds_the_other_side_s_contact(app: Flask) -> None:
    _admin, page, link = proposed(app)
    north = logged_in(app, "north")
    staff_page = text(north.get(page + "?lang=en"))
    assert "Snow &lt;b&gt;team&lt;/b&gt;" in staff_page and "Accept this helper" in staff_page
    assert contacts_in(staff_page) <= {"Kita Taro", "076-111-1111"}  # the ward's own request's fields only
    assert not contacts_in(staff_page) & set(HELPER_CONTACTS)
    response = app.test_client().get(link + "?lang=en")
    helper_page = text(response)
    assert response.status_code == 200 and "North snow" in helper_page and contacts_in(helper_page) == set()
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert all(contacts_in(body) == set() for _to, body in mails(app))


def test_after_both_accept_each_side_sees_exactly_the_named_fields(app: Flask) -> None:
    _admin, page, link = proposed(app)
    north = logged_in(app, "north")
    assert post(north, page, action="accept").status_code == 303
    assert contacts_in(text(app.test_client().get(link))) == set()  # one side only: still nothing
    helper = app.test_client()
    response = post(helper, link, answer="accepted")
    assert response.status_code == 303 and response.headers["Referrer-Policy"] == "no-referrer"
    helper_page = text(helper.get(link + "?lang=en"))
    assert contacts_in(helper_page) == {"Kita Taro", "076-111-1111"} and "Both accepted" in helper_page
    staff_page = text(north.get(page + "?lang=en"))
    assert set(HELPER_CONTACTS[:2]) <= contacts_in(staff_page) and "s3cret-1" not in staff_page
    assert not contacts_in(staff_page) & {"090-3333-4444", "folk@example.org"}
    for public in ("/demo/lists/helpers", "/demo/lists/requests", "/demo/lists/requests/1"):
        assert contacts_in(text(app.test_client().get(public))) == set(), public
    assert all(contacts_in(body) == set() for _to, body in mails(app))


def test_after_a_decline_nothing_is_shown(app: Flask) -> None:
    _admin, page, link = proposed(app)
    helper = app.test_client()
    token = csrf_token(helper, link)
    north = logged_in(app, "north")
    assert post(north, page, action="decline").status_code == 303
    helper_page = text(app.test_client().get(link + "?lang=en"))
    assert "Declined" in helper_page and contacts_in(helper_page) == set() and 'name="answer"' not in helper_page
    staff_page = text(north.get(page + "?lang=en"))
    assert not contacts_in(staff_page) & set(HELPER_CONTACTS)
    assert helper.post(link, data={"csrf_token": token, "answer": "accepted"}).status_code == 409


def test_the_private_link_refuses_unknown_tokens_and_bad_answers(app: Flask) -> None:
    _admin, _page, link = proposed(app)
    client = app.test_client()
    assert client.get("/demo/proposal/" + "A" * 30).status_code == 404
    assert client.get("/demo/proposal/..%2F").status_code == 404
    assert post(client, link, answer="maybe").status_code == 400
    assert client.post(link, data={"answer": "accepted"}).status_code == 400  # no CSRF token
    token = csrf_token(client, link)
    assert client.post(link, data={"csrf_token": token, "answer": "accepted"}).status_code == 303
    assert client.post(link, data={"csrf_token": token, "answer": "declined"}).status_code == 409  # answered already


def test_the_staff_proposal_page_guards(app: Flask) -> None:
    _admin, page, _link = proposed(app)
    assert logged_in(app, "south").get(page).status_code == 403
    assert logged_in(app, "admin").get("/demo/staff/proposals/999").status_code == 404
    assert logged_in(app, "admin").get("/demo/staff/proposals/99999999999").status_code == 404
    assert app.test_client().get(page).status_code == 302
    reader = logged_in(app, "reader")
    assert "Accept this helper" not in text(reader.get(page + "?lang=en"))
    assert post(reader, page, action="accept").status_code == 403
    assert post(logged_in(app, "north"), page, action="dispatch").status_code == 403
    assert post(logged_in(app, "north"), page, action="nonsense").status_code == 400


def test_dispatch_and_the_activity_report(app: Flask) -> None:
    admin, page, link = proposed(app)
    north = logged_in(app, "north")
    post(north, page, action="accept")
    post(app.test_client(), link, answer="accepted")
    assert post(admin, page, action="dispatch").status_code == 303
    assert post(admin, page, action="dispatch").status_code == 409
    response = post(north, page + "?lang=en", action="report", participants="many", hours="2", note="<b>ok</b>")
    assert response.status_code == 422 and "Enter a whole number" in text(response) and "&lt;b&gt;ok" in text(response)
    assert post(north, page, action="report", participants="4", hours="2.5", note="<b>ok</b>").status_code == 303
    shown = text(north.get(page + "?lang=en"))
    assert "Activity reported" in shown and "&lt;b&gt;ok&lt;/b&gt;" in shown and "<b>ok</b>" not in shown


def test_the_list_filters_by_status_and_is_for_matching_staff(app: Flask) -> None:
    admin, page, _link = proposed(app)
    propose(admin, 2, 2)
    post(admin, page, action="withdraw")
    listing = text(admin.get(MATCHING + "/proposals?lang=en"))
    assert "2 proposals" in listing and "North snow" in listing and "South festival" in listing
    withdrawn = text(admin.get(MATCHING + "/proposals?lang=en&status=withdrawn"))
    assert "1 proposals" in withdrawn and "North snow" in withdrawn and "South festival" not in withdrawn
    assert admin.get(MATCHING + "/proposals?status=%3Cx%3E&page=abc").status_code == 200
    assert logged_in(app, "north").get(MATCHING + "/proposals").status_code == 403
    assert admin.get("/demo/staff/matching/nothing/proposals").status_code == 404
    assert MATCHING + "/proposals" in text(admin.get("/demo/staff/"))
    assert MATCHING + "/proposals" not in text(logged_in(app, "north").get("/demo/staff/"))


def test_the_request_s_record_page_lists_its_proposals_for_its_ward(app: Flask) -> None:
    _admin, page, _link = proposed(app)
    record = text(logged_in(app, "north").get("/demo/staff/tables/requests/1?lang=en"))
    assert page in record and "Waiting for answers" in record and "Snow &lt;b&gt;team&lt;/b&gt;" in record
    assert not contacts_in(record) & set(HELPER_CONTACTS)
    assert page not in text(logged_in(app, "admin").get("/demo/staff/tables/requests/2?lang=en"))


def test_the_pages_are_in_japanese(app: Flask) -> None:
    admin, page, link = proposed(app)
    assert "提案する" in text(admin.get(MATCHING + "?lang=ja"))
    assert "提案" in text(admin.get(page + "?lang=ja")) and "受ける" in text(app.test_client().get(link + "?lang=ja"))
