"""`lowcode validate` also reads each seed file, so a bad row is found before the first start."""
from __future__ import annotations

from pathlib import Path

from .geo.area import usable_bounds
from .seed import SeedError, read_seed_rows
from .spec.loader import LoadedApp
from .spec.problems import Problem
from .spec.yamlload import load_yaml


def seed_error_problem(app_file: Path, shown: str, table_name: str, error: SeedError) -> Problem:
    """A seed file that failed at start-up, placed at its `file:` line like `lowcode validate` places it."""
    located = load_yaml(app_file.read_text(encoding="utf-8-sig"), shown)
    return located.problem(error.code, ("tables", table_name, "seed", "file"), **error.params)


def seed_problems(app: LoadedApp) -> list[Problem]:
    assert app.spec is not None
    problems = []
    for name, table in app.spec.tables.items():
        if table.seed is None or not (app.folder / table.seed.file).is_file():
            continue
        try:
            read_seed_rows(table, table.seed, Path(app.folder), name, usable_bounds(app.spec.service_area, app.folder))
        except SeedError as exc:
            problems.append(seed_error_problem(app.file, app.shown, name, exc))
    return problems
