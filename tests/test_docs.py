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
