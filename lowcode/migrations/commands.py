"""`lowcode migrate PATH [--app APP] [--dry-run] [--force] [--lang ja|en]`.

Only the command's options here: `lowcode.cli` imports this module at every start, and `lowcode validate` must not
load SQLAlchemy or Alembic for it (tests/engine/test_layers.py). The work is in `run_migrate`.
"""
from __future__ import annotations

from pathlib import Path

import click


def make_migrate_command() -> click.Command:
    @click.command("migrate")
    @click.argument("path", type=click.Path(path_type=Path), default="apps")
    @click.option("--app", "app_name", default=None, help="Only this app of the folder.")
    @click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
    @click.option("--force", is_flag=True, help="Apply even when some values do not convert (they go to the archive).")
    @click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="Language of the plan (default: from the locale).")
    def migrate(path: Path, app_name: str | None, dry_run: bool, force: bool, lang: str | None) -> None:
        """Show (--dry-run) or apply the changes the YAML of the apps in PATH makes to their database."""
        from .run_migrate import migrate as run

        run(path, app_name, dry_run, force, lang)

    return migrate
