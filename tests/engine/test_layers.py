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


def test_views_leave_rows_to_the_records_layer() -> None:
    """A view parses the request, calls the records layer (lowcode/records/) and renders: it opens no connection
    or transaction and builds no SQL. /healthz's `SELECT 1` asks whether the database answers, not for rows."""
    import re
    from pathlib import Path

    import lowcode

    database_work = re.compile(r"\.connect\(|\.begin\(|\.execute\(|\bsa\.(select|insert|update|delete|text)\b")
    views = Path(lowcode.__file__).parent / "views"
    found = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted(views.glob("*.py")) if path.name != "site.py"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if database_work.search(line)]
    assert found == [], "\n".join(found)
