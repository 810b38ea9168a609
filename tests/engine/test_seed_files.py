"""Seed files are checked like the YAML: a file with latitude and longitude swapped is refused with a message."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import write_app

from lowcode.app import create_app
from lowcode.runtime import AppSpecError
from lowcode.seed_check import seed_problems
from lowcode.spec.loader import load_app_spec

YAML = """
title: 避難所
service_area: {bbox: [136.5, 36.35, 136.85, 36.7]}
tables:
  shelters:
    fields:
      name: {type: text}
      place: {type: location}
    seed: {file: data/shelters.csv}
"""
GOOD = "name,lat,lon\n緑小学校,36.570128,136.590705\n西小学校,36.592168,136.636561\n"
SWAPPED = "name,lat,lon\n緑小学校,136.590705,36.570128\n西小学校,136.636561,36.592168\n"


def test_a_seed_file_with_swapped_coordinates_is_a_problem(tmp_path: Path) -> None:
    folder = write_app(tmp_path / "demo", YAML, {"data/shelters.csv": SWAPPED})
    problems = seed_problems(load_app_spec(folder, display_root=tmp_path))
    assert [p.render("en").split("]")[0] for p in problems] == ["demo/app.yaml:8:18 [E_MAP_FILE_SWAPPED_CSV"]
    with pytest.raises(AppSpecError, match="E_MAP_FILE_SWAPPED_CSV"):
        create_app(folder, {"INSTANCE_PATH": str(tmp_path / "instance"), "STRICT": True})
    served = create_app(folder, {"INSTANCE_PATH": str(tmp_path / "instance2")})  # not strict: maintenance page
    assert served.test_client().get("/demo/").status_code == 503


def test_a_seed_file_in_the_right_order_loads(tmp_path: Path) -> None:
    folder = write_app(tmp_path / "demo", YAML, {"data/shelters.csv": GOOD})
    assert seed_problems(load_app_spec(folder)) == []
    app = create_app(folder, {"INSTANCE_PATH": str(tmp_path / "instance")})
    html = app.test_client().get("/demo/").get_data(as_text=True)
    assert "避難所" in html


@pytest.mark.parametrize(
    ("place", "csv_text", "expected"),
    [
        ("{type: location}", "name\n緑小学校\n", []),  # optional: may be missing, like any optional field
        ("{type: location, required: true}", "name\n緑小学校\n", ["demo/app.yaml:8:18 [E_SEED_COLUMN"]),
        ("{type: location}", "name,lat\n緑小学校,36.57\n", ["demo/app.yaml:8:18 [E_SEED_COLUMN"]),  # half there
    ],
)
def test_coordinates_are_needed_only_for_a_required_location(tmp_path: Path, place: str, csv_text: str, expected: list[str]) -> None:
    folder = write_app(tmp_path / "demo", YAML.replace("{type: location}", place), {"data/shelters.csv": csv_text})
    problems = seed_problems(load_app_spec(folder, display_root=tmp_path))
    assert [p.render("en").split("]")[0] for p in problems] == expected
