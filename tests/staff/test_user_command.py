"""`lowcode user …` on SQLite and PostgreSQL: accounts made from the command line log in to the pages."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import write_app

from lowcode.cli import main
from lowcode.staff.accounts import find_user, verify_login

YAML = """
title: Hazards
tables:
  hazards:
    fields:
      what: {type: text}
"""
PASSWORD = "correct horse battery"


@pytest.fixture
def apps(tmp_path: Path) -> Path:
    write_app(tmp_path / "apps" / "hazards", YAML)
    write_app(tmp_path / "apps" / "joins", YAML)
    return tmp_path / "apps"


@pytest.fixture
def lowcode(database: str, tmp_path: Path) -> Any:
    def invoke(*args: str, stdin: str | None = None) -> Result:
        env = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "LANG": "C.UTF-8",
               "LC_ALL": None, "LC_MESSAGES": None}
        result = CliRunner().invoke(main, list(args), input=stdin, env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return invoke


def engine_for(database: str) -> Any:
    import sqlalchemy as sa

    return sa.create_engine(database.replace("postgresql+psycopg", "postgresql+psycopg", 1))


def test_add_reads_the_password_from_stdin_and_the_account_logs_in(lowcode: Any, apps: Path, database: str) -> None:
    result = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0 and "Added user tanaka with role admin in hazards." in result.output
    assert PASSWORD not in result.output
    engine = engine_for(database)
    assert verify_login(engine, "tanaka", PASSWORD, "hazards") is not None
    assert verify_login(engine, "tanaka", PASSWORD, "joins") is None  # no role there
    engine.dispose()


def test_add_refuses_a_role_the_app_does_not_define(lowcode: Any, apps: Path) -> None:
    result = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "school", stdin=PASSWORD + "\n")
    assert result.exit_code == 1 and "The app hazards has no role school. Its roles: admin." in result.output


def test_add_asks_which_app_when_the_folder_holds_several(lowcode: Any, apps: Path) -> None:
    result = lowcode("user", "add", str(apps), "tanaka", "--role", "admin", stdin=PASSWORD + "\n")
    assert result.exit_code == 1 and "name one with --app (hazards, joins)" in result.output
    result = lowcode("user", "add", str(apps), "tanaka", "--role", "admin", "--app", "joins", stdin=PASSWORD + "\n")
    assert result.exit_code == 0


def test_add_refuses_a_short_password_and_a_second_account_of_the_same_name(lowcode: Any, apps: Path) -> None:
    short = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin", stdin="short\n")
    assert short.exit_code == 1 and "too short" in short.output
    lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin", stdin=PASSWORD + "\n")
    again = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin", stdin=PASSWORD + "\n")
    assert again.exit_code == 1 and "The user tanaka exists already." in again.output


def test_list_passwd_roles_and_remove(lowcode: Any, apps: Path, database: str) -> None:
    lowcode("user", "add", str(apps), "tanaka", "--role", "admin", "--app", "hazards", stdin=PASSWORD + "\n")
    granted = lowcode("user", "roles", str(apps), "tanaka", "--add", "admin", "--app", "joins", "--scope", "北校下")
    assert granted.output.strip() == "tanaka\thazards:admin joins:admin=北校下"
    assert lowcode("user", "list", str(apps)).output == "tanaka\thazards:admin joins:admin=北校下\n"
    withdrawn = lowcode("user", "roles", str(apps), "tanaka", "--remove", "admin", "--app", "hazards")
    assert withdrawn.output.strip() == "tanaka\tjoins:admin=北校下"

    assert lowcode("user", "passwd", str(apps), "tanaka", stdin="a brand new password\n").exit_code == 0
    engine = engine_for(database)
    assert verify_login(engine, "tanaka", PASSWORD, "joins") is None
    assert verify_login(engine, "tanaka", "a brand new password", "joins") is not None

    assert lowcode("user", "remove", str(apps), "tanaka").output.strip() == "Removed user tanaka."
    assert find_user(engine, "tanaka") is None
    engine.dispose()
    missing = lowcode("user", "remove", str(apps), "tanaka")
    assert missing.exit_code == 1 and "There is no user tanaka." in missing.output


def test_the_password_is_asked_twice_on_a_terminal(lowcode: Any, apps: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lowcode.staff import commands

    monkeypatch.setattr(commands, "stdin_is_terminal", lambda: True)
    asked: list[dict[str, Any]] = []

    def prompt(text: str, **options: Any) -> str:
        asked.append(options)
        return PASSWORD

    monkeypatch.setattr(commands.click, "prompt", prompt)
    result = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin")
    assert result.exit_code == 0, result.output
    assert asked and asked[0]["hide_input"] and asked[0]["confirmation_prompt"]


def test_add_accepts_the_roles_the_yaml_defines(lowcode: Any, tmp_path: Path) -> None:
    folder = write_app(tmp_path / "apps" / "routes", YAML + "roles:\n  school:\n    tables: {hazards: [view]}\n"
                       "    scope: {hazards: what}\n")
    result = lowcode("user", "add", str(folder), "north", "--role", "school", "--scope", "North", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert lowcode("user", "list", str(folder)).output == "north\troutes:school=North\n"
    refused = lowcode("user", "roles", str(folder), "north", "--add", "board")
    assert refused.exit_code == 1 and "Its roles: school, admin." in refused.output


def test_add_with_an_email_and_change_it(lowcode: Any, apps: Path, database: str) -> None:
    added = lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin",
                    "--email", "tanaka@city.example.jp", stdin=PASSWORD + "\n")
    assert added.exit_code == 0
    assert lowcode("user", "list", str(apps)).output == "tanaka\thazards:admin\ttanaka@city.example.jp\n"
    changed = lowcode("user", "email", str(apps), "tanaka", "douro@city.example.jp")
    assert changed.exit_code == 0 and "douro@city.example.jp" in changed.output
    assert lowcode("user", "email", str(apps), "tanaka").output.strip() == "douro@city.example.jp"
    assert lowcode("user", "email", str(apps), "tanaka", "--clear").exit_code == 0
    assert lowcode("user", "list", str(apps)).output == "tanaka\thazards:admin\n"


def test_email_refuses_what_is_not_an_address(lowcode: Any, apps: Path) -> None:
    lowcode("user", "add", str(apps / "hazards"), "tanaka", "--role", "admin", stdin=PASSWORD + "\n")
    refused = lowcode("user", "email", str(apps), "tanaka", "tanaka-at-city")
    assert refused.exit_code == 1 and "e-mail address" in refused.output
    added = lowcode("user", "add", str(apps / "hazards"), "sato", "--role", "admin", "--email", "x",
                    stdin=PASSWORD + "\n")
    assert added.exit_code == 1 and "e-mail address" in added.output
    assert lowcode("user", "list", str(apps)).output == "tanaka\thazards:admin\n"  # sato not added
