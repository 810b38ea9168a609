"""Bulk changes from the staff queue, on SQLite and PostgreSQL: a status for ticked rows (each along the transition one
of the account's roles may take, skipped rows named, mails queued per row), a reason given once for all, bulk
assignment, and what a role without transitions or a scoped role gets when it sends ids by hand."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from staff_assign_support import build_app, logged_in, post, row_id, row_value
from support import app_engine

from lowcode.audit import AUDIT
from lowcode.mail.outbox import OUTBOX
from lowcode.staff.bulk import MAX_BULK_ROWS

QUEUE = "/demo/staff/tables/hazards"
BULK = QUEUE + "/bulk?lang=en"


@pytest.fixture
def app(make_app: Any) -> Flask:
    return build_app(make_app)


def ids(app: Flask, *titles: str) -> list[str]:
    return [str(row_id(app, title)) for title in titles]


def outbox(app: Flask) -> list[tuple[str, str]]:
    with app.app_context(), app_engine(app).connect() as conn:
        return [(to, body) for to, body in conn.execute(sa.select(OUTBOX.c.to, OUTBOX.c.body))]


def test_the_queue_offers_ticks_with_labels_and_the_bulk_form(app: Flask) -> None:
    page = logged_in(app, "editor").get(QUEUE + "?lang=en").get_data(as_text=True)
    ref = row_value(app, "North crossing", "ref")
    tick = f'id="tick-{row_id(app, "North crossing")}"'
    assert tick in page and f'<label for="tick-{row_id(app, "North crossing")}" class="visually-hidden">Select {ref}</label>' in page
    assert 'form="bulk-form"' in page and 'id="bulk-form"' in page
    form = page[page.index('id="bulk-form"'):]
    assert '<option value="published">Published</option>' in form and '<option value="declined">' not in form  # admin's
    admin = logged_in(app, "admin").get(QUEUE + "?lang=en").get_data(as_text=True)
    admin_form = admin[admin.index('id="bulk-form"'):]
    assert '<option value="declined">Declined</option>' in admin_form and 'id="bulk-reason"' in admin_form  # asked once


def test_a_role_without_transitions_or_edit_gets_no_bulk_form_and_403(app: Flask) -> None:
    viewer = logged_in(app, "viewer")
    page = viewer.get(QUEUE + "?lang=en").get_data(as_text=True)
    assert 'id="bulk-form"' not in page and 'type="checkbox"' not in page
    rows = ids(app, "North crossing", "South park")
    assert post(viewer, BULK, {"row": rows, "op": "status", "to": "published"}).status_code == 403
    assert post(viewer, BULK, {"row": rows, "op": "assign", "assignee": "@me"}).status_code == 403
    assert row_value(app, "North crossing", "status") == "received"


def test_publishing_two_rows_queues_a_mail_for_each_and_names_them(app: Flask) -> None:
    client = logged_in(app, "editor")
    response = post(client, BULK, {"row": ids(app, "North crossing", "South park"), "op": "status", "to": "published",
                                   "message": "Thank you <all>"})
    page = response.get_data(as_text=True)
    refs = [row_value(app, t, "ref") for t in ("North crossing", "South park")]
    assert response.status_code == 200 and "Done: 2" in page and all(ref in page for ref in refs)
    assert "Received: 1" in page and "Published: 2" in page
    assert row_value(app, "North crossing", "status") == row_value(app, "South park", "status") == "published"
    mails = dict(outbox(app))
    assert "Thank you <all>" in mails["north@home.example"] and "Thank you <all>" in mails["south@home.example"]
    with app.app_context(), app_engine(app).connect() as conn:
        actors = conn.execute(sa.select(AUDIT.c.actor).where(AUDIT.c.action == "status")).scalars().all()
    assert actors == ["editor", "editor"]


def test_rows_that_cannot_take_the_transition_are_skipped_by_reference(app: Flask) -> None:
    client = logged_in(app, "editor")
    post(client, BULK, {"row": ids(app, "South park"), "op": "status", "to": "published"})
    response = post(client, BULK, {"row": ids(app, "North crossing", "South park"), "op": "status", "to": "published"})
    page = response.get_data(as_text=True)
    skipped = row_value(app, "South park", "ref")
    assert "Done: 1" in page and "Skipped, as this change is not possible for them now: 1" in page and skipped in page
    assert len([to for to, _ in outbox(app) if to == "south@home.example"]) <= 1  # no second mail for the skipped row


def test_a_scoped_role_cannot_touch_rows_outside_its_scope_by_sending_ids(app: Flask) -> None:
    north = logged_in(app, "north")
    south_ref = row_value(app, "South park", "ref")
    response = post(north, BULK, {"row": ids(app, "North crossing", "South park"), "op": "status", "to": "published"})
    page = response.get_data(as_text=True)
    assert "Done: 1" in page and "Not found: 1" in page and south_ref not in page
    assert row_value(app, "South park", "status") == "received"
    assigned = post(north, BULK, {"row": ids(app, "South park"), "op": "assign", "assignee": "@me"}).get_data(as_text=True)
    assert "Not found: 1" in assigned and row_value(app, "South park", "assigned_to") is None


def test_a_required_reason_is_asked_once_and_kept_on_every_row(app: Flask) -> None:
    admin = logged_in(app, "admin")
    rows = ids(app, "North crossing", "South park")
    refused = post(admin, BULK, {"row": rows, "op": "status", "to": "declined", "reason": "   ", "message": "Sorry <b>"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'role="alert"' in page and "Fill in Reason" in page
    assert "Sorry &lt;b&gt;" in page and page.count(" checked>") == 2  # what was typed and ticked is kept
    assert row_value(app, "North crossing", "status") == "received" and outbox(app) == []
    done = post(admin, BULK, {"row": rows, "op": "status", "to": "declined", "reason": "Spam"})
    assert "Done: 2" in done.get_data(as_text=True)
    assert row_value(app, "North crossing", "reason") == row_value(app, "South park", "reason") == "Spam"
    assert row_value(app, "South park", "status") == "declined"


def test_bulk_assignment_skips_rows_the_account_may_not_hold(app: Flask) -> None:
    editor = logged_in(app, "editor")
    response = post(editor, BULK, {"row": ids(app, "North crossing", "South park"), "op": "assign", "assignee": "north"})
    page = response.get_data(as_text=True)
    assert "Done: 1" in page and row_value(app, "South park", "ref") in page  # South's row is not north's to hold
    assert row_value(app, "North crossing", "assigned_to") == "north" and row_value(app, "South park", "assigned_to") is None
    post(editor, BULK, {"row": ids(app, "North crossing", "South park"), "op": "assign", "assignee": "@me"})
    assert row_value(app, "South park", "assigned_to") == "editor"
    post(editor, BULK, {"row": ids(app, "South park"), "op": "assign", "assignee": "@nobody"})
    assert row_value(app, "South park", "assigned_to") is None


@pytest.mark.parametrize("data", [
    {"op": "status", "to": "published"},
    {"row": ["abc", "-1", "0", "１", "99999999999"], "op": "status", "to": "published"},
    {"row": ["1"], "op": "delete"},
    {"row": ["1"], "op": "status", "to": ""},
    {"row": [str(n) for n in range(1, MAX_BULK_ROWS + 2)], "op": "status", "to": "published"},
])
def test_bad_bulk_input_changes_nothing_and_says_why(app: Flask, data: dict[str, Any]) -> None:
    response = post(logged_in(app, "editor"), BULK, data)
    assert response.status_code == 422 and 'role="alert"' in response.get_data(as_text=True)
    assert row_value(app, "North crossing", "status") == "received"


def test_unknown_ids_and_statuses_are_no_error(app: Flask) -> None:
    editor = logged_in(app, "editor")
    page = post(editor, BULK, {"row": ["424242"], "op": "status", "to": "published"}).get_data(as_text=True)
    assert "Not found: 1" in page
    assert post(editor, BULK, {"row": ids(app, "North crossing"), "op": "status", "to": "nowhere"}).status_code == 403
    assert post(editor, "/demo/staff/tables/nothing/bulk", {"row": ["1"], "op": "status", "to": "published"}).status_code == 403


def test_the_bulk_answer_keeps_the_queue_filters(app: Flask) -> None:
    editor = logged_in(app, "editor")
    page = editor.get(QUEUE + "?lang=en&status=received&q=North").get_data(as_text=True)
    assert 'action="/demo/staff/tables/hazards/bulk?lang=en&amp;status=received&amp;q=North"' in page
    answer = post(editor, QUEUE + "/bulk?lang=en&q=park", {"row": ids(app, "North crossing"), "op": "assign",
                                                            "assignee": "@me"}).get_data(as_text=True)
    assert "Done: 1" in answer and "South park" in answer and "North bridge" not in answer


def test_control_characters_typed_are_dropped_not_a_database_error(app: Flask) -> None:
    admin = logged_in(app, "admin")
    rows = ids(app, "North crossing")
    done = post(admin, BULK, {"row": rows, "op": "status", "to": "declined", "reason": "Spam\x00!", "message": "Sorry\x00."})
    assert done.status_code == 200 and "Done: 1" in done.get_data(as_text=True)
    assert row_value(app, "North crossing", "reason") == "Spam!"
    assert any("Sorry." in body for to, body in outbox(app) if to == "north@home.example")
    assigned = post(admin, BULK, {"row": rows, "op": "assign", "assignee": "edi\x00tor"})
    assert assigned.status_code == 200 and row_value(app, "North crossing", "assigned_to") == "editor"
