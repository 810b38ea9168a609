"""Forms prefilled from their link (`?field=value`, GET only) and a list's `link:` that fills a form from each row
(issue 12, S): a value is checked like a submitted one and silently ignored when it fails; a reference must be a
row the writer may choose; every value comes back escaped; nothing is stored until the form is sent."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import support
from flask import Flask

from lowcode.spec.loader import load_app_spec

MakeApp = Callable[..., Flask]

YAML = """
title: {ja: 窓口, en: Desk}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true}
      status:
        type: choice
        choices: [{key: open, public: true}, {key: closed}]
    workflow: {field: status, initial: open, transitions: [{from: open, to: closed}]}
    seed: {file: data/schools.csv}
  places:
    title_field: town
    fields:
      town: {type: text, required: true, label: {ja: 町名, en: Town}}
      school: {type: reference, to: schools, label: {ja: 学校, en: School}}
      note: {type: text, visibility: private}
    seed: {file: data/places.csv}
  asks:
    fields:
      town: {type: text, required: true, max_length: 20}
      school: {type: reference, to: schools}
      kind: {type: choice, choices: [join, ask]}
      days: {type: multichoice, choices: [sat, sun]}
      people: {type: integer, min: 1, max: 9}
      on: {type: date}
      name: {type: text, visibility: private}
      secret: {type: text, visibility: staff}
forms:
  ask: {table: asks, fields: [town, school, kind, days, people, on, name]}
lists:
  places:
    table: places
    columns: [town, school]
    link: {form: ask, label: {ja: 相談する, en: Ask about it}, fill: {town: town, school: school}}
"""
SCHOOLS = "name,status\nEast,open\nClosed school,closed\n"
PLACES = 'town,school,note\n"<b>広坂</b> & 1丁目",1,private note\n片町,2,\n'


@pytest.fixture
def desk(make_app: MakeApp) -> Flask:
    return make_app(YAML, files={"data/schools.csv": SCHOOLS, "data/places.csv": PLACES})


def form_page(app: Flask, **query: Any) -> str:
    response = app.test_client().get("/demo/forms/ask", query_string=query)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def input_value(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match is not None, name
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html.unescape(value.group(1)) if value else None


def selected(page: str, name: str) -> list[str]:
    """The chosen options of a select, or the checked boxes of a group of checkboxes."""
    select = re.search(rf'<select[^>]*\bname="{name}".*?</select>', page, re.DOTALL)
    tags = re.findall(r"<option\b[^>]*>", select.group(0)) if select else re.findall(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    chosen = [tag for tag in tags if re.search(r"\b(selected|checked)\b", tag)]
    return [html.unescape(re.search(r'value="([^"]*)"', tag).group(1)) for tag in chosen]  # type: ignore[union-attr]


def test_valid_values_of_the_link_fill_the_form(desk: Flask) -> None:
    page = form_page(desk, town="広坂1丁目", school="1", kind="ask", days="sat,sun", people="3", on="2027-01-20",
                     name="北陸 花子")
    assert input_value(page, "town") == "広坂1丁目"
    assert selected(page, "school") == ["1"] and selected(page, "kind") == ["ask"]
    assert sorted(selected(page, "days")) == ["sat", "sun"]
    assert input_value(page, "people") == "3" and input_value(page, "on") == "2027-01-20"
    assert input_value(page, "name") == "北陸 花子"  # private: the resident's own form, as typed
    assert sorted(selected(form_page(desk, days=["sun", "sat"]), "days")) == ["sat", "sun"]


def test_invalid_unknown_or_hidden_values_are_ignored_never_an_error(desk: Flask) -> None:
    page = form_page(desk, town="x" * 21, school="2", kind="nonsense", days="sat,holiday", people="12", on="2027-02-30",
                     secret="staff only", unknown="1", lang="ja")
    assert input_value(page, "town") in (None, "")  # longer than max_length
    assert selected(page, "school") == [] and "Closed school" not in page  # a row the public may not see
    assert selected(page, "kind") == [] and selected(page, "days") == []
    assert input_value(page, "people") in (None, "") and input_value(page, "on") in (None, "")
    assert "staff only" not in page  # not a field of the form
    for bad in ("abc", "99999999999999999999", "-1", "1.5", ""):
        assert selected(form_page(desk, school=bad), "school") == []  # a 200 page (form_page checks it), nothing chosen
    for bad in ("NaN", "1e3", "\x00"):
        assert input_value(form_page(desk, people=bad, on=bad), "people") in (None, "")


def test_values_come_back_escaped(desk: Flask) -> None:
    page = form_page(desk, town='"><i>x</i>', name='"><script>alert(1)</script>')
    assert "<script>alert(1)</script>" not in page and "<i>x</i>" not in page
    assert input_value(page, "town") == '"><i>x</i>' and input_value(page, "name") == '"><script>alert(1)</script>'


def test_a_posted_form_ignores_the_query_string_and_nothing_is_stored_by_a_link(desk: Flask) -> None:
    client = desk.test_client()
    client.get("/demo/forms/ask", query_string={"town": "広坂", "kind": "join"})
    runtime = support.app_runtime(desk, "demo")
    with desk.app_context(), support.app_engine(desk).connect() as conn:
        assert runtime.stores["asks"].count(conn) == 0
    token = support.csrf_token(client, "/demo/forms/ask")
    answer = client.post("/demo/forms/ask?town=広坂", data={"csrf_token": token, "town": ""})
    assert answer.status_code == 422  # the query string filled nothing: the town the resident left empty is missing


def test_each_row_and_its_detail_page_link_to_the_form_filled_from_the_row(desk: Flask) -> None:
    client = desk.test_client()
    page = client.get("/demo/lists/places?lang=en").get_data(as_text=True)
    links = [html.unescape(u) for u in re.findall(r'<a href="(/demo/forms/ask[^"]*)">Ask about it</a>', page)]
    assert len(links) == 2 and "<b>広坂</b>" not in page
    first = next(u for u in links if "school=1" in u)
    assert "note" not in first and "private" not in first  # only the `fill:` fields, never a private one
    form = client.get(first).get_data(as_text=True)
    assert input_value(form, "town") == "<b>広坂</b> & 1丁目" and selected(form, "school") == ["1"]
    hidden = next(u for u in links if u != first)
    assert selected(client.get(hidden).get_data(as_text=True), "school") == []  # the closed school is not offered
    detail = client.get("/demo/lists/places/1?lang=en").get_data(as_text=True)
    [link] = re.findall(r'<a class="button" href="([^"]*)">Ask about it</a>', detail)
    assert html.unescape(link) == first and "private note" not in detail


@pytest.mark.parametrize(("change", "code"), [
    ("fill: {town: town, school: school}", None),
    ("fill: {twon: town}", "E_ROW_LINK_NOT_IN_FORM"),
    ("fill: {town: tonw}", "E_UNKNOWN_FIELD"),
    ("fill: {school: town}", "E_ROW_LINK_TYPE"),
    ("fill: {town: note}", "E_ROW_LINK_NOT_SHOWN"),
    ("form: aks", "E_UNKNOWN_FORM"),
])
def test_a_link_is_checked_with_a_message_at_its_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      change: str, code: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    key = change.split(":")[0]
    text = YAML.replace("fill: {town: town, school: school}" if key == "fill" else "form: ask, label", change
                        if key == "fill" else "form: aks, label")
    support.write_app(tmp_path / "demo", text, {"data/schools.csv": SCHOOLS, "data/places.csv": PLACES})
    loaded = load_app_spec(Path("demo"))
    assert [p.code for p in loaded.problems] == ([code] if code else [])
    if code:
        [problem] = loaded.problems
        assert problem.line == YAML.lstrip("\n").count("\n", 0, YAML.lstrip("\n").index("    link:")) + 1  # its line
        assert problem.render("ja") != problem.render("en")


def test_a_link_to_a_staff_form_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = YAML.replace("  ask: {table: asks,", "  ask: {access: staff, table: asks,")
    support.write_app(tmp_path / "demo", text, {"data/schools.csv": SCHOOLS, "data/places.csv": PLACES})
    [problem] = load_app_spec(Path("demo")).problems
    assert problem.code == "E_ROW_LINK_NOT_PUBLIC_FORM" and "staff" in problem.render("en")
