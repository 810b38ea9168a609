"""Load an app folder's YAML into a validated AppSpec, collecting every problem at once."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .check import NAME_RE, run_checks
from .context import CheckContext
from .misplaced import take_out_misplaced_top_keys
from .models import AppSpec
from .problems import Message, Problem, register_messages, sort_problems
from .pydantic_errors import prunable_paths, translate_validation_error
from .yamlload import LocatedYaml, decode_yaml_bytes, load_yaml

APP_FILE_NAMES = ("app.yaml", "app.yml")

register_messages(
    {
        "E_NO_APP_FILE": Message(
            "There is no app.yaml in '{name}'.",
            "'{name}' に app.yaml がありません。",
            "Create one with `lowcode new NAME`, or point to the folder that holds app.yaml.",
            "`lowcode new 名前` で作るか、app.yaml のあるフォルダを指定してください。",
        ),
        "E_NO_APPS": Message(
            "'{name}' holds no app folder (a folder with an app.yaml).",
            "'{name}' にアプリのフォルダ(app.yaml のあるフォルダ)がありません。",
            "Create one with `lowcode new NAME`.",
            "`lowcode new 名前` で作ってください。",
        ),
        "E_APP_FOLDER_NAME": Message(
            "The app folder name '{name}' cannot be used in web addresses.",
            "アプリのフォルダ名 '{name}' はWebアドレスに使えません。",
            "Rename the folder with lowercase letters a–z, digits and `_`.",
            "フォルダ名を半角英小文字・数字・`_` に変えてください。",
        ),
    }
)


@dataclass
class LoadedApp:
    """The result of loading one app folder: the spec when it is valid, and every problem found."""

    name: str
    folder: Path
    file: Path
    spec: AppSpec | None
    problems: list[Problem] = field(default_factory=list)
    shown: str = ""  # the file name as problems print it

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def find_app_file(folder: Path) -> Path | None:
    return next((folder / n for n in APP_FILE_NAMES if (folder / n).is_file()), None)


def is_app_folder(folder: Path) -> bool:
    return folder.is_dir() and find_app_file(folder) is not None


def app_folders(path: Path) -> list[Path]:
    """One app folder, or every app folder directly inside a folder of apps."""
    if is_app_folder(path):
        return [path]
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if is_app_folder(p))


def no_apps_problem(path: Path) -> Problem:
    """Nothing to load at `path`: no such folder, or a folder holding no app folder."""
    code = "E_NO_APPS" if path.is_dir() else "E_NO_APP_FILE"
    return Problem(code, str(path), 1, 1, {"name": str(path)})


def load_app_spec(folder: Path | str, *, display_root: Path | None = None) -> LoadedApp:
    folder = Path(folder)
    app_file = find_app_file(folder)
    shown = _display(folder / "app.yaml" if app_file is None else app_file, display_root)
    if app_file is None:
        missing = Problem("E_NO_APP_FILE", shown, 1, 1, {"name": str(folder)})
        return LoadedApp(folder.name, folder, folder / "app.yaml", None, [missing])
    text, problem = decode_yaml_bytes(app_file.read_bytes(), shown)
    if text is None:
        return LoadedApp(folder.name, folder, app_file, None, [problem] if problem else [], shown)
    return load_app_text(text, folder, shown, app_file)


def load_app_text(text: str, folder: Path, shown: str, app_file: Path | None = None) -> LoadedApp:
    located = load_yaml(text, shown)
    loaded = LoadedApp(folder.name, folder, app_file or folder / "app.yaml", None, list(located.problems), shown)
    if not NAME_RE.match(folder.name):
        loaded.problems.append(Problem("E_APP_FOLDER_NAME", shown, 1, 1, {"name": folder.name}))
    if located.data is None:
        return _finish(loaded)
    if not isinstance(located.data, dict):
        loaded.problems.append(located.problem("E_TOP_NOT_MAPPING", ()))
        return _finish(loaded)
    loaded.problems += take_out_misplaced_top_keys(located, AppSpec)
    try:
        spec = AppSpec.model_validate(located.data)
    except ValidationError as exc:
        loaded.problems += translate_validation_error(exc, AppSpec, located)
        partial, pruned = validate_remainder(exc, located)
        if partial is not None:
            loaded.problems += without_echoes(checked_problems(partial, located, folder), pruned)
        return _finish(loaded)
    loaded.problems += checked_problems(spec, located, folder)
    if not loaded.errors:
        loaded.spec = spec
    return _finish(loaded)


def checked_problems(spec: AppSpec, located: LocatedYaml, folder: Path) -> list[Problem]:
    ctx = CheckContext(located, str(folder))
    run_checks(spec, ctx)
    return ctx.problems


def validate_remainder(error: ValidationError, located: LocatedYaml) -> tuple[AppSpec | None, list[tuple[Any, ...]]]:
    """The spec without the parts already reported, so cross-reference checks can still report the rest.

    Also the paths taken out, so that what only follows from them is not reported again (see `without_echoes`).
    """
    data = located.data
    pruned: list[tuple[Any, ...]] = []
    for _ in range(3):
        data = with_placeholders(data, error)
        paths = prunable_paths(error, LocatedYaml(located.file, data))
        if paths is None:
            return None, pruned
        pruned += paths
        data = without_paths(data, paths)
        try:
            return AppSpec.model_validate(data), pruned
        except ValidationError as exc:
            error = exc
    return None, pruned


# Problems that name something by `name`: when that thing was taken out because of its own (reported) mistake,
# they only echo it. A misspelt `type: txt` once gave ten "no field 'place'" lines after the one that mattered.
ECHO_CODES = frozenset({"E_TITLE_FIELD", "E_BAD_SORT"})


def without_echoes(problems: list[Problem], pruned: list[tuple[Any, ...]]) -> list[Problem]:
    gone = _pruned_names(pruned)
    return [p for p in problems if not _is_echo(p, gone)]


def _pruned_names(pruned: list[tuple[Any, ...]]) -> dict[str, set[str]]:
    """Section ('fields' of table T is 'T', or 'tables', 'forms'…) → names taken out of it."""
    gone: dict[str, set[str]] = {}
    for path in pruned:
        if len(path) >= 4 and path[0] == "tables" and path[2] == "fields":
            gone.setdefault(str(path[1]), set()).add(str(path[3]))
            gone.setdefault("*fields", set()).add(str(path[3]))
        elif len(path) >= 2 and path[0] in ("tables", "forms", "lists", "maps"):
            gone.setdefault(str(path[0]), set()).add(str(path[1]))
    return gone


def _is_echo(problem: Problem, gone: dict[str, set[str]]) -> bool:
    name = str(problem.params.get("name", "")).removeprefix("-")
    if problem.code in ECHO_CODES:
        return name in gone.get("*fields", set())
    if problem.code == "E_UNKNOWN_FIELD":
        return name in gone.get(str(problem.params.get("table")), set())
    section = {"E_UNKNOWN_TABLE": "tables", "E_UNKNOWN_FORM": "forms", "E_UNKNOWN_LIST": "lists", "E_UNKNOWN_MAP": "maps"}
    return problem.code in section and name in gone.get(section[problem.code], set())


ROOT_PLACEHOLDERS: dict[str, Any] = {"title": "-", "tables": {}}


def with_placeholders(data: Any, error: ValidationError) -> Any:
    """Stand-ins for required top-level keys that are missing (already reported), so the rest can be checked."""
    missing = [e["loc"][0] for e in error.errors() if e["type"] == "missing" and len(e["loc"]) == 1]
    if not missing or not isinstance(data, dict):
        return data
    return {**data, **{key: ROOT_PLACEHOLDERS[key] for key in missing if key in ROOT_PLACEHOLDERS}}


def without_paths(data: Any, paths: list[tuple[Any, ...]]) -> Any:
    data = copy.deepcopy(data)
    for path in sorted(paths, key=len, reverse=True):
        parent = data
        for segment in path[:-1]:
            parent = parent[segment] if isinstance(parent, (dict, list)) else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    return data


def _finish(loaded: LoadedApp) -> LoadedApp:
    loaded.problems = sort_problems(loaded.problems)
    return loaded


def _display(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(path)
