"""Turn pydantic's validation errors into catalogue problems placed at the right line."""
from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..words import suggest_language
from .misplaced import is_misplaced_top_key
from .problems import Message, Problem, register_messages, suggest
from .yamlload import LocatedYaml, Path

register_messages(
    {
        "E_TOP_NOT_MAPPING": Message(
            "The file must be a block of `key: value` lines (title, tables, forms, …).",
            "ファイルは `キー: 値` の行のまとまり(title, tables, forms など)で書いてください。",
            "Start from the file that `lowcode new NAME` writes.",
            "`lowcode new 名前` で作られるファイルから始めてください。",
        ),
        "E_UNKNOWN_KEY": Message(
            "'{key}' is not a setting of '{where}'.",
            "'{key}' は '{where}' の設定にはありません。",
            "Check the spelling or remove the line. Settings here: {options}.",
            "綴りを確かめるか、この行を削除してください。ここで使える設定: {options}。",
        ),
        "E_MISSING_KEY": Message(
            "'{where}' needs the setting '{key}'.",
            "'{where}' には設定 '{key}' が必要です。",
            "Add a line `{key}: …` to it.",
            "`{key}: …` の行を追加してください。",
        ),
        "E_NOT_ONE_OF": Message(
            "'{value}' is not a possible value of '{key}'.",
            "'{value}' は '{key}' に使える値ではありません。",
            "Use one of: {options}.",
            "次のどれかを使ってください: {options}。",
        ),
        "E_NOT_BOOLEAN": Message(
            "'{key}' must be true or false, not '{value}'.",
            "'{key}' は true か false で書いてください('{value}' になっています)。",
            "Write `{key}: true` or `{key}: false`.",
            "`{key}: true` または `{key}: false` と書いてください。",
        ),
        "E_NOT_INTEGER": Message(
            "'{key}' must be a whole number, not '{value}'.",
            "'{key}' は整数で書いてください('{value}' になっています)。",
            "Write digits only, e.g. `{key}: 10`.",
            "数字だけで書いてください(例: `{key}: 10`)。",
        ),
        "E_NOT_NUMBER": Message(
            "'{key}' must be a number, not '{value}'.",
            "'{key}' は数値で書いてください('{value}' になっています)。",
            "Write a number such as `1.5`.",
            "`1.5` のような数値で書いてください。",
        ),
        "E_TOO_SMALL": Message(
            "'{key}' must be at least {limit}, not {value}.",
            "'{key}' は {limit} 以上にしてください({value} になっています)。",
        ),
        "E_TOO_LARGE": Message(
            "'{key}' must be at most {limit}, not {value}.",
            "'{key}' は {limit} 以下にしてください({value} になっています)。",
        ),
        "E_TOO_FEW_ITEMS": Message(
            "'{key}' needs at least {limit} item(s).",
            "'{key}' には少なくとも {limit} 個の項目が必要です。",
        ),
        "E_NOT_MAPPING": Message(
            "'{key}' must be a block of `name: value` lines.",
            "'{key}' は `名前: 値` の行のまとまりで書いてください。",
            "Indent the lines under '{key}:' by two spaces.",
            "'{key}:' の下の行を半角スペース2つで字下げしてください。",
        ),
        "E_NOT_LIST": Message(
            "'{key}' must be a list.",
            "'{key}' はリストで書いてください。",
            "Write each item on its own line starting with `- `, or as `[a, b]`.",
            "項目ごとに `- ` で始まる行にするか、`[a, b]` と書いてください。",
        ),
        "E_NOT_TEXT": Message(
            "'{key}' must be text, or text per language.",
            "'{key}' は文字列、または言語ごとの文字列で書いてください。",
            "Write `{key}: …` or `{key}: {{ja: …, en: …}}`.",
            "`{key}: …` または `{key}: {{ja: …, en: …}}` と書いてください。",
        ),
        "E_TEXT_SPLIT": Message(
            "A comma inside {{…}} ended the text of '{key}' too early.",
            "{{…}} の中の半角カンマ「,」で '{key}' の文字列が途中で切れています。",
            "Put the text in double quotes: `en: \"Hello, world\"`.",
            "文字列をダブルクォートで囲んでください: `en: \"Hello, world\"`。",
        ),
        "E_BAD_VALUE": Message(
            "'{key}' has a value that cannot be used: {detail}.",
            "'{key}' の値が使えません: {detail}。",
        ),
    }
)

SHAPE_CODES = {
    "dict_type": "E_NOT_MAPPING",
    "model_type": "E_NOT_MAPPING",
    "model_attributes_type": "E_NOT_MAPPING",
    "list_type": "E_NOT_LIST",
    "tuple_type": "E_NOT_LIST",
    "text_type": "E_NOT_TEXT",
    "text_split": "E_TEXT_SPLIT",
    "string_type": "E_NOT_TEXT",
    "bool_parsing": "E_NOT_BOOLEAN",
    "bool_type": "E_NOT_BOOLEAN",
    "int_parsing": "E_NOT_INTEGER",
    "int_from_float": "E_NOT_INTEGER",
    "int_type": "E_NOT_INTEGER",
    "float_parsing": "E_NOT_NUMBER",
    "float_type": "E_NOT_NUMBER",
}
LIMIT_CODES = {
    "greater_than_equal": ("E_TOO_SMALL", "ge"),
    "greater_than": ("E_TOO_SMALL", "gt"),
    "less_than_equal": ("E_TOO_LARGE", "le"),
    "less_than": ("E_TOO_LARGE", "lt"),
    "too_short": ("E_TOO_FEW_ITEMS", "min_length"),
}


def translate_validation_error(error: ValidationError, root: type[BaseModel], located: LocatedYaml) -> list[Problem]:
    """One problem per place: union arms that all failed at one spot become a single message."""
    return list(_problems_by_path(error, root, located).values())


def _problems_by_path(error: ValidationError, root: type[BaseModel], located: LocatedYaml) -> dict[Path, Problem]:
    problems: dict[Path, Problem] = {}
    for item in error.errors():
        path = data_path(located.data, item["loc"])
        if path not in problems:
            problems[path] = _problem_for(item, path, root, located)
    return problems


def prunable_paths(error: ValidationError, located: LocatedYaml) -> list[Path] | None:
    """Paths whose removal may let the rest validate, so later checks still run; None when that cannot work."""
    paths = []
    for item in error.errors():
        path = data_path(located.data, item["loc"])
        if item["type"] == "missing":
            if len(path) == 1:
                continue  # a required top-level key: the loader puts a stand-in there
            path = path[:-1]  # the block that lacks a required key goes as a whole
        if not path:
            return None
        paths.append(path)
    return paths


def data_path(data: Any, loc: tuple[Any, ...]) -> Path:
    """The part of pydantic's `loc` that names real keys and indexes (union arm tags dropped)."""
    path: list[Any] = []
    node = data
    for segment in loc:
        if isinstance(node, dict) and segment in node or isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
            path.append(segment)
        elif isinstance(node, dict) and isinstance(segment, str) and segment not in node and _is_key_name(segment):
            path.append(segment)  # a missing or extra key: keep it so the message can name it
            node = None
    return tuple(path)


def _is_key_name(segment: str) -> bool:
    return segment.replace("_", "").isalnum() and segment.islower() or segment == "[key]"


def _problem_for(item: Any, path: Path, root: type[BaseModel], located: LocatedYaml) -> Problem:
    kind = item["type"]
    key = _key_name(path)
    value = _value_at(located.data, path)
    if kind == "extra_forbidden":
        return _unknown_key(path, root, located)
    if kind == "missing":
        where = _where(path[:-1], located)
        return located.problem("E_MISSING_KEY", path[:-1], key=key, where=where)
    if kind == "literal_error":  # a Literal, or a check that lists its options itself (the field types)
        options = item.get("ctx", {}).get("options") or _literal_options(root, path)
        suggestions = suggest(str(value), options) or (suggest_language(str(value), options) if key == "languages" else ())
        return located.problem("E_NOT_ONE_OF", path, suggestions=suggestions, key=key, value=value, options=options)
    if key in ("min", "max") and _field_type(located.data, path) == "date":
        return located.problem("E_BAD_DATE", path, suggestions=iso_date_guess(str(value)), value=value)
    if kind in LIMIT_CODES:
        code, ctx_key = LIMIT_CODES[kind]
        return located.problem(code, path, key=key, value=value, limit=item.get("ctx", {}).get(ctx_key, ""))
    shape_code = SHAPE_CODES.get(kind)
    if shape_code:
        return located.problem(shape_code, path, key=key, value=value)
    return located.problem("E_BAD_VALUE", path, key=key, detail=item["msg"])


def _field_type(data: Any, path: Path) -> Any:
    """The `type:` of the field a setting at `path` belongs to (None outside fields)."""
    if len(path) != 5 or path[0] != "tables" or path[2] != "fields":
        return None
    field = _value_at(data, path[:-1])
    return field.get("type") if isinstance(field, dict) else None


# 2026/12/08, 2026.12.8, 2026年12月8日 and full-width digits: what people write for a date, as YYYY-MM-DD.
DATE_LIKE = re.compile(r"^\s*(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})\s*日?\s*$")


def iso_date_guess(text: str) -> tuple[str, ...]:
    match = DATE_LIKE.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return ()
    year, month, day = (int(part) for part in match.groups())
    try:
        return (dt.date(year, month, day).isoformat(),)
    except ValueError:
        return ()


def _unknown_key(path: Path, root: type[BaseModel], located: LocatedYaml) -> Problem:
    if is_misplaced_top_key(path[-1], path[:-1], root):
        return located.problem("E_TOP_KEY_INDENTED", path, prefer_key=True, key=path[-1], where=_where(path[:-1], located))
    model = model_at(root, path[:-1])
    options = sorted(_yaml_keys(model)) if model else []
    where = _where(path[:-1], located)
    return located.problem(
        "E_UNKNOWN_KEY", path, prefer_key=True, suggestions=suggest(str(path[-1]), options),
        key=path[-1], where=where, options=options,
    )


def _where(path: Path, located: LocatedYaml) -> str:
    """A place people can find in their file: `tables.hazards.fields.title`, or the file name at the top."""
    return ".".join(str(p) for p in path) if path else located.file.rsplit("/", 1)[-1]


def _yaml_keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _key_name(path: Path) -> str:
    names = [str(p) for p in path if not isinstance(p, int)]
    return names[-1] if names else ""


def _value_at(data: Any, path: Path) -> Any:
    for segment in path:
        try:
            data = data[segment]
        except (KeyError, IndexError, TypeError):
            return ""
    return "" if data is None else data


def model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The spec model class that describes the mapping at `path`."""
    annotation: Any = root
    for segment in path:
        annotation = _step(annotation, segment)
        if annotation is None:
            return None
    model = _unwrap_model(annotation)
    return model


def _literal_options(root: type[BaseModel], path: Path) -> list[str]:
    annotation: Any = root
    for segment in path:
        annotation = _step(annotation, segment)
    for candidate in _arms(annotation):
        if get_origin(candidate) is Literal:
            return [str(a) for a in get_args(candidate)]
    return []


def _step(annotation: Any, segment: Any) -> Any:
    for arm in _arms(annotation):
        model = _unwrap_model(arm)
        if model is not None and isinstance(segment, str):
            for name, info in model.model_fields.items():
                if segment in (name, info.alias):
                    return info.annotation
        origin = get_origin(arm)
        if origin is dict and isinstance(segment, str):
            return get_args(arm)[1]
        if origin in (list, tuple) and isinstance(segment, int):
            return get_args(arm)[0]
    return None


def _arms(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) in (Union, types.UnionType):
        return get_args(annotation)
    if get_origin(annotation) is typing.Annotated:
        return _arms(get_args(annotation)[0])
    return (annotation,)


def _unwrap_model(annotation: Any) -> type[BaseModel] | None:
    for arm in _arms(annotation):
        if isinstance(arm, type) and issubclass(arm, BaseModel):
            return arm
    return None
