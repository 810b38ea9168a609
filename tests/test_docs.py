"""Docs are tested: shipped apps and every YAML example validate, the generated reference is current."""
from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from lowcode.spec.loader import app_folders, load_app_spec
from lowcode.spec.schema import app_json_schema, reference_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
YAML_BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)


def yaml_examples() -> list[tuple[str, str]]:
    examples = []
    for doc in DOCS:
        for number, block in enumerate(YAML_BLOCK.findall(doc.read_text(encoding="utf-8")), start=1):
            if not block.lstrip().startswith("# fragment"):
                examples.append((f"{doc.name}#{number}", block))
    return examples


SHIPPED_APPS = app_folders(ROOT / "apps")


def test_there_are_shipped_apps_and_examples() -> None:
    assert {p.name for p in SHIPPED_APPS} >= {"safe_school_routes", "neighbourhood_matching"}
    assert len(yaml_examples()) >= 3


@pytest.mark.parametrize("folder", SHIPPED_APPS, ids=lambda p: p.name)
def test_shipped_app_validates_without_problems(folder: Path) -> None:
    loaded = load_app_spec(folder)
    assert [p.render() for p in loaded.problems] == []


@pytest.mark.parametrize("folder", SHIPPED_APPS, ids=lambda p: p.name)
def test_shipped_app_matches_the_json_schema(folder: Path) -> None:
    data = yaml.safe_load((folder / "app.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(data, app_json_schema())


@pytest.mark.parametrize(("name", "block"), yaml_examples(), ids=[n for n, _ in yaml_examples()])
def test_yaml_example_in_docs_validates(name: str, block: str, tmp_path: Path) -> None:
    folder = tmp_path / "example"
    folder.mkdir()
    (folder / "app.yaml").write_text(block, encoding="utf-8")
    for seed_file in re.findall(r"file: (data/\S+)", block):
        (folder / seed_file).parent.mkdir(parents=True, exist_ok=True)
        (folder / seed_file).write_text("x\n", encoding="utf-8")
    loaded = load_app_spec(folder)
    assert [p.render() for p in loaded.errors] == []


def test_reference_doc_is_current() -> None:
    current = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert current == reference_markdown(), "run: lowcode schema --markdown > docs/reference.md"


def test_reference_documents_every_setting() -> None:
    text = reference_markdown()
    for line in text.splitlines():
        if line.startswith("| `") and line.count("|") >= 5:
            assert line.rstrip(" |").split("|")[-1].strip(), f"setting without a description: {line}"


def test_readme_holds_exactly_two_setup_commands() -> None:
    setup = (ROOT / "README.md").read_text(encoding="utf-8").split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", setup, re.DOTALL)
    assert len(commands) == 2
    assert "lowcode run apps/" in commands[0]
    assert "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci


# Issue 7, item 37: the schema the sample apps point at ships, explains every key in Japanese too, and the docs
# name only commands that exist.


def test_the_shipped_json_schema_is_current() -> None:
    from lowcode.spec.schema import app_json_schema_text

    shipped = (ROOT / "lowcode-schema.json").read_text(encoding="utf-8")
    assert shipped == app_json_schema_text(), "run: lowcode schema > lowcode-schema.json"


@pytest.mark.parametrize("folder", SHIPPED_APPS, ids=lambda p: p.name)
def test_the_schema_a_shipped_app_points_at_exists(folder: Path) -> None:
    first_line = (folder / "app.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    assert (folder / first_line.split("$schema=", 1)[1]).resolve() == (ROOT / "lowcode-schema.json").resolve()


def test_every_schema_description_has_japanese() -> None:
    from lowcode.spec.models import AppSpec
    from lowcode.spec.schema import english_descriptions
    from lowcode.spec.schema_ja import DESCRIPTIONS_JA

    english = set(english_descriptions(AppSpec.model_json_schema(mode="validation")))
    assert len(english) > 100
    assert sorted(english - set(DESCRIPTIONS_JA)) == [], "add these to lowcode/spec/schema_ja.py"
    assert sorted(set(DESCRIPTIONS_JA) - english) == [], "no longer in the models: remove from schema_ja.py"
    shown = list(english_descriptions(app_json_schema()))
    assert all(re.search(r" / .*[\u3040-\u30ff\u4e00-\u9fff]", text) for text in shown)


# decisions.md is a record, appended to and never rewritten: it may name plans of its time.
CURRENT_DOCS = [doc for doc in DOCS if doc.name != "decisions.md"]


def test_docs_name_only_commands_that_exist_and_no_roadmap() -> None:
    from lowcode.cli import main

    for doc in CURRENT_DOCS:
        text = doc.read_text(encoding="utf-8")
        named = set(re.findall(r"`lowcode ([a-z][a-z-]*)", text))
        assert named <= set(main.commands), f"{doc.name} names {sorted(named - set(main.commands))}"
        assert "roadmap" not in text.lower(), doc.name
