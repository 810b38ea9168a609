"""What `lowcode migrate` does: load the apps, plan, print, back up, apply (imported when the command runs)."""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa

from ..console import database_message, default_lang
from ..database import database_url, startup_lock
from ..logsafe import one_line_description
from ..private_files import make_private_folder, prepare_sqlite_file
from ..spec.loader import LoadedApp, app_folders, load_app_spec
from ..words import words_for
from .apply import apply_plan, backup_sqlite, migration_engine
from .planner import make_plan
from .words import describe_plan

LONG_REWRITE = 1000  # rows: a progress bar from here on


@contextlib.contextmanager
def click_progress(rows: Iterable[Any], length: int, label: str) -> Iterator[Iterable[Any]]:
    if length < LONG_REWRITE:
        yield rows
        return
    with click.progressbar(rows, length=length, label=label, file=sys.stderr) as bar:
        yield bar


def migrate(path: Path, app_name: str | None, dry_run: bool, force: bool, lang: str | None) -> None:
    """The `lowcode migrate` command's work (lowcode/migrations/commands.py declares its options)."""
    lang = lang or default_lang()
    apps = load_apps(path, app_name, lang)
    instance = instance_folder()
    url = database_url(instance, os.environ.get("DATABASE_URL"))
    engine = migration_engine(url if not dry_run or database_exists(url) else "sqlite://")  # a dry run makes no file
    try:
        if dry_run:
            status = migrate_apps(engine, url, apps, dry_run=True, force=force, lang=lang)
        else:
            make_private_folder(instance)  # as `lowcode run` makes them: the database and its copies are private
            prepare_sqlite_file(url)
            with startup_lock(engine, instance):  # no server prepares tables while they change
                status = migrate_apps(engine, url, apps, dry_run=False, force=force, lang=lang, instance=instance)
    except sa.exc.SQLAlchemyError as exc:
        click.echo(database_message(exc, lang), err=True)
        status = 1
    finally:
        engine.dispose()
    sys.exit(status)


def database_exists(url: str) -> bool:
    """False only for a SQLite file not made yet (connecting would make it)."""
    if not url.startswith("sqlite"):
        return True
    path = sa.engine.make_url(url).database
    return not path or Path(path).exists()


def instance_folder() -> Path:
    """The same instance folder `lowcode run` uses (LOWCODE_INSTANCE, else ./instance)."""
    return Path(os.environ.get("LOWCODE_INSTANCE") or Path.cwd() / "instance")


def load_apps(path: Path, app_name: str | None, lang: str) -> list[LoadedApp]:
    _ = words_for(lang)
    loaded = [load_app_spec(folder) for folder in app_folders(path)]
    if app_name is not None:
        loaded = [app for app in loaded if app.name == app_name]
    if not loaded:
        click.echo(_("No app to migrate in %(path)s.") % {"path": path}, err=True)
        sys.exit(1)
    errors = [p for app in loaded for p in app.errors]
    for problem in errors:
        click.echo(problem.render(lang), err=True)
    if errors:
        click.echo(_("Fix these problems first: a migration follows the YAML only when it is valid."), err=True)
        sys.exit(1)
    return loaded


def migrate_apps(
    engine: Any, url: str, apps: list[LoadedApp], *, dry_run: bool, force: bool, lang: str, instance: Path | None = None,
) -> int:
    _ = words_for(lang)
    status = 0
    backed_up = False
    for app in apps:
        assert app.spec is not None
        with engine.connect() as conn:
            plan = make_plan(conn, app.name, app.spec)
        for line in describe_plan(plan, lang):
            click.echo(line)
        if dry_run or plan.is_empty:
            continue
        if plan.unconvertible and not force:
            click.echo(_("Not applied: some values would not convert (see above). Correct them, or run again with "
                         "--force to keep them in the archive."), err=True)
            status = 1
            continue
        if not backed_up:
            backup = backup_sqlite(url, instance or instance_folder())
            backed_up = True
            if backup is not None:
                click.echo(_("Copied the database to %(path)s before changing it.") % {"path": backup})
        try:
            apply_plan(engine, app.name, app.spec, plan, app.file.read_bytes(), force=force, progress=click_progress)
        except sa.exc.SQLAlchemyError as exc:
            if isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError)) and "connect" in str(exc).lower():
                raise  # cannot reach the database: said once, by the caller
            click.echo(_("%(app)s: not applied, the database is unchanged (rolled back): %(detail)s") % {
                "app": app.name, "detail": one_line_description(exc)}, err=True)
            return 1
        click.echo(_("%(app)s: applied. Restart (or reload) the server to serve it.") % {"app": app.name})
    return status
