"""`lowcode user …`: staff accounts from the command line. These commands prepare storage (they write).

    lowcode user add PATH USERNAME --role ROLE [--scope VALUE] [--email ADDR] [--app APP]
    lowcode user list PATH
    lowcode user email PATH USERNAME [ADDR | --clear]
    lowcode user passwd PATH USERNAME
    lowcode user remove PATH USERNAME
    lowcode user roles PATH USERNAME [--add ROLE [--scope VALUE] | --remove ROLE] [--app APP]

PATH is a folder of apps or one app's folder; `--app` names the app when PATH holds several. A role must be one the
app defines (`admin` when it defines none). A password is read from standard input when that is not a terminal
(one line: `printf '%s\\n' "$PASS" | lowcode user add …`), else asked twice without echo.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click

from ..console import default_lang
from ..words import N_, words_for

if TYPE_CHECKING:
    from types import ModuleType

    import sqlalchemy as sa
    from flask import Flask

    from .accounts import Account

Build = Callable[[Path], "Flask"]
# The accounts (SQLAlchemy, Argon2) are imported when a `user` command runs: `lowcode validate` stays light.
T = TypeVar("T")


def make_user_group(build: Build) -> click.Group:
    """The `user` command group; `build` makes the prepared Flask app of PATH (the CLI's `build_or_exit`)."""

    @click.group("user")
    def user() -> None:
        """Staff accounts: add, list, change password, remove, roles."""

    path_argument = click.argument("path", type=click.Path(path_type=Path))
    app_option = click.option("--app", "app_name", default=None, help="The app, when PATH holds several.")

    @user.command("add")
    @path_argument
    @click.argument("username")
    @click.option("--role", required=True, help="A role the app defines (admin when it defines none).")
    @click.option("--scope", default=None, help="The account's value for the role's scope field (e.g. its school).")
    @click.option("--email", default=None, help="Where staff mail for this account goes (else the username, if an address).")
    @app_option
    def add(path: Path, username: str, role: str, scope: str | None, email: str | None, app_name: str | None) -> None:
        """Add USERNAME with ROLE in the app; the password comes from standard input or is asked twice."""
        if email is not None:
            run(lambda: accounts().check_email(email))  # before asking for a password
        engine, app = open_accounts(build, path, app_name, role)
        password = read_new_password()
        grants = [accounts().RoleGrant(app, role, scope)]
        account = run(lambda: accounts().create_user(engine, username, password, grants, email=email))
        say(N_("Added user %(name)s with role %(role)s in %(app)s."), name=account.username, role=role, app=app)

    @user.command("list")
    @path_argument
    def list_(path: Path) -> None:
        """List every account with its roles (app:role=scope)."""
        engine, _ = open_accounts(build, path, None, None, need_app=False)
        for account in accounts().list_users(engine):
            click.echo(account_line(account))

    @user.command("passwd")
    @path_argument
    @click.argument("username")
    def passwd(path: Path, username: str) -> None:
        """Set a new password for USERNAME (it also unlocks the account and ends its sessions)."""
        engine, _ = open_accounts(build, path, None, None, need_app=False)
        password = read_new_password()
        run(lambda: accounts().set_password(engine, username, password))
        say(N_("Changed the password of %(name)s."), name=username)

    @user.command("email")
    @path_argument
    @click.argument("username")
    @click.argument("address", required=False)
    @click.option("--clear", is_flag=True, help="Remove the address (mail then goes to the username, if an address).")
    def email_(path: Path, username: str, address: str | None, clear: bool) -> None:
        """Show USERNAME's e-mail address for staff mail; set it to ADDRESS, or --clear it."""
        engine, _ = open_accounts(build, path, None, None, need_app=False)
        if address is not None or clear:
            run(lambda: accounts().set_email(engine, username, None if clear else address))
        found = accounts().find_user(engine, username)
        if found is None:
            fail(N_("There is no user %(name)s."), name=username)
        click.echo(found.email or "")

    @user.command("remove")
    @path_argument
    @click.argument("username")
    def remove(path: Path, username: str) -> None:
        """Remove USERNAME and all its roles."""
        engine, _ = open_accounts(build, path, None, None, need_app=False)
        run(lambda: accounts().remove_user(engine, username))
        say(N_("Removed user %(name)s."), name=username)

    @user.command("roles")
    @path_argument
    @click.argument("username")
    @click.option("--add", "added", default=None, help="Grant this role in the app.")
    @click.option("--remove", "removed", default=None, help="Withdraw this role in the app.")
    @click.option("--scope", default=None, help="With --add: the account's value for the role's scope field.")
    @app_option
    def roles(path: Path, username: str, added: str | None, removed: str | None, scope: str | None,
              app_name: str | None) -> None:
        """Show the roles of USERNAME; --add or --remove one role in an app first."""
        changing = added or removed
        engine, app = open_accounts(build, path, app_name, added, need_app=bool(changing))
        if added:
            run(lambda: accounts().add_role(engine, username, accounts().RoleGrant(app, added, scope)))
        if removed:
            run(lambda: accounts().remove_role(engine, username, app, removed))
        found = accounts().find_user(engine, username)
        if found is None:
            fail(N_("There is no user %(name)s."), name=username)
        click.echo(account_line(found))

    return user


def open_accounts(build: Build, path: Path, app_name: str | None, role: str | None,
                  need_app: bool = True) -> tuple[sa.Engine, str]:
    """The database engine (storage prepared) and the app the command is about, with `role` checked against it."""
    flask_app = build(path)
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context():
        engine: sa.Engine = state.db.engine
    click.get_current_context().call_on_close(engine.dispose)  # a one-off command: close the pool's connections
    if not need_app:
        return engine, ""
    runtimes = state.runtimes
    if app_name is None and len(runtimes) != 1:
        fail(N_("PATH holds several apps: name one with --app (%(apps)s)."), apps=", ".join(sorted(runtimes)))
    app = app_name or next(iter(runtimes))
    if app not in runtimes:
        fail(N_("There is no app %(app)s in PATH (%(apps)s)."), app=app, apps=", ".join(sorted(runtimes)))
    from ..roles import app_roles

    known = app_roles(runtimes[app].spec)
    if role is not None and role not in known:
        fail(N_("The app %(app)s has no role %(role)s. Its roles: %(roles)s."), app=app, role=role, roles=", ".join(known))
    return engine, app


def accounts() -> ModuleType:
    from . import accounts as module

    return module


def read_new_password() -> str:
    _ = words_for(default_lang())
    if not stdin_is_terminal():
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt(_("Password"), hide_input=True, confirmation_prompt=_("Password again")))


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def account_line(account: Account) -> str:
    grants = " ".join(f"{g.app}:{g.role}" + (f"={g.scope_value}" if g.scope_value else "") for g in account.roles)
    email = f"\t{account.email}" if account.email else ""
    return f"{account.username}\t{grants}{email}" + ("\t(disabled)" if account.disabled else "")


def run(action: Callable[[], T]) -> T:
    """The action's result, or its AccountError said plainly (translated) with exit status 1."""
    try:
        return action()
    except accounts().AccountError as error:
        fail(error.template, **error.values)


def say(message: str, **values: object) -> None:
    click.echo(words_for(default_lang())(message) % values)


def fail(message: str, **values: object) -> NoReturn:
    click.echo(words_for(default_lang())(message) % values, err=True)
    sys.exit(1)
