"""The spec core does no IO: reading and checking app.yaml imports no web framework, database or network code."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("flask", "sqlalchemy", "wtforms", "folium", "geopy", "requests")


def imported_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(out.split())


def test_loading_and_checking_a_spec_imports_no_engine() -> None:
    modules = imported_after("from lowcode.spec.loader import load_app_spec")
    assert "lowcode" in modules
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


def test_the_validate_command_stays_light() -> None:
    modules = imported_after("import lowcode.cli, lowcode.seed_check")
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))
