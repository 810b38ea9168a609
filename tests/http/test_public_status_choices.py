"""A moderated table's statuses on public pages (issue 9): the list's status filter and the map's legend name only
the public statuses — a resident is never offered 受付 or 非表示, which no public page can show. Other choice
fields keep all their choices."""
from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from lowcode.maps.render import legend_sections

YAML = """
title: 危険箇所
tables:
  hazards:
    fields:
      title: {type: text, required: true}
      spot: {type: location}
      theme:
        type: choice
        choices: [{key: traffic, label: 交通安全}, {key: crime, label: 防犯}]
      status:
        type: choice
        choices:
          - {key: received, label: 受付}
          - {key: published, label: 公開, public: true, color: "#c0392b"}
          - {key: done, label: 対策済, public: true, closed: true, color: "#1e8449"}
          - {key: hidden, label: 非表示}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published}
        - {from: published, to: done}
        - {from: [received, published, done], to: hidden}
forms:
  report: {table: hazards, fields: [title, spot, theme]}
lists:
  hazards: {table: hazards, filters: [theme, status]}
maps:
  hazards:
    layers: [{table: hazards, color_by: status}]
"""


def options_of(html: str, name: str) -> list[str]:
    select = re.search(rf'<select id="filter-{name}".*?</select>', html, re.DOTALL)
    assert select is not None, f"no filter {name}"
    return re.findall(r"<option [^>]*>([^<]*)</option>", select.group(0))


def test_the_status_filter_offers_only_public_statuses(make_app: Callable[..., Flask]) -> None:
    html = make_app(YAML).test_client().get("/demo/lists/hazards?lang=ja").get_data(as_text=True)

    assert options_of(html, "status") == ["すべて", "公開", "対策済"]
    assert options_of(html, "theme") == ["すべて", "交通安全", "防犯"]  # not a status: every choice


def test_the_legend_of_a_layer_coloured_by_status_names_only_public_statuses(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    spec = app.extensions["lowcode"].runtimes["demo"].spec

    [section] = legend_sections(spec, spec.maps["hazards"], "ja")

    assert section["items"] == [{"label": "公開", "color": "#c0392b"}, {"label": "対策済", "color": "#1e8449"}]
