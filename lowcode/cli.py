"""The `lowcode` command. Its sub-command names and options are a contract that docs and deployments rely on."""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .audit_commands import make_audit_group
from .console import database_message, default_lang
from .exports.commands import make_export_command
from .imports.commands import make_import_command
from .mail.commands import make_mail_group, start_mail_thread
from .migrations.commands import make_migrate_command
from .spec.loader import LoadedApp, app_folders, load_app_spec, no_apps_problem
from .spec.problems import Problem
from .staff.commands import make_user_group
from .words import words_for

if TYPE_CHECKING:
    from flask import Flask

    from .uploads import CleanReport


class FriendlyGroup(click.Group):
    """Any fault inside lowcode ends in two plain lines, not a traceback (LOWCODE_DEBUG=1 shows the traceback)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if os.environ.get("LOWCODE_DEBUG"):
                raise
            click.echo(internal_fault_message(exc, default_lang()), err=True)
            sys.exit(2)


def internal_fault_message(error: Exception, lang: str) -> str:
    _ = words_for(lang)
    detail = f"{type(error).__name__}: {error}"
    return _(
        "lowcode stopped because of a fault inside it: %(detail)s\n"
        "Please report it with the output of the same command run with LOWCODE_DEBUG=1."
    ) % {"detail": detail}


@click.group(cls=FriendlyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lowcode")
def main() -> None:
    """Resident web apps for municipalities, described in YAML."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="apps")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--reload", is_flag=True, help="Restart when Python files or app.yaml change (for editing).")
@click.option("--strict", is_flag=True, help="Refuse to start when any app has a problem or the database cannot be used "
              "(default: serve the other apps, a maintenance page for the broken one, and retry the database).")
def run(path: Path, host: str, port: int, reload: bool, strict: bool) -> None:
    """Serve the app folder PATH (or every app in a folder of apps) on http://HOST:PORT/."""
    settings: dict[str, object] = {"STRICT": True} if strict else {}
    if reload:
        settings["LOWCODE_SHOW_PLAN"] = True  # a YAML being edited: a held app's page shows its migration plan
    flask_app = build_or_exit(path, settings)
    exit_when_nothing_serves(flask_app)
    extra_files = [str(p / "app.yaml") for p in app_folders(path)] if reload else None
    click.echo(f"lowcode: serving {', '.join(flask_app.extensions['lowcode'].runtimes)} on http://{host}:{port}/")
    if not reload or os.environ.get("WERKZEUG_RUN_MAIN"):  # with --reload, only the serving child sends mail
        start_mail_thread(flask_app)
    flask_app.run(host=host, port=port, use_reloader=reload, extra_files=extra_files, debug=False)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="apps")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON for tools.")
@click.option("--lang", type=click.Choice(["ja", "en"]), default=None, help="Language of the messages (default: from the locale).")
def validate(path: Path, as_json: bool, lang: str | None) -> None:
    """Check the app folder PATH (or every app in it) and list every problem with file:line:column."""
    lang = lang or default_lang()
    loaded = load_for_validation(path)
    problems = [p for app in loaded for p in app.problems]
    if as_json:
        click.echo(json.dumps(validation_json(loaded, lang), ensure_ascii=False, indent=2))
    else:
        report(problems, lang)
        errors = sum(p.severity == "error" for p in problems)
        summary = summary_line(len(loaded), errors, len(problems) - errors, lang)
        click.echo(summary, err=bool(errors))
    sys.exit(1 if any(p.severity == "error" for p in problems) or not loaded else 0)


def load_for_validation(path: Path) -> list[LoadedApp]:
    from .seed_check import seed_problems

    folders = app_folders(path)
    if not folders:
        return [LoadedApp(path.name, path, path, None, [no_apps_problem(path)])]
    loaded = [load_app_spec(folder) for folder in folders]
    for app in loaded:
        if app.spec is not None:
            app.problems += seed_problems(app)
    return loaded


def validation_json(loaded: list[LoadedApp], lang: str) -> dict[str, object]:
    problems = [p.as_json(lang) for app in loaded for p in app.problems]
    return {
        "apps": [app.name for app in loaded],
        "errors": sum(p["severity"] == "error" for p in problems),
        "warnings": sum(p["severity"] == "warning" for p in problems),
        "problems": problems,
    }


def summary_line(apps: int, errors: int, warnings: int, lang: str) -> str:
    _ = words_for(lang)
    return _("Checked %(apps)s app(s): %(errors)s error(s), %(warnings)s warning(s).") % {
        "apps": apps, "errors": errors, "warnings": warnings,
    }


def report(problems: list[Problem], lang: str) -> None:
    for problem in problems:
        click.echo(problem.render(lang), err=problem.severity == "error")


@main.command()
@click.argument("name")
@click.option("--into", type=click.Path(path_type=Path), default="apps", show_default=True, help="Folder of apps.")
def new(name: str, into: Path) -> None:
    """Create apps/NAME with a small working app to start from."""
    from .spec.check import NAME_RE

    if not NAME_RE.match(name):
        click.echo(f"'{name}': use lowercase letters a–z, digits and _, starting with a letter (e.g. my_service).", err=True)
        sys.exit(1)
    target = into / name
    if target.exists():
        click.echo(f"{target} already exists; choose another name or remove it first.", err=True)
        sys.exit(1)
    shutil.copytree(Path(__file__).parent / "scaffold", target)
    click.echo(f"Created {target}. Try: lowcode validate {target} && lowcode run {target}")
    write_schema_beside(into)


def write_schema_beside(apps: Path) -> None:
    """Put lowcode-schema.json where the scaffold's first line points (`../../` from app.yaml), unless it is current.

    Editors read it to complete keys and explain each one (in English and Japanese) while staff type.
    """
    from .spec.schema import app_json_schema_text

    path = apps.resolve().parent / "lowcode-schema.json"
    text = app_json_schema_text()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {path} (editor completion for app.yaml).")


@main.command()
@click.option("--markdown", is_flag=True, help="Print the Markdown reference (docs/reference.md) instead.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of app.yaml (for editor completion)."""
    from .spec.schema import app_json_schema_text, reference_markdown

    if markdown:
        click.echo(reference_markdown(), nl=False)
    else:
        click.echo(app_json_schema_text(), nl=False)


def build_or_exit(path: Path, config: dict[str, object] | None = None, *, prepare: bool = True) -> Flask:
    """The Flask app, or the problems (YAML, seed files, database) printed plainly and exit status 1."""
    from sqlalchemy.exc import SQLAlchemyError

    from .app import create_app
    from .runtime import AppSpecError

    try:
        return create_app(path, dict(config or {}), prepare=prepare)
    except AppSpecError as exc:
        report(exc.problems, default_lang())
    except (SQLAlchemyError, OSError) as exc:
        click.echo(database_message(exc, default_lang()), err=True)
    sys.exit(1)


def exit_when_nothing_serves(flask_app: Flask) -> None:
    """Every app broken: a server of maintenance pages helps nobody, so say what is wrong and stop."""
    state = flask_app.extensions["lowcode"]
    if set(state.runtimes) - set(state.broken):
        return
    report([p for problems in state.broken.values() for p in problems], default_lang())
    sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="apps")
def routes(path: Path) -> None:
    """List the web addresses the apps in PATH serve (read-only: no database or instance folder is touched)."""
    flask_app = build_or_exit(path, prepare=False)
    for rule in sorted(flask_app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = ",".join(sorted(m for m in rule.methods or () if m not in ("HEAD", "OPTIONS")))
        click.echo(f"{methods:10} {rule.rule}")



@main.command("clean-photos")
@click.argument("path", type=click.Path(path_type=Path), default="apps")
def clean_photos(path: Path) -> None:
    """Re-encode every stored photo of the apps in PATH without metadata (GPS, camera serial); remove abandoned ones."""
    from .records.photos import clean_all_stored_photos

    flask_app = build_or_exit(path)
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context():
        reports = clean_all_stored_photos(state.runtimes.values(), state.db.engine, Path(flask_app.config["UPLOAD_FOLDER"]))
        state.db.engine.dispose()  # a one-off command: close the pool's connections now
    for name, outcome in reports:
        click.echo(photo_summary(name, outcome, default_lang()))


def photo_summary(app_name: str, outcome: CleanReport, lang: str) -> str:
    refused = len(outcome.refused)
    removed = outcome.unreferenced + outcome.abandoned
    _ = words_for(lang)
    return _(
        "%(app)s: %(cleaned)s photo(s) cleaned, %(clean)s already clean, "
        "%(refused)s file(s) that are not images moved to refused/, %(removed)s unused photo(s) removed."
    ) % {
        "app": app_name, "cleaned": outcome.cleaned, "clean": outcome.already_clean, "refused": refused,
        "removed": removed,
    }


main.add_command(make_user_group(build_or_exit))
main.add_command(make_mail_group(build_or_exit))
main.add_command(make_migrate_command())
main.add_command(make_audit_group(build_or_exit))
main.add_command(make_export_command(build_or_exit))
main.add_command(make_import_command(build_or_exit))


if __name__ == "__main__":
    main()
