"""`lowcode export PATH TABLE [--format csv|xlsx|geojson] [--where field=value …]`: a table's rows to a file.

The command line is trusted like an administrator (whoever runs it can read the database anyway): it exports with
the staff audience, every field and row, unless `--audience public` (the public fields of the public rows only,
points on the public grid). Written to `--output` (through a temporary file renamed when complete: a failed export
leaves no half file) or to standard output. Every export is recorded in the audit log as `cli:<user>`.
"""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

import click

from ..console import default_lang
from ..words import N_, words_for

if TYPE_CHECKING:
    import sqlalchemy as sa
    from flask import Flask

    from ..runtime import AppRuntime

Build = Callable[[Path], "Flask"]


def make_export_command(build: Build) -> click.Command:
    """The `export` command; `build` makes the prepared Flask app of PATH (the CLI's `build_or_exit`)."""

    @click.command("export")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.argument("table")
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson"]), default="csv", show_default=True,
                  help="CSV (UTF-8 with BOM, opens in Excel), Excel .xlsx, or GeoJSON (tables with a location).")
    @click.option("--where", "where", multiple=True, metavar="FIELD=VALUE",
                  help="Only rows whose field has this value (a choice's key or label, a row id, text); repeatable.")
    @click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), default=None,
                  help="File to write (default: standard output).")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="Language of the column labels.")
    @click.option("--choices", type=click.Choice(["labels", "keys"]), default="labels", show_default=True,
                  help="Write choices by their labels or by their keys.")
    @click.option("--audience", type=click.Choice(["staff", "public"]), default="staff", show_default=True,
                  help="staff: every field and row; public: public fields of public rows only.")
    @click.option("--app", "app_name", default=None, help="The app, when PATH holds several.")
    def export(path: Path, table: str, fmt: str, where: tuple[str, ...], output: Path | None, lang: str | None,
               choices: str, audience: str, app_name: str | None) -> None:
        """Export the rows of TABLE of the app in PATH as CSV, Excel or GeoJSON."""
        lang = lang or default_lang()
        if output is None and fmt == "xlsx" and sys.stdout.isatty():
            fail(lang, N_("An Excel file cannot be shown in a terminal: write it to a file with --output FILE.xlsx."))
        flask_app = build(path)
        state = flask_app.extensions["lowcode"]
        runtime = chosen_app(state.runtimes, app_name, lang)
        check_table(runtime, table, lang)
        with flask_app.app_context():
            engine = state.db.engine
        try:
            rows = export_to(runtime, engine, table, fmt, where, output, lang, choices, audience)
        finally:
            engine.dispose()  # a one-off command: close the pool's connections
        click.echo(words_for(lang)(N_("Exported %(rows)s row(s) of %(table)s.")) % {"rows": rows, "table": table},
                   err=True)

    return export


def export_to(runtime: AppRuntime, engine: sa.Engine, table: str, fmt: str, where: tuple[str, ...], output: Path | None,
              lang: str, choices: str, audience_name: str) -> int:
    from ..audience import PUBLIC, STAFF
    from ..audit import Actor
    from .columns import ExportOptions
    from .run import ExportRequest, run_export
    from .where import ExportError

    options = ExportOptions(lang, "keys" if choices == "keys" else "labels", words_for(lang))
    request = ExportRequest(table, fmt, options, where=where)
    audience = PUBLIC if audience_name == "public" else STAFF
    actor = Actor(f"cli:{user_name()}")
    try:
        if output is None:
            return run_export(runtime, engine, request, audience, sys.stdout.buffer, actor)
        return export_file(lambda out: run_export(runtime, engine, request, audience, out, actor), output)
    except ExportError as error:
        fail(lang, error.template, **error.values)


def export_file(write: Callable[[IO[bytes]], int], output: Path) -> int:
    """`write` into a temporary file beside `output`, renamed to it when complete (removed if not)."""
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("wb") as out:
            rows = write(out)
        os.replace(partial, output)
        return rows
    finally:
        partial.unlink(missing_ok=True)


def check_table(runtime: AppRuntime, table: str, lang: str) -> None:
    """Exit with a plain message (did-you-mean, the app's tables) when the app has no such table."""
    if table in runtime.spec.tables:
        return
    from ..spec.problems import did_you_mean_text, suggest

    close = suggest(table, runtime.spec.tables)
    hint = did_you_mean_text(close, lang) + " " if close else ""
    fail(lang, N_("The app %(app)s has no table %(table)s. %(hint)sIts tables: %(tables)s."), app=runtime.name,
         table=table, hint=hint, tables=", ".join(runtime.spec.tables))


def chosen_app(runtimes: dict[str, AppRuntime], app_name: str | None, lang: str) -> AppRuntime:
    if not runtimes:
        fail(lang, N_("PATH holds no app that can be used: run lowcode validate PATH to see why."))
    if app_name is None and len(runtimes) != 1:
        fail(lang, N_("PATH holds several apps: name one with --app (%(apps)s)."), apps=", ".join(sorted(runtimes)))
    name = app_name or next(iter(runtimes))
    if name not in runtimes:
        fail(lang, N_("There is no app %(app)s in PATH (%(apps)s)."), app=name, apps=", ".join(sorted(runtimes)))
    return runtimes[name]


def user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no USER variable and no entry in the password database (a bare container)
        return "unknown"


def fail(lang: str, message: str, **values: object) -> NoReturn:
    click.echo(words_for(lang)(message) % values, err=True)
    sys.exit(1)
