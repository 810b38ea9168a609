"""`lowcode audit export PATH [--app APP] [--actor NAME] [--since DAY] [--until DAY] [--format csv|jsonl] [--output FILE]`:
the audit log as a file, for an auditor or an archive.

PATH is a folder of apps or one app's folder, as for `lowcode user`. Without `--app`, every app in PATH (the
installation's log). Values are written as stored, private ones included: whoever runs the command can read the
database already. Each export leaves an `export` entry in each app it covers (actor `cli:<system user>`).
Days are the city's calendar days (Asia/Tokyo), `--until` included. Heavy imports wait inside the command so
that `lowcode validate` stays light.
"""
from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NoReturn

import click

from .console import default_lang
from .words import N_, words_for

Build = Callable[..., Any]


def make_audit_group(build: Build) -> click.Group:
    @click.group("audit")
    def audit_group() -> None:
        """The audit log: who changed what, when, from where."""

    @audit_group.command("export")
    @click.argument("path", type=click.Path(path_type=Path), default="apps")
    @click.option("--app", "app_name", default=None, help="Only this app (default: every app in PATH).")
    @click.option("--actor", default=None, help="Only what this account (or resident, system) did.")
    @click.option("--since", default=None, help="From this day (YYYY-MM-DD).")
    @click.option("--until", default=None, help="To this day, included (YYYY-MM-DD).")
    @click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="The file to write (default: standard output).")
    def export(path: Path, app_name: str | None, actor: str | None, since: str | None, until: str | None,
               fmt: str, output: Path | None) -> None:
        """Write the audit log (filtered) as CSV (UTF-8 with BOM) or JSON Lines."""
        from .audit import Actor, AuditFilter
        from .audit_export import chunks, day_end_utc, day_start_utc
        from .records.audit_log import record_export, stream_audit
        from .values import strip_controls

        first, last = read_day(since, "--since"), read_day(until, "--until")
        flask_app = build(path)
        with flask_app.app_context():
            engine = flask_app.extensions["lowcode"].db.engine
        click.get_current_context().call_on_close(engine.dispose)
        apps = chosen_apps(sorted(flask_app.extensions["lowcode"].runtimes), app_name)
        wanted = AuditFilter(app=app_name, actor=strip_controls(actor or "") or None, since=day_start_utc(first) if first else None,
                             until=day_end_utc(last) if last else None)
        for app in apps:
            record_export(engine, app, Actor(cli_actor()), wanted, fmt)
        out: IO[str] = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
        try:
            for chunk in chunks(fmt, stream_audit(engine, wanted)):
                out.write(chunk)
        finally:
            if output:
                out.close()

    return audit_group


def read_day(text: str | None, option: str) -> Any:
    from .audit_export import parse_day

    if text is None:
        return None
    day = parse_day(text)
    if day is None:
        fail(N_("%(option)s: write the day as YYYY-MM-DD (for example 2026-04-01)."), option=option)
    return day


def chosen_apps(known: list[str], app_name: str | None) -> list[str]:
    if app_name is None:
        return known
    if app_name not in known:
        fail(N_("There is no app %(app)s in PATH (%(apps)s)."), app=app_name, apps=", ".join(known))
    return [app_name]


def cli_actor() -> str:
    """Who ran the command, as the audit names it: the system account (the command line has no staff login)."""
    try:
        return f"cli:{getpass.getuser()}"[:200]
    except (KeyError, OSError):  # no name for the process's uid (a container)
        return "cli"


def fail(message: str, **values: object) -> NoReturn:
    click.echo(words_for(default_lang())(message) % values, err=True)
    sys.exit(1)
