"""An app whose YAML did not change has an empty plan on both databases, whatever its field types: a false change
would keep a healthy app on its maintenance page."""
from __future__ import annotations

from pathlib import Path

from migration_support import LiveApp

ROOT = Path(__file__).resolve().parents[2]

EVERY_TYPE = """
title: Demo
tables:
  things:
    fields:
      text: {type: text}
      long_text: {type: textarea}
      whole: {type: integer, unique: true}
      amount: {type: number}
      yes: {type: boolean}
      day: {type: date}
      moment: {type: datetime}
      one: {type: choice, choices: [a, b]}
      many: {type: multichoice, choices: [a, b]}
      mail: {type: email}
      phone: {type: phone}
      postcode: {type: postal_code}
      link: {type: url}
      spot: {type: location}
      photo: {type: image}
      other: {type: reference, to: others}
      boundary: {type: area}
  others:
    fields:
      name: {type: text}
"""


def test_every_field_type_gives_an_empty_plan(live: LiveApp) -> None:
    live.start(EVERY_TYPE, {"others": [{"name": "x"}]})
    result = live.migrate("--dry-run")
    assert result.exit_code == 0 and "nothing to change" in result.output, result.output
    assert live.serve().test_client().get("/demo/").status_code == 200


def test_the_sample_apps_give_an_empty_plan(live: LiveApp) -> None:
    samples = LiveApp(ROOT / "apps" / "safe_school_routes", live.instance, live.database)
    try:
        assert samples.serve().test_client().get("/healthz").get_json()["under_maintenance"] == []
        result = samples.migrate("--dry-run")
    finally:
        samples.close()
    assert result.exit_code == 0, result.output
    assert result.output.count("nothing to change") == 2, result.output
