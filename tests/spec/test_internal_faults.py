"""A fault inside one check is reported as a problem, and the other checks still run: never a traceback."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import write_app

from lowcode.spec.context import CHECKS
from lowcode.spec.loader import load_app_spec


@pytest.fixture
def broken_check() -> Iterator[None]:
    def check_that_fails(app: object, ctx: object) -> None:
        raise KeyError("boom")

    CHECKS.insert(0, check_that_fails)
    yield
    CHECKS.remove(check_that_fails)


def test_a_failing_check_becomes_a_problem_and_the_rest_still_run(broken_check: None, tmp_path: Path) -> None:
    folder = write_app(tmp_path / "demo", "title: x\ntables:\n  t:\n    fields:\n      a: {type: text}\nforms:\n  f: {table: tt}\n")
    problems = load_app_spec(folder, display_root=tmp_path).problems
    assert [p.render("en") for p in problems] == [
        (
            "demo/app.yaml:1:1 [E_INTERNAL_CHECK] lowcode could not finish the check 'check_that_fails' (KeyError: 'boom'). "
            "This is a fault in lowcode, not in your file: the other checks ran. Please report this line."
        ),
        "demo/app.yaml:7:14 [E_UNKNOWN_TABLE] There is no table 'tt'. Tables in this app: t. Did you mean 't'?",
    ]
