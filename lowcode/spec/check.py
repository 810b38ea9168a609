"""Core cross-reference checks: names, fields, choices, forms, lists, navigation, texts."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel

from ..words import suggest_language
from . import (
    check_messages,  # noqa: F401  (registers the catalogue entries)
    privacy,  # noqa: F401  (registers the privacy checks)
    readings,  # noqa: F401  (registers the `reading:` checks)
    renames,  # noqa: F401  (registers the `renamed_from:` checks)
    row_link_checks,  # noqa: F401  (registers the checks of a list's `link:`)
)
from .base import Text
from .conditions import check_condition_value, check_one_value
from .context import CHECKS, CheckContext, spec_check
from .dates import RelativeDate
from .fieldtypes import allowed_options, filterable_types, is_sortable, searchable_types
from .links import ALLOWED_SCHEMES, is_safe_link, link_scheme
from .models import SYSTEM_COLUMNS, AppSpec, FieldSpec, ListSpec, TableSpec
from .problems import suggest
from .regexcost import can_backtrack_explosively

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# System columns, and the words list and map addresses use for their own parameters.
RESERVED_FIELDS = frozenset({*SYSTEM_COLUMNS, "track_hash", "assigned_to", "q", "page", "sort", "lang", "bbox", "limit",
                             "format"})  # track_hash: lowcode/tracking.py; assigned_to: lowcode/records/assignment.py
Path = tuple[Any, ...]


def run_checks(app: AppSpec, ctx: CheckContext) -> None:
    for check in CHECKS:
        try:
            check(app, ctx)
        except Exception as exc:  # noqa: BLE001 - a bug in one check must not hide what the others find
            ctx.report("E_INTERNAL_CHECK", (), check=check.__name__, detail=f"{type(exc).__name__}: {exc}")


@spec_check
def check_names(app: AppSpec, ctx: CheckContext) -> None:
    for section, kind in (("tables", "table"), ("forms", "form"), ("lists", "list"), ("maps", "map"), ("areas", "area"),
                          ("dashboards", "dashboard"), ("matching", "matching")):
        for name in getattr(app, section):
            _check_name(ctx, name, kind, (section, name))
    for table_name, table in app.tables.items():
        for field_name in table.fields:
            path = ("tables", table_name, "fields", field_name)
            if _check_name(ctx, field_name, "field", path) and field_name in RESERVED_FIELDS:
                ctx.report("E_RESERVED_NAME", path, prefer_key=True, name=field_name, options=sorted(RESERVED_FIELDS))


KIND_WORDS = {
    "table": {"en": "table", "ja": "テーブル"},
    "field": {"en": "field", "ja": "項目"},
    "form": {"en": "form", "ja": "フォーム"},
    "list": {"en": "list", "ja": "一覧"},
    "map": {"en": "map", "ja": "地図"},
    "dashboard": {"en": "dashboard", "ja": "ダッシュボード"},
    "matching": {"en": "matching", "ja": "マッチング"},
    "area": {"en": "area set", "ja": "区域"},
    "choice": {"en": "choice", "ja": "選択肢"},
}


def _check_name(ctx: CheckContext, name: str, kind: str, path: Path) -> bool:
    if NAME_RE.match(name):
        return True
    ctx.report("E_BAD_NAME", path, prefer_key=True, name=name, kind=KIND_WORDS[kind])
    return False


@spec_check
def check_fields(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        for field_name, field in table.fields.items():
            path = ("tables", table_name, "fields", field_name)
            _check_field_options(ctx, field, path)
            _check_field_choices(ctx, field, field_name, path)
            _check_field_reference(app, ctx, field, field_name, path)
            _check_field_limits(ctx, field, path)
            _check_field_default(ctx, field, path)
            _check_show_if(ctx, table_name, table, field_name, field, path)
            _check_fills(ctx, table_name, table, field, path)
        if table.title_field and table.title_field not in table.fields:
            ctx.require_name("E_TITLE_FIELD", table.title_field, table.fields, ("tables", table_name, "title_field"))


def _check_field_options(ctx: CheckContext, field: FieldSpec, path: Path) -> None:
    allowed = allowed_options(field.type)
    for option in sorted(field.model_fields_set - allowed):
        ctx.report(
            "E_OPTION_NOT_FOR_TYPE", (*path, option), prefer_key=True,
            option=option, type=field.type, options=sorted(allowed - {"type"}),
        )


def _check_field_choices(ctx: CheckContext, field: FieldSpec, name: str, path: Path) -> None:
    if field.type in ("choice", "multichoice") and not field.choices:
        ctx.report("E_CHOICES_MISSING", path, type=field.type, field=name)
    seen: set[str] = set()
    plain_labels: list[tuple[int, str]] = []
    for index, choice in enumerate(field.choices or ()):
        choice_path = (*path, "choices", index, "key")
        if not NAME_RE.match(choice.key) and not choice.key.isdigit():
            if isinstance(ctx.raw_value((*path, "choices", index)), str):
                plain_labels.append((index, choice.key))  # `- 受付`: one message for the whole list, below
            else:
                ctx.report("E_BAD_NAME", choice_path, name=choice.key, kind=KIND_WORDS["choice"])
        if choice.key in seen:
            ctx.report("E_DUPLICATE_CHOICE", choice_path, name=choice.key)
        seen.add(choice.key)
    if plain_labels:
        first, label = plain_labels[0]
        ctx.report("E_CHOICE_NEEDS_KEY", (*path, "choices", first), field=name, labels=[w for _, w in plain_labels], label=label)


def _check_field_reference(app: AppSpec, ctx: CheckContext, field: FieldSpec, name: str, path: Path) -> None:
    if field.type != "reference":
        return
    if not field.to:
        ctx.report("E_REFERENCE_TARGET", path, field=name)
    else:
        ctx.require_name("E_UNKNOWN_TABLE", field.to, app.tables, (*path, "to"))


def _check_field_limits(ctx: CheckContext, field: FieldSpec, path: Path) -> None:
    bounds = {}
    for key in ("min", "max"):
        value = getattr(field, key)
        if value is None:
            continue
        bounds[key] = _bound_value(ctx, field, value, (*path, key))
    if _comparable(bounds.get("min"), bounds.get("max")) and bounds["min"] > bounds["max"]:
        ctx.report("E_MIN_ABOVE_MAX", (*path, "min"), min=ctx.raw_value((*path, "min")), max=ctx.raw_value((*path, "max")))
    if field.min_length is not None and field.max_length is not None and field.min_length > field.max_length:
        ctx.report("E_MIN_ABOVE_MAX", (*path, "min_length"), min=field.min_length, max=field.max_length)
    if field.pattern is not None:
        try:
            re.compile(field.pattern)
        except re.error as exc:
            ctx.report("E_BAD_PATTERN", (*path, "pattern"), detail=str(exc))
        else:
            if can_backtrack_explosively(field.pattern):
                ctx.report("E_SLOW_PATTERN", (*path, "pattern"), pattern=field.pattern)


def _bound_value(ctx: CheckContext, field: FieldSpec, value: Any, path: Path) -> Any:
    wants_date = field.type == "date"
    if wants_date != isinstance(value, (dt.date, RelativeDate)):
        ctx.report("E_BAD_DATE" if wants_date else "E_NOT_NUMBER", path, key=path[-1], value=ctx.raw_value(path))
        return None
    return value.days if isinstance(value, RelativeDate) else value


def _comparable(low: Any, high: Any) -> bool:
    """Both limits known and of one kind: `today+1` and `2027-01-01` cannot be compared before the day comes."""
    return low is not None and high is not None and type(low) is type(high)


def _check_field_default(ctx: CheckContext, field: FieldSpec, path: Path) -> None:
    if field.default is None:
        return
    values = field.default if isinstance(field.default, list) else [field.default]
    for value in values:
        check_one_value(ctx, field, value, (*path, "default"), "E_BAD_DEFAULT")


def _check_fills(ctx: CheckContext, table_name: str, table: TableSpec, field: FieldSpec, path: Path) -> None:
    if field.fills is None:
        return
    text_fields = [n for n, f in table.fields.items() if f.type in ("text", "textarea")]
    ctx.require_name("E_UNKNOWN_FIELD", field.fills, text_fields, (*path, "fills"), table=table_name)


def _check_show_if(ctx: CheckContext, table_name: str, table: TableSpec, name: str, field: FieldSpec, path: Path) -> None:
    for other, expected in (field.show_if or {}).items():
        condition_path = (*path, "show_if", other)
        if other == name:
            ctx.report("E_SHOW_IF_SELF", condition_path, prefer_key=True)
            continue
        check_condition_value(ctx, table_name, table, other, expected, condition_path)


@spec_check
def check_forms(app: AppSpec, ctx: CheckContext) -> None:
    for form_name, form in app.forms.items():
        path = ("forms", form_name)
        if not ctx.require_name("E_UNKNOWN_TABLE", form.table, app.tables, (*path, "table")):
            continue
        table = app.tables[form.table]
        names = _check_field_list(ctx, form.table, table, form.fields, (*path, "fields"))
        if form.fields is None:
            continue
        for field_name, field in table.fields.items():
            if field.required and field.default is None and field.derive is None and field_name not in names:
                ctx.report("E_REQUIRED_NOT_IN_FORM", (*path, "fields"), name=field_name)


def _check_field_list(
    ctx: CheckContext, table_name: str, table: TableSpec, names: list[str] | None, path: Path, *, public_only: bool = False
) -> list[str]:
    found: list[str] = []
    for index, name in enumerate(names or ()):
        item_path = (*path, index)
        if name in found:
            ctx.report("E_DUPLICATE_ITEM", item_path, name=name)
            continue
        if not ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, item_path, table=table_name):
            continue
        field = table.fields[name]
        if public_only and not field.is_public:
            ctx.report("E_NOT_PUBLIC", item_path, name=name, visibility=field.visibility)
        found.append(name)
    return found


@spec_check
def check_lists(app: AppSpec, ctx: CheckContext) -> None:
    for list_name, spec in app.lists.items():
        path = ("lists", list_name)
        if not ctx.require_name("E_UNKNOWN_TABLE", spec.table, app.tables, (*path, "table")):
            continue
        table = app.tables[spec.table]
        for key in ("columns", "detail_fields", "search", "filters"):
            _check_field_list(ctx, spec.table, table, getattr(spec, key), (*path, key), public_only=True)
        _check_kinds(ctx, table, spec.search, (*path, "search"), searchable_types(), "E_NOT_SEARCHABLE")
        _check_kinds(ctx, table, spec.filters, (*path, "filters"), filterable_types(), "E_NOT_FILTERABLE")
        _check_sort(ctx, table, spec, (*path, "sort"))
        for field_name, expected in (spec.where or {}).items():
            check_condition_value(ctx, spec.table, table, field_name, expected, (*path, "where", field_name))


def _check_kinds(ctx: CheckContext, table: TableSpec, names: list[str], path: Path, kinds: frozenset[str], code: str) -> None:
    fitting = [n for n, f in table.fields.items() if f.type in kinds and f.is_public]
    for index, name in enumerate(names):
        field = table.fields.get(name)
        if field is not None and field.type not in kinds:
            ctx.report(code, (*path, index), name=name, type=field.type, options=fitting or "-")


def _check_sort(ctx: CheckContext, table: TableSpec, spec: ListSpec, path: Path) -> None:
    options = ["created_at", "updated_at", "id", *[n for n, f in table.fields.items() if f.is_public and is_sortable(f.type)]]
    name = spec.sort.removeprefix("-")
    if name not in options:
        sign = "-" if spec.sort.startswith("-") else ""
        suggestions = tuple(sign + s for s in _suggest_names(name, options))
        ctx.report("E_BAD_SORT", path, name=spec.sort, options=options, suggestions=suggestions)


def _suggest_names(name: str, options: list[str]) -> tuple[str, ...]:
    return suggest(name, options)


@spec_check
def check_navigation(app: AppSpec, ctx: CheckContext) -> None:
    for section, items in (("nav", app.nav), (("home", "links"), app.home.links)):
        base = section if isinstance(section, tuple) else (section,)
        for index, item in enumerate(items or ()):
            _check_nav_item(app, ctx, item, (*base, index))


def _check_nav_item(app: AppSpec, ctx: CheckContext, item: Any, path: Path) -> None:
    targets = [k for k in ("form", "list", "map", "dashboard", "url") if getattr(item, k) is not None]
    if len(targets) != 1:
        ctx.report("E_NAV_TARGET", path)
        return
    kind = targets[0]
    if kind == "url" and not is_safe_link(item.url):
        ctx.report("E_NAV_URL", (*path, "url"), scheme=link_scheme(item.url), options=", ".join(ALLOWED_SCHEMES))
    sections: dict[str, dict[str, Any]] = {"form": app.forms, "list": app.lists, "map": app.maps, "dashboard": app.dashboards}
    section = sections.get(kind)
    if section is not None:
        ctx.require_name(f"E_UNKNOWN_{kind.upper()}", getattr(item, kind), section, (*path, kind))


@spec_check
def check_seeds(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        if table.seed is None:
            continue
        path = ("tables", table_name, "seed")
        for field_name in table.seed.columns:
            ctx.require_name("E_UNKNOWN_FIELD", field_name, table.fields, (*path, "columns", field_name), table=table_name)
        if not (FsPath(ctx.app_dir) / table.seed.file).is_file():
            ctx.report("E_FILE_MISSING", (*path, "file"), name=table.seed.file)


@spec_check
def check_texts(app: AppSpec, ctx: CheckContext) -> None:
    for path, text in iter_texts(app, ()):
        for lang in text.languages:
            if lang not in app.languages:
                ctx.report(
                    "E_UNKNOWN_LANGUAGE", (*path, lang), prefer_key=True,
                    suggestions=_suggest_names(lang, list(app.languages)) or suggest_language(lang, app.languages),
                    name=lang, options=list(app.languages),
                )
        if text.languages:
            for lang in app.languages:
                if lang not in text.languages:
                    ctx.report("W_MISSING_TRANSLATION", path, lang=lang)


def iter_texts(value: Any, path: Path) -> Iterator[tuple[Path, Text]]:
    """Every localised text in the spec with the path it was written at."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            yield from iter_texts(getattr(value, name), (*path, info.alias or name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from iter_texts(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from iter_texts(item, (*path, index))

