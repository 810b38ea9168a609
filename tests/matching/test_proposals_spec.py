"""`proposals:` inside a matching: a clean block loads; an unknown field or an address key naming a field that is
not an `email` one is reported at its place, with a did-you-mean, in ja and en (issue 12, P)."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp

APP = """\
title: {{ja: 提案, en: Proposals}}
tables:
  requests:
    fields:
      title: {{type: text}}
      kind: {{type: choice, choices: [snow, festival]}}
      contact_name: {{type: text, visibility: private}}
      contact_phone: {{type: phone, visibility: private}}
      mail: {{type: email, visibility: private}}
  helpers:
    fields:
      name: {{type: text}}
      kinds: {{type: multichoice, choices: [snow, festival]}}
      contact_name: {{type: text, visibility: private}}
      contact_email: {{type: email, visibility: private}}
matching:
  volunteers:
    requests: requests
    helpers: helpers
    criteria:
      - {{kind: category, request_field: kind, helper_field: kinds}}
    proposals:
      request_contact: [{request_contact}]
      helper_contact: [contact_name, contact_email]
      helper_email: {helper_email}
      request_email: {request_email}
"""
GOOD = {"request_contact": "contact_name, contact_phone", "helper_email": "contact_email", "request_email": "null"}


def app(**changes: str) -> str:
    return APP.format(**{**GOOD, **changes})


def test_a_clean_proposals_block_loads(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(request_email="mail"))
    assert [p.render() for p in loaded.problems] == []
    assert loaded.spec is not None
    proposals = loaded.spec.matching["volunteers"].proposals
    assert proposals is not None and proposals.request_contact == ["contact_name", "contact_phone"]
    assert (proposals.helper_email, proposals.request_email) == ("contact_email", "mail")


def test_without_proposals_a_matching_has_none(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app().split("    proposals:")[0])
    assert loaded.spec is not None and loaded.spec.matching["volunteers"].proposals is None


def test_an_unknown_contact_field_says_where_and_suggests(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(request_contact="contact_name, contact_phon"))
    [problem] = loaded.problems
    assert problem.code == "E_UNKNOWN_FIELD" and (problem.line, problem.column) == (23, 39)
    assert problem.render("en") == (
        "demo/app.yaml:23:39 [E_UNKNOWN_FIELD] The table 'requests' has no field 'contact_phon'. "
        "Fields of 'requests': title, kind, contact_name, contact_phone, mail. Did you mean 'contact_phone' or 'contact_name'?")


def test_an_address_key_must_name_an_email_field(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(helper_email="contact_name"))
    [problem] = loaded.problems
    assert problem.code == "E_PROPOSAL_EMAIL_TYPE" and problem.line == 25
    assert problem.render("en").endswith(
        "[E_PROPOSAL_EMAIL_TYPE] `helper_email:` names the address proposals are sent to, but 'contact_name' is a "
        "text field, not an `email` one. Name an `email` field of 'helpers': contact_email.")
    assert "`email` 型ではなく text 型の項目です。" in problem.render("ja")


def test_an_unknown_address_field_suggests_the_near_one(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(request_email="mial"))
    [problem] = loaded.problems
    assert problem.code == "E_UNKNOWN_FIELD" and "Did you mean 'mail'?" in problem.render("en")
