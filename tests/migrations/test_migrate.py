"""`lowcode migrate`: every scenario of issue 13 on SQLite and PostgreSQL, values compared before and after."""
from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from migration_support import LiveApp

PEOPLE = """
title: Demo
tables:
  people:
    fields:
      name: {type: text}
      kana: {type: text}
      age: {type: text}
      count: {type: integer}
      seen: {type: multichoice, choices: [morning, evening]}
      kind: {type: choice, choices: [a, b, c]}
"""
ROWS = {"people": [
    {"name": "Aoki", "kana": "あおき", "age": "12", "count": 3, "seen": ["morning"], "kind": "a"},
    {"name": "Baba", "kana": "ばば", "age": "about ten", "count": 40, "seen": ["morning", "evening"], "kind": "c"},
    {"name": "Chiba", "kana": None, "age": None, "count": None, "seen": [], "kind": None},
]}


def field_values(live: LiveApp, table: str, *names: str) -> list[tuple[object, ...]]:
    return [tuple(row[n] for n in ("id", "ref", *names)) for row in live.rows(table)]


def test_nothing_to_change_says_so(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    result = live.migrate("--dry-run")
    assert result.exit_code == 0, result.output
    assert "nothing to change" in result.output


def test_added_field_and_table_are_made_at_start_up_and_by_migrate(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    before = field_values(live, "people", "name", "kana")
    live.edit(PEOPLE + "      note: {type: textarea}\n  places:\n    fields:\n      where: {type: text}\n")
    dry = live.migrate("--dry-run")
    assert "Add the field 'note' to 'people'" in dry.output and "Add the table 'places'" in dry.output
    assert live.migrate().exit_code == 0
    assert field_values(live, "people", "name", "kana") == before
    assert [r["note"] for r in live.rows("people")] == [None, None, None]
    assert live.rows("places") == []


def test_rename_field_keeps_every_value(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    before = field_values(live, "people", "name", "kana", "age", "count")
    live.edit(PEOPLE.replace("kana: {type: text}", "furigana: {type: text, renamed_from: kana}"))
    dry = live.migrate("--dry-run", lang="ja")
    assert "項目" in dry.output and "'kana'" in dry.output and "'furigana'" in dry.output
    assert "kana" in live.rows("people")[0]  # a dry run changes nothing
    result = live.migrate()
    assert result.exit_code == 0, result.output
    assert field_values(live, "people", "name", "furigana", "age", "count") == before
    assert "kana" not in live.rows("people")[0]
    assert live.sql("SELECT app FROM lowcode_migrations") == [("demo",)]
    assert "nothing to change" in live.migrate("--dry-run").output


def test_missing_renamed_from_is_suggested(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    live.edit(PEOPLE.replace("kana: {type: text}", "furigana: {type: text}"))
    dry = live.migrate("--dry-run")
    assert "Did you rename 'kana' to 'furigana'?" in dry.output
    assert "ふりがな" not in dry.output
    ja = live.migrate("--dry-run", lang="ja")
    assert "'kana'" in ja.output and "renamed_from: kana" in ja.output


def test_unknown_renamed_from_is_a_clear_warning(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    live.edit(PEOPLE.replace("kana: {type: text}", "furigana: {type: text, renamed_from: kanna}"))
    dry = live.migrate("--dry-run")
    assert "no field 'kanna'" in dry.output and "Did you mean 'kana'?" in dry.output


def test_rename_table_keeps_every_row(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    before = live.rows("people")
    live.edit(PEOPLE.replace("  people:\n", "  residents:\n    renamed_from: people\n"))
    assert "Rename the table 'people' to 'residents'" in live.migrate("--dry-run").output
    assert live.migrate().exit_code == 0
    assert live.rows("residents") == before
    assert live.sql("SELECT count(*) FROM lowcode_meta WHERE key = 'version:demo__people'") == [(0,)]


def test_removed_field_is_archived_and_comes_back(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    before = field_values(live, "people", "name", "kana")
    live.edit(PEOPLE.replace("      kana: {type: text}\n", ""))
    dry = live.migrate("--dry-run")
    assert "Remove the field 'kana' from 'people': its 2 value(s) are kept in the archive" in dry.output
    assert live.migrate().exit_code == 0
    assert "kana" not in live.rows("people")[0]
    assert live.sql("SELECT count(*) FROM lowcode_archive WHERE field = 'kana'") == [(2,)]
    live.edit(PEOPLE)
    assert "bring back its 2 archived value(s)" in live.migrate("--dry-run").output
    assert live.migrate().exit_code == 0
    assert field_values(live, "people", "name", "kana") == before
    assert live.sql("SELECT count(*) FROM lowcode_archive") == [(0,)]


def test_text_to_integer_names_bad_rows_and_refuses_without_force(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    refs = [r["ref"] for r in live.rows("people")]
    live.edit(PEOPLE.replace("age: {type: text}", "age: {type: integer}"))
    dry = live.migrate("--dry-run")
    assert "1 row(s) would not convert: " + refs[1] in dry.output
    refused = live.migrate()
    assert refused.exit_code == 1
    assert [r["age"] for r in live.rows("people")] == ["12", "about ten", None]
    forced = live.migrate("--force")
    assert forced.exit_code == 0, forced.output
    assert [r["age"] for r in live.rows("people")] == [12, None, None]
    archived = live.sql("SELECT ref, value FROM lowcode_archive WHERE field = 'age'")
    assert [(ref, json.loads(value)) for ref, value in archived] == [(refs[1], {"age": ["text", "about ten"]})]


def test_integer_to_text(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    before = field_values(live, "people", "name", "kana")
    live.edit(PEOPLE.replace("count: {type: integer}", "count: {type: text}"))
    assert "from integer to text" in live.migrate("--dry-run").output
    assert live.migrate().exit_code == 0
    assert [r["count"] for r in live.rows("people")] == ["3", "40", None]
    assert field_values(live, "people", "name", "kana") == before


def test_multichoice_to_choice_keeps_several_picks_in_the_archive(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    refs = [r["ref"] for r in live.rows("people")]
    live.edit(PEOPLE.replace("seen: {type: multichoice", "seen: {type: choice"))
    dry = live.migrate("--dry-run")
    assert "1 row(s) would not convert: " + refs[1] in dry.output
    assert live.migrate("--force").exit_code == 0
    assert [r["seen"] for r in live.rows("people")] == ["morning", None, None]
    assert live.sql("SELECT ref FROM lowcode_archive") == [(refs[1],)]


def test_choice_to_multichoice(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    live.edit(PEOPLE.replace("kind: {type: choice", "kind: {type: multichoice"))
    assert live.migrate().exit_code == 0
    assert [r["kind"] for r in live.rows("people")] == [["a"], ["c"], None]


def test_choice_removed_while_rows_use_it(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    live.edit(PEOPLE.replace("choices: [a, b, c]", "choices: [a, b]").replace("[morning, evening]", "[morning]"))
    dry = live.migrate("--dry-run")
    assert "choices of 'kind' that the YAML no longer has: 'c' (1)" in dry.output
    assert "choices of 'seen' that the YAML no longer has: 'evening' (1)" in dry.output


def test_status_removed_while_rows_are_in_it(live: LiveApp) -> None:
    flow = """
title: Demo
tables:
  reports:
    fields:
      what: {type: text}
      status: {type: choice, choices: [{key: new}, {key: checked, public: true}, {key: done, public: true}]}
    workflow:
      field: status
      initial: new
      transitions:
        - {from: new, to: checked}
        - {from: checked, to: done}
"""
    live.start(flow, {"reports": [{"what": "x", "status": "checked"}, {"what": "y", "status": "checked"}]})
    live.edit(flow.replace(", {key: done, public: true}", "").replace("        - {from: checked, to: done}\n", "")
              .replace("{key: checked, public: true}", "{key: published, public: true}").replace("to: checked", "to: published"))
    dry = live.migrate("--dry-run")
    assert "statuses the workflow no longer has: 'checked' (2)" in dry.output, dry.output


def test_removed_table_rows_are_archived(live: LiveApp) -> None:
    live.start(PEOPLE + "  places:\n    fields:\n      where: {type: text}\n      on: {type: date}\n",
               {**ROWS, "places": [{"where": "Kanazawa", "on": dt.date(2026, 4, 1)}]})
    place = live.rows("places")[0]
    live.edit(PEOPLE)
    assert "Remove the table 'places': its 1 row(s) are kept in the archive" in live.migrate("--dry-run").output
    assert live.migrate().exit_code == 0
    assert live.sql("SELECT count(*) FROM lowcode_meta WHERE key = 'version:demo__places'") == [(0,)]
    (value,) = live.sql("SELECT value FROM lowcode_archive WHERE field = '*'")[0]
    assert json.loads(value)["where"] == ["text", "Kanazawa"]
    assert json.loads(value)["on"] == ["date", "2026-04-01"]
    assert json.loads(value)["ref"][1] == place["ref"]


REFERENCED = """
title: Demo
tables:
  schools:
    fields:
      name: {type: text}
  routes:
    fields:
      what: {type: text}
      school: {type: reference, to: schools}
      spot: {type: location}
"""


def test_renaming_a_referenced_table_keeps_the_references(live: LiveApp) -> None:
    live.start(REFERENCED, {"schools": [{"name": "North"}]})
    school_id = live.rows("schools")[0]["id"]
    live.start(REFERENCED, {"routes": [{"what": "crossing", "school": school_id, "spot": (136.65, 36.56)}]})
    live.edit(REFERENCED.replace("  schools:\n", "  campuses:\n    renamed_from: schools\n")
              .replace("to: schools", "to: campuses").replace("spot: {type: location}", "place: {type: location, renamed_from: spot}"))
    result = live.migrate()
    assert result.exit_code == 0, result.output
    (route,) = live.rows("routes")
    assert route["school"] == school_id and (route["place_lon"], route["place_lat"]) == (136.65, 36.56)
    assert live.rows("campuses")[0]["name"] == "North"
    app = live.serve()
    assert app.test_client().get("/demo/").status_code == 200


def test_removing_a_reference_and_a_location_archives_both(live: LiveApp) -> None:
    live.start(REFERENCED, {"schools": [{"name": "North"}]})
    school_id = live.rows("schools")[0]["id"]
    live.start(REFERENCED, {"routes": [{"what": "crossing", "school": school_id, "spot": (136.65, 36.56)}]})
    live.edit(REFERENCED.replace("      school: {type: reference, to: schools}\n", "").replace("      spot: {type: location}\n", ""))
    result = live.migrate()
    assert result.exit_code == 0, result.output
    assert set(live.rows("routes")[0]) == {"id", "ref", "created_at", "updated_at", "track_hash", "what"}
    live.edit(REFERENCED)
    assert live.migrate().exit_code == 0
    (route,) = live.rows("routes")
    assert route["school"] == school_id and (route["spot_lon"], route["spot_lat"]) == (136.65, 36.56)


def test_sqlite_is_copied_before_a_change_and_a_dry_run_makes_no_file(live: LiveApp) -> None:
    live.start(PEOPLE, ROWS)
    live.edit(PEOPLE.replace("kana: {type: text}", "furigana: {type: text, renamed_from: kana}"))
    live.migrate("--dry-run")
    assert not list(live.instance.glob("*.before-migrate-*"))
    result = live.migrate()
    copies = list(live.instance.glob("*.before-migrate-*"))
    if not live.database.startswith("sqlite"):
        assert copies == []
        return
    (copy,) = copies
    assert copy.stat().st_mode & 0o777 == 0o600 and str(copy) in result.output
    import sqlite3

    with sqlite3.connect(copy) as conn:  # the copy is the database before the rename, whole
        assert [r[0] for r in conn.execute("SELECT kana FROM demo__people ORDER BY id")] == ["あおき", "ばば", None]


def test_a_dry_run_on_a_new_installation_creates_nothing(live: LiveApp) -> None:
    live.edit(PEOPLE)
    result = live.migrate("--dry-run")
    assert result.exit_code == 0 and "Add the table 'people'" in result.output
    if live.database.startswith("sqlite"):
        assert not live.instance.exists()


def test_a_removed_table_added_again_gets_its_rows_back(live: LiveApp) -> None:
    places = "  places:\n    fields:\n      where: {type: text}\n      on: {type: date}\n"
    live.start(PEOPLE + places, {"places": [{"where": "Kanazawa", "on": dt.date(2026, 4, 1)}, {"where": "Nonoichi"}]})
    before = live.rows("places")
    live.edit(PEOPLE)
    assert live.migrate().exit_code == 0
    live.edit(PEOPLE + places)
    assert "bring back its 2 archived row(s)" in live.migrate("--dry-run").output
    assert live.migrate().exit_code == 0
    assert live.rows("places") == before
    assert live.sql("SELECT count(*) FROM lowcode_archive") == [(0,)]
    app = live.serve()  # a new row gets a fresh id after the restored ones (PostgreSQL's sequence moved on)
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.app_context(), app.extensions["lowcode"].db.engine.begin() as conn:
        new_id, _ = runtime.stores["places"].insert(conn, {"where": "Hakusan"})
    assert new_id == max(r["id"] for r in before) + 1


def test_a_number_too_large_for_the_column_is_named_not_a_crash(live: LiveApp) -> None:
    live.start(PEOPLE, {"people": [{"name": "x", "age": "99999999999999999999"}, {"name": "y", "age": "7"}]})
    refs = [r["ref"] for r in live.rows("people")]
    live.edit(PEOPLE.replace("age: {type: text}", "age: {type: integer}"))
    assert "1 row(s) would not convert: " + refs[0] in live.migrate("--dry-run").output
    assert live.migrate("--force").exit_code == 0
    assert [r["age"] for r in live.rows("people")] == [None, 7]


def test_a_database_error_midway_rolls_everything_back(live: LiveApp, monkeypatch: pytest.MonkeyPatch) -> None:
    from lowcode.migrations.apply import Migration

    live.start(PEOPLE, ROWS)
    before = live.rows("people")

    def refuse(self: Migration, step: object) -> None:
        raise sa.exc.IntegrityError("ALTER …", {}, Exception("refused by the database"))

    monkeypatch.setattr(Migration, "apply_RemoveField", refuse)
    live.edit(PEOPLE.replace("kana: {type: text}", "furigana: {type: text, renamed_from: kana}")
              .replace("      count: {type: integer}\n", ""))
    result = live.migrate()
    assert result.exit_code == 1
    assert "not applied, the database is unchanged (rolled back)" in result.output
    assert "refused by the database" in result.output
    assert live.rows("people") == before  # the rename that ran first was undone too
    assert live.sql("SELECT count(*) FROM lowcode_migrations") == [(0,)]
