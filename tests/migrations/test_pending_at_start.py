"""Start-up with a YAML its database does not match: that app's maintenance page, the others served; and a
migration killed halfway leaves the database as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from migration_support import LiveApp
from support import write_app

SEEN = """
title: {ja: 見守り, en: Watch}
languages: [ja, en]
tables:
  sightings:
    fields:
      what: {type: text}
      when_seen: {type: multichoice, choices: [morning, evening]}
      item_count: {type: integer}
forms:
  report: {table: sightings}
"""


def start_both(live: LiveApp) -> None:
    write_app(live.folder.parent / "other", "title: Other\ntables:\n  notes:\n    fields:\n      text: {type: text}\n")
    live.start(SEEN, {"sightings": [{"what": "cat", "when_seen": ["morning"], "item_count": 2}]})


def test_changed_type_shows_the_maintenance_page_not_500s(live: LiveApp, caplog: pytest.LogCaptureFixture) -> None:
    start_both(live)
    live.edit(SEEN.replace("when_seen: {type: multichoice", "when_seen: {type: choice"))
    app = live.serve()
    client = app.test_client()
    page = client.get("/demo/forms/report", headers={"Accept-Language": "ja"})
    assert page.status_code == 503
    assert "メンテナンス" in page.get_data(as_text=True)
    sent = client.post("/demo/forms/report", data={"what": "dog", "when_seen": "morning"})
    assert sent.status_code == 503
    assert client.get("/other/").status_code == 200
    health = client.get("/healthz").get_json()
    assert health["under_maintenance"] == ["demo"] and health["apps"] == ["other"]
    assert health["waiting_for_migration"] == ["demo"] and health["status"] == "degraded"
    assert "lowcode migrate" in caplog.text
    assert [r["when_seen"] for r in live.rows("sightings")] == [["morning"]]  # nothing touched before migrate
    assert live.migrate().exit_code == 0
    served = live.serve().test_client()
    assert served.get("/demo/forms/report").status_code == 200
    assert [r["when_seen"] for r in live.rows("sightings")] == ["morning"]


def test_reload_shows_the_plan_on_the_held_app_only(live: LiveApp) -> None:
    start_both(live)
    live.edit(SEEN.replace("item_count: {type: integer}", "item_count: {type: text}")
              .replace("what: {type: text}", "what: {type: text, label: {ja: '<b>何</b>', en: '<b>What</b>'}}"))
    shown = live.serve(LOWCODE_SHOW_PLAN=True).test_client().get("/demo/")
    assert shown.status_code == 503
    html = shown.get_data(as_text=True)
    assert "&#39;sightings.item_count&#39; の型を integer から text に変えます" in html  # the app's first language
    assert "lowcode migrate" in html
    hidden = live.serve().test_client().get("/demo/")
    assert hidden.status_code == 503 and "item_count" not in hidden.get_data(as_text=True)


def test_pure_additions_are_still_made_at_start_up(live: LiveApp) -> None:
    start_both(live)
    live.edit(SEEN.replace("forms:", "  extra:\n    fields:\n      more: {type: text}\nforms:"))
    app = live.serve()
    assert app.test_client().get("/demo/forms/report").status_code == 200
    assert live.rows("extra") == []


def test_a_migration_killed_halfway_leaves_the_old_database(live: LiveApp) -> None:
    start_both(live)
    before = live.rows("sightings")
    live.edit(SEEN.replace("what: {type: text}", "thing: {type: text, renamed_from: what}")
              .replace("      item_count: {type: integer}\n", ""))
    env = {**os.environ, **{k: v for k, v in live.env.items() if v is not None}, "LOWCODE_MIGRATE_PAUSE_AFTER_STEP": "60"}
    command = [sys.executable, "-m", "lowcode.cli", "migrate", str(live.folder.parent)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if "first step done" in line:
                break
        else:
            raise AssertionError("the migration never reached its first step")
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
    assert live.rows("sightings") == before
    assert live.sql("SELECT count(*) FROM lowcode_migrations") == [(0,)]
    again = live.migrate()  # the database is usable: the same plan applies in full
    assert again.exit_code == 0, again.output
    rows = live.rows("sightings")
    assert [r["thing"] for r in rows] == ["cat"] and "item_count" not in rows[0]
