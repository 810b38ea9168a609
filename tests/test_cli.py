"""The `lowcode` command as staff use it: validate, new, schema, routes, run."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from lowcode.cli import main

ROOT = Path(__file__).resolve().parent.parent
GOOD = """
title: {ja: 道路の通報, en: Road reports}
tables:
  reports:
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Subject}}
forms:
  report: {table: reports, title: {ja: 通報する, en: Report}}
lists:
  reports: {table: reports}
"""
BROKEN = """
title: {ja: 道路の通報, en: Road reports}
tables:
  reports:
    fields:
      title: {type: txt, required: true}
forms:
  report: {table: report}
"""
WARNED = """
title: {ja: 道路の通報}
tables:
  reports:
    fields:
      title: {type: text}
"""


@pytest.fixture
def apps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of apps, the current directory (as when staff run `lowcode validate apps/…`)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "apps").mkdir()
    yield tmp_path / "apps"


def write(folder: Path, yaml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "app.yaml").write_text(textwrap.dedent(yaml).lstrip(), encoding="utf-8")
    return folder


def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_validate_a_good_app_exits_0(apps: Path) -> None:
    write(apps / "roads", GOOD)

    result = invoke("validate", "apps/roads", "--lang", "en")

    assert result.exit_code == 0
    assert result.output == "Checked 1 app(s): 0 error(s), 0 warning(s).\n"


def test_validate_a_broken_app_exits_1_and_lists_every_problem(apps: Path) -> None:
    write(apps / "roads", BROKEN)

    result = invoke("validate", "apps/roads", "--lang", "en")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        ("apps/roads/app.yaml:5:21 [E_NOT_ONE_OF] 'txt' is not a possible value of 'type'. Use one of: text, textarea, "
        "integer, number, boolean, date, datetime, choice, multichoice, email, phone, postal_code, url, location, image, "
        "reference, area. Did you mean 'text'?"),
        ("apps/roads/app.yaml:7:19 [E_UNKNOWN_TABLE] There is no table 'report'. Tables in this app: reports. "
        "Did you mean 'reports'?"),
        "Checked 1 app(s): 2 error(s), 0 warning(s).",
    ]


def test_validate_in_japanese(apps: Path) -> None:
    write(apps / "roads", BROKEN)

    result = invoke("validate", "apps/roads", "--lang", "ja")

    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        "apps/roads/app.yaml:7:19 [E_UNKNOWN_TABLE] テーブル 'report' はありません。 このアプリのテーブル: reports。 もしかして: reports"
    )
    assert result.output.splitlines()[-1] == "1 個のアプリを確認: エラー 2 件、警告 0 件。"


def test_validate_speaks_japanese_on_a_japanese_system(apps: Path) -> None:
    write(apps / "roads", BROKEN)

    japanese = invoke("validate", "apps/roads", env={"LANG": "ja_JP.UTF-8"})
    english = invoke("validate", "apps/roads", env={"LANG": "en_US.UTF-8"})

    assert japanese.output.splitlines()[-1] == "1 個のアプリを確認: エラー 2 件、警告 0 件。"
    assert english.output.splitlines()[-1] == "Checked 1 app(s): 2 error(s), 0 warning(s)."


def test_warnings_alone_exit_0(apps: Path) -> None:
    write(apps / "roads", WARNED)

    result = invoke("validate", "apps/roads", "--lang", "en")

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        ("apps/roads/app.yaml:1:8 [W_MISSING_TRANSLATION] This text has no 'en' version. "
        "Add `en: …` so that every reader sees it in their language."),
        "Checked 1 app(s): 0 error(s), 1 warning(s).",
    ]


def test_validate_a_folder_of_apps_checks_each_one(apps: Path) -> None:
    write(apps / "roads", GOOD)
    write(apps / "parks", BROKEN)

    result = invoke("validate", "apps", "--json", "--lang", "en")

    report = json.loads(result.output)
    assert result.exit_code == 1
    assert report["apps"] == ["parks", "roads"]
    assert {p["file"] for p in report["problems"]} == {"apps/parks/app.yaml"}


def test_validate_json_for_tools(apps: Path) -> None:
    write(apps / "roads", BROKEN)

    result = invoke("validate", "apps/roads", "--json", "--lang", "ja")

    assert result.exit_code == 1
    report = json.loads(result.output)
    assert set(report) == {"apps", "errors", "warnings", "problems"}
    assert (report["apps"], report["errors"], report["warnings"]) == (["roads"], 2, 0)
    assert report["problems"][1] == {
        "code": "E_UNKNOWN_TABLE",
        "severity": "error",
        "file": "apps/roads/app.yaml",
        "line": 7,
        "column": 19,
        "message": "テーブル 'report' はありません。",
        "hint": "このアプリのテーブル: reports。 もしかして: reports",
        "suggestions": ["reports"],
    }


def test_validate_json_of_a_good_app(apps: Path) -> None:
    write(apps / "roads", GOOD)

    result = invoke("validate", "apps/roads", "--json")

    assert result.exit_code == 0
    assert json.loads(result.output) == {"apps": ["roads"], "errors": 0, "warnings": 0, "problems": []}


@pytest.mark.parametrize(
    "text",
    [
        "title: 道路の通報\ntables:\n  reports:\n\tfields: {}\n",  # a tab
        "title: [道路の通報\n",  # an unclosed bracket
        "title: 道路の通報\ntables: {reports: {fields: {title: {type: text}}}\n",  # an unclosed brace
        "title: '道路の通報\n",  # an unclosed quote
        "- 道路の通報\n- 通報\n",  # a list, not settings
        "",  # an empty file
    ],
    ids=["tab", "bracket", "brace", "quote", "list", "empty"],
)
def test_broken_yaml_gives_a_problem_not_a_traceback(apps: Path, text: str) -> None:
    (apps / "roads").mkdir()
    (apps / "roads" / "app.yaml").write_text(text, encoding="utf-8")

    result = invoke("validate", "apps/roads", "--lang", "en")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith("apps/roads/app.yaml:")
    assert result.output.splitlines()[-1] == "Checked 1 app(s): 1 error(s), 0 warning(s)."


def test_a_shift_jis_file_gives_a_problem_not_a_traceback(apps: Path) -> None:
    (apps / "roads").mkdir()
    (apps / "roads" / "app.yaml").write_bytes(textwrap.dedent(GOOD).lstrip().encode("cp932"))

    result = CliRunner().invoke(main, ["validate", "apps/roads", "--lang", "ja"])

    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert result.output.startswith("apps/roads/app.yaml:1:1 [E_NOT_UTF8] ")


def test_a_file_with_control_characters_gives_a_problem_not_a_traceback(apps: Path) -> None:
    (apps / "roads").mkdir()
    (apps / "roads" / "app.yaml").write_text("title: 道路の通報\x00\ntables: {}\n", encoding="utf-8")

    result = CliRunner().invoke(main, ["validate", "apps/roads", "--lang", "en"])

    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert result.output.startswith("apps/roads/app.yaml:1:13 [E_YAML_CHARACTER] ")


def test_validate_a_folder_without_apps(apps: Path) -> None:
    result = invoke("validate", "apps", "--lang", "en")

    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "apps:1:1 [E_NO_APPS] 'apps' holds no app folder (a folder with an app.yaml). Create one with `lowcode new NAME`."
    )


def test_new_creates_an_app_that_validates(apps: Path) -> None:
    created = invoke("new", "road_reports", "--into", "apps")

    assert created.exit_code == 0, created.output
    assert (apps / "road_reports" / "app.yaml").is_file()
    checked = invoke("validate", "apps/road_reports", "--lang", "en")
    assert checked.exit_code == 0
    assert checked.output.splitlines()[-1] == "Checked 1 app(s): 0 error(s), 0 warning(s)."


def test_new_refuses_a_bad_name_and_an_existing_folder(apps: Path) -> None:
    write(apps / "roads", GOOD)

    bad_name = invoke("new", "Road-Reports", "--into", "apps")
    existing = invoke("new", "roads", "--into", "apps")

    assert bad_name.exit_code == 1 and not (apps / "Road-Reports").exists()
    assert existing.exit_code == 1
    assert (apps / "roads" / "app.yaml").read_text(encoding="utf-8") == textwrap.dedent(GOOD).lstrip()


def test_schema_is_json_schema_that_accepts_the_scaffold(apps: Path) -> None:
    result = invoke("schema")

    schema = json.loads(result.output)
    assert result.exit_code == 0
    assert "$schema" in schema or "properties" in schema
    jsonschema.Draft202012Validator.check_schema(schema)
    invoke("new", "road_reports", "--into", "apps")
    scaffold = yaml.safe_load((apps / "road_reports" / "app.yaml").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(scaffold)] == []
    assert jsonschema.Draft202012Validator(schema).is_valid({"title": "x"}) is False  # `tables` is required


def test_routes_lists_the_addresses_of_every_form_and_list(apps: Path) -> None:
    write(apps / "roads", GOOD)
    write(apps / "parks", GOOD.replace("道路の通報", "公園"))

    result = invoke("routes", "apps")

    assert result.exit_code == 0
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    for expected in ("GET,POST /roads/forms/<form_name>", "GET /roads/lists/<list_name>",
                     "GET /roads/lists/<list_name>/<int:row_id>", "GET,POST /parks/forms/<form_name>", "GET /healthz"):
        assert expected in lines


def test_run_refuses_a_broken_app_without_a_traceback(apps: Path) -> None:
    write(apps / "roads", BROKEN)

    result = invoke("run", "apps/roads", "--port", "0")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "[E_UNKNOWN_TABLE]" in result.output


def test_run_refuses_a_bad_seed_file_without_a_traceback(apps: Path) -> None:
    folder = write(apps / "schools", """
        title: 通学路の安全
        tables:
          schools:
            fields:
              name: {type: text}
              pupils: {type: integer}
            seed: {file: data/schools.csv}
    """)
    (folder / "data").mkdir()
    (folder / "data" / "schools.csv").write_text("name,pupils\n長町小学校,たくさん\n", encoding="utf-8")

    result = invoke("run", "apps/schools", "--port", "0", env={"LOWCODE_INSTANCE": str(apps.parent / "instance")})

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "[E_SEED_VALUE]" in result.output


def lowcode_command() -> list[str]:
    script = Path(sys.executable).parent / "lowcode"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "lowcode.cli"]


def test_the_real_command_validates_in_a_subprocess(apps: Path) -> None:
    write(apps / "roads", BROKEN)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "LANG": "ja_JP.UTF-8", "LC_ALL": "", "PYTHONIOENCODING": "utf-8"}

    broken = subprocess.run([*lowcode_command(), "validate", "apps/roads"], capture_output=True, text=True, env=env, timeout=60, check=False)
    write(apps / "roads", GOOD)
    good = subprocess.run([*lowcode_command(), "validate", "apps/roads", "--lang", "en"], capture_output=True, text=True, env=env, timeout=60, check=False)

    assert broken.returncode == 1
    assert "Traceback" not in broken.stderr
    assert broken.stderr.splitlines()[0].startswith("apps/roads/app.yaml:5:21 [E_NOT_ONE_OF] 'txt' は 'type' に使える値ではありません。")
    assert broken.stderr.splitlines()[-1] == "1 個のアプリを確認: エラー 2 件、警告 0 件。"
    assert (good.returncode, good.stdout, good.stderr) == (0, "Checked 1 app(s): 0 error(s), 0 warning(s).\n", "")


def test_a_fault_inside_lowcode_is_two_plain_lines_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import lowcode.cli

    def explode(path: Path) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(lowcode.cli, "load_for_validation", explode)
    monkeypatch.delenv("LOWCODE_DEBUG", raising=False)
    result = CliRunner().invoke(lowcode.cli.main, ["validate", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "lowcode stopped because of a fault inside it: RuntimeError: disk on fire" in result.output


def test_new_writes_the_schema_its_app_points_at_and_publishes_no_submissions(apps: Path) -> None:
    # Issue 7, items 36 and 37.
    from lowcode.spec.loader import load_app_spec
    from lowcode.spec.schema import app_json_schema_text

    created = invoke("new", "road_reports", "--into", "apps")

    app_yaml = apps / "road_reports" / "app.yaml"
    first_line = app_yaml.read_text(encoding="utf-8").splitlines()[0]
    schema = (app_yaml.parent / first_line.split("$schema=", 1)[1]).resolve()
    assert created.exit_code == 0, created.output
    assert schema.read_text(encoding="utf-8") == app_json_schema_text()
    spec = load_app_spec(app_yaml.parent).spec
    assert spec is not None
    resident_tables = {form.table for form in spec.forms.values() if form.access == "public"}
    assert resident_tables and not any(lst.table in resident_tables for lst in spec.lists.values())
    assert not any(layer.table in resident_tables for m in spec.maps.values() for layer in m.layers)
