"""`lowcode validate` also reads each seed file, so a bad row is found before the first start."""
from __future__ import annotations

from pathlib import Path

from .seed import SeedError, read_seed_rows
from .spec.loader import LoadedApp
from .spec.problems import Problem
from .spec.yamlload import load_yaml


def seed_problems(app: LoadedApp) -> list[Problem]:
    assert app.spec is not None
    problems = []
    located = None
    for name, table in app.spec.tables.items():
        if table.seed is None or not (app.folder / table.seed.file).is_file():
            continue
        try:
            read_seed_rows(table, table.seed, Path(app.folder))
        except SeedError as exc:
            located = located or load_yaml(app.file.read_text(encoding="utf-8-sig"), app.shown)
            problems.append(located.problem(exc.code, ("tables", name, "seed", "file"), **exc.params))
    return problems
