"""Issue 13: a field's type changed within one kind of column (text → email, text → choice, text → phone or
postal_code) is a type change: the rows the new type refuses are counted and named, refused without --force, and
archived with it; the column is not rebuilt. On SQLite and PostgreSQL."""
from __future__ import annotations

import json

import sqlalchemy as sa
from migration_support import LiveApp

from lowcode.migrations.field_types import KEY_PREFIX

CONTACTS = """
title: Demo
tables:
  contacts:
    fields:
      name: {type: text}
      mail: {type: text}
      zip: {type: text}
      kind: {type: text}
      tags: {type: multichoice, choices: [a, b, c]}
"""
ROWS = {"contacts": [
    {"name": "Aoki", "mail": "aoki@example.jp", "zip": "〒920-0962", "kind": "a", "tags": ["a"]},
    {"name": "Baba", "mail": "not an address", "zip": "12", "kind": "z", "tags": ["a", "c"]},
    {"name": "Chiba", "mail": None, "zip": "９２０００３１", "kind": None, "tags": []},
]}


def refs(live: LiveApp) -> list[str]:
    return [r["ref"] for r in live.rows("contacts")]


def column_names(live: LiveApp) -> list[str]:
    engine = sa.create_engine(live.database)
    try:
        return [c["name"] for c in sa.inspect(engine).get_columns("demo__contacts")]
    finally:
        engine.dispose()


def test_text_to_email_names_the_refused_rows_and_needs_force(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    bad = refs(live)[1]
    live.edit(CONTACTS.replace("mail: {type: text}", "mail: {type: email}"))
    dry = live.migrate("--dry-run")
    assert "from text to email (2 row(s) with a value)" in dry.output, dry.output
    assert f"1 row(s) would not convert: {bad}" in dry.output
    assert live.migrate().exit_code == 1  # refused: nothing changed
    assert [r["mail"] for r in live.rows("contacts")] == ["aoki@example.jp", "not an address", None]
    assert live.serve().test_client().get("/healthz").get_json()["under_maintenance"] == ["demo"]
    columns = column_names(live)
    forced = live.migrate("--force")
    assert forced.exit_code == 0, forced.output
    assert [r["mail"] for r in live.rows("contacts")] == ["aoki@example.jp", None, None]
    assert column_names(live) == columns  # the column was not rebuilt (same place, same name)
    archived = live.sql("SELECT ref, value FROM lowcode_archive WHERE field = 'mail'")
    assert [(ref, json.loads(value)) for ref, value in archived] == [(bad, {"mail": ["text", "not an address"]})]
    assert "nothing to change" in live.migrate("--dry-run").output  # the new type is recorded
    assert live.serve().test_client().get("/healthz").get_json()["under_maintenance"] == []


def test_text_to_postal_code_stores_values_as_the_new_type_reads_them(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    bad = refs(live)[1]
    live.edit(CONTACTS.replace("zip: {type: text}", "zip: {type: postal_code}"))
    assert f"1 row(s) would not convert: {bad}" in live.migrate("--dry-run").output
    assert live.migrate("--force").exit_code == 0
    assert [r["zip"] for r in live.rows("contacts")] == ["920-0962", None, "920-0031"]


def test_text_to_choice_refuses_values_that_are_not_choices(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    bad = refs(live)[1]
    live.edit(CONTACTS.replace("kind: {type: text}", "kind: {type: choice, choices: [a, b]}"))
    dry = live.migrate("--dry-run")
    assert "from text to choice (2 row(s) with a value)" in dry.output and f"would not convert: {bad}" in dry.output
    assert live.migrate("--force").exit_code == 0
    assert [r["kind"] for r in live.rows("contacts")] == ["a", None, None]


def test_a_change_every_value_survives_applies_without_force(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    live.edit(CONTACTS.replace("name: {type: text}", "name: {type: textarea}"))
    dry = live.migrate("--dry-run")
    assert "from text to textarea (3 row(s) with a value)" in dry.output and "would not convert" not in dry.output
    assert live.migrate().exit_code == 0
    assert [r["name"] for r in live.rows("contacts")] == ["Aoki", "Baba", "Chiba"]


def test_a_renamed_field_keeps_its_recorded_type(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    bad = refs(live)[1]
    live.edit(CONTACTS.replace("mail: {type: text}", "email: {type: email, renamed_from: mail}"))
    dry = live.migrate("--dry-run")
    assert "mail" in dry.output and f"1 row(s) would not convert: {bad}" in dry.output, dry.output
    assert live.migrate("--force").exit_code == 0
    assert [r["email"] for r in live.rows("contacts")] == ["aoki@example.jp", None, None]


def test_a_database_without_the_record_gets_no_guessed_change(live: LiveApp) -> None:
    live.start(CONTACTS, ROWS)
    engine = sa.create_engine(live.database)
    with engine.begin() as conn:  # a database made before the record existed
        conn.execute(sa.text("DELETE FROM lowcode_meta WHERE key = :key"), {"key": KEY_PREFIX + "demo"})
    engine.dispose()
    live.edit(CONTACTS.replace("mail: {type: text}", "mail: {type: email}"))
    assert "nothing to change" in live.migrate("--dry-run").output
    live.serve()  # start-up records the types it serves from now on
    assert live.sql(f"SELECT count(*) FROM lowcode_meta WHERE key = '{KEY_PREFIX}demo'") == [(1,)]
