"""`lowcode import PATH TABLE FILE [--dry-run] [--map column=field …]`: rows of a CSV or .xlsx file into a table.

Every row is checked as a staff member's submission would be (required fields, limits, choices, unique values,
references); the problems are listed as `Row N, column C: why`. With any problem, or with `--dry-run`, nothing is
stored; else every row is stored in one transaction, with one `import` entry in the audit log (`cli:<user>`).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..console import default_lang
from ..exports.commands import check_table, chosen_app, fail, user_name
from ..words import N_, words_for

if TYPE_CHECKING:
    from flask import Flask


Build = Callable[[Path], "Flask"]
MAX_FILE_BYTES = 200 * 1024 * 1024  # kept for callers; the command's cap is --max-size
Progress = Callable[[int, int], None]  # as `run.Progress` (not imported: run loads SQLAlchemy)
BAR_FROM_ROWS = 1000
DEFAULT_MAX_MB = 50  # a 50 MB CSV is ~500,000 rows: far beyond a municipal spreadsheet, still safe to hold in memory


def make_import_command(build: Build) -> click.Command:
    @click.command("import")
    @click.argument("path", type=click.Path(path_type=Path))
    @click.argument("table")
    @click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check every row and list the problems; store nothing.")
    @click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
                  help="The field a column fills (FIELD.lat / FIELD.lon for a location; empty: leave it out).")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="Language of the messages.")
    @click.option("--app", "app_name", default=None, help="The app, when PATH holds several.")
    @click.option("--max-size", "max_mb", type=click.IntRange(min=1), default=DEFAULT_MAX_MB, show_default=True,
                  metavar="MB", help="Refuse a larger file before reading it.")
    def import_(path: Path, table: str, file: Path, dry_run: bool, maps: tuple[str, ...], lang: str | None,
                app_name: str | None, max_mb: int) -> None:
        """Import the rows of FILE (CSV, .xlsx or GeoJSON) into TABLE of the app in PATH (all of them, or none)."""
        lang = lang or default_lang()
        mapped = map_options(maps, lang)
        data = read_file(file, lang, max_mb * 1024 * 1024)
        flask_app = build(path)
        state = flask_app.extensions["lowcode"]
        runtime = chosen_app(state.runtimes, app_name, lang)
        check_table(runtime, table, lang)
        from ..audit import Actor
        from .run import apply_import, check_import

        with flask_app.test_request_context(f"/?lang={lang}"):
            engine = state.db.engine
            try:
                with progress_bar(words_for(lang)(N_("Checking rows"))) as progress:
                    report = check_import(runtime, engine, table, data, mapped, lang, progress=progress)
                for line in [*report.notices, *report.problems]:
                    click.echo(line, err=True)
                if not report.ok:
                    fail(lang, N_("%(count)s problem(s): nothing was imported."), count=len(report.problems))
                if dry_run:
                    click.echo(words_for(lang)(N_("%(rows)s row(s) checked, no problem: run again without --dry-run "
                                                  "to import them.")) % {"rows": len(report.rows)})
                    return
                with progress_bar(words_for(lang)(N_("Storing rows"))) as progress:
                    stored = apply_import(runtime, engine, table, report, Actor(f"cli:{user_name()}"), file.name,
                                          progress=progress)
            finally:
                engine.dispose()
        click.echo(words_for(lang)(N_("Imported %(rows)s row(s) into %(table)s.")) % {"rows": stored, "table": table})

    return import_


def map_options(maps: tuple[str, ...], lang: str) -> dict[str, str]:
    mapped = {}
    for written in maps:
        column, equals, target = written.partition("=")
        if not equals or not column.strip():
            fail(lang, N_("--map %(text)s: write it as column=field, e.g. --map 件名=title."), text=written)
        mapped[column.strip()] = target.strip()
    return mapped


def read_file(file: Path, lang: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refused by its size before reading (and never more than `max_bytes` + 1 read, should it
    grow or be a pipe)."""
    try:
        with file.open("rb") as stream:
            if file.stat().st_size > max_bytes or len(data := stream.read(max_bytes + 1)) > max_bytes:
                fail(lang, N_("%(file)s is larger than %(mb)s MB: split it into smaller files, or raise the limit "
                              "with --max-size."), file=str(file), mb=max_bytes // (1024 * 1024))
        return data
    except OSError as error:
        fail(lang, N_("Cannot read %(file)s: %(reason)s"), file=str(file), reason=error.strerror or str(error))
    sys.exit(1)  # unreachable: fail exits


@contextmanager
def progress_bar(label: str, stream: TextIO | None = None) -> Iterator[Progress]:
    """A progress callback drawing a bar on a terminal once a file has more than `BAR_FROM_ROWS` rows; on a pipe,
    a log or a small file it draws nothing (a bar would only litter the output). click's bar: click is already
    the command line's library, and its bar hides itself the same way (rich or tqdm would be a new dependency for
    one line of output)."""
    out = stream if stream is not None else sys.stderr
    bars: list[Any] = []

    def progress(done: int, total: int) -> None:
        if not bars:
            if total <= BAR_FROM_ROWS or not out.isatty():
                bars.append(None)
            else:
                bars.append(click.progressbar(length=total, label=label, file=out, show_pos=True,
                                              show_percent=True).__enter__())
        bar = bars[0]
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        yield progress
    finally:
        if bars and bars[0] is not None:
            bars[0].__exit__(None, None, None)
