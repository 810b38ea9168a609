"""The JSON Schema of app.yaml (for editors) and the Markdown reference in docs/, both from the spec models."""
from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .base import Text
from .fieldtypes import COMMON_OPTIONS, field_kinds
from .models import AppSpec
from .schema_ja import bilingual

SCHEMA_ID = "https://lowcode.example/schema/app.json"


def app_json_schema() -> dict[str, Any]:
    schema = with_japanese(AppSpec.model_json_schema(mode="validation"))
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def english_descriptions(node: Any) -> Iterator[str]:
    """Every description the models give, as written in English."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                yield value
            else:
                yield from english_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            yield from english_descriptions(item)


def with_japanese(node: Any) -> Any:
    """The schema with each description in English and Japanese: editors show it to staff as they type."""
    if isinstance(node, dict):
        return {k: bilingual(v) if k == "description" and isinstance(v, str) else with_japanese(v) for k, v in node.items()}
    if isinstance(node, list):
        return [with_japanese(item) for item in node]
    return node


def app_json_schema_text() -> str:
    """The schema as shipped in lowcode-schema.json and printed by `lowcode schema`."""
    return json.dumps(app_json_schema(), ensure_ascii=False, indent=2) + "\n"


def spec_models(root: type[BaseModel] = AppSpec) -> list[type[BaseModel]]:
    """Every model reachable from `root`, in the order a reader meets them."""
    seen: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop(0)
        if model in seen:
            continue
        seen.append(model)
        for info in model.model_fields.values():
            pending += [m for m in _models_in(info.annotation) if m not in seen]
    return seen


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def type_name(annotation: Any) -> str:
    """A type as a civil servant would say it: `text`, `true/false`, `list of field names`…"""
    origin = get_origin(annotation)
    if annotation is Text:
        return "text or {ja, en}"
    if annotation is bool:
        return "true/false"
    if annotation is int:
        return "whole number"
    if annotation is float:
        return "number"
    if annotation is str:
        return "text"
    if annotation is Any:
        return "any value"
    if origin is Literal:
        return " or ".join(f"`{a}`" for a in get_args(annotation))
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) for a in get_args(annotation) if a is not type(None))
    if origin is list:
        return f"list of {type_name(get_args(annotation)[0])}"
    if origin is tuple:
        return f"list of {len(get_args(annotation))} numbers"
    if origin is dict:
        return f"mapping of name → {type_name(get_args(annotation)[1])}"
    if origin is typing.Annotated:
        named = [m.options() for m in get_args(annotation)[1:] if hasattr(m, "options")]  # e.g. the field types
        return " or ".join(f"`{a}`" for a in named[0]) if named else type_name(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    return getattr(annotation, "__name__", str(annotation))


def reference_markdown() -> str:
    lines = [
        "# app.yaml reference",
        "",
        (
            "Generated from the spec models by `lowcode schema --markdown`; do not edit by hand "
            "(a test checks that this file is current)."
        ),
        "",
    ]
    for model in spec_models():
        lines += _model_section(model)
    lines += _field_types_section()
    return "\n".join(lines) + "\n"


def _model_section(model: type[BaseModel]) -> list[str]:
    doc = (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else ""
    lines = [f"## {model.__name__}", "", doc, "", "| key | value | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        key = info.alias or name
        default = _default_text(info)
        description = (info.description or "").replace("|", "\\|")
        annotation = typing.Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        lines.append(f"| `{key}` | {type_name(annotation)} | {default} | {description} |")
    return [*lines, ""]


def _default_text(info: Any) -> str:
    if info.is_required():
        return "**required**"
    if info.default is PydanticUndefined or info.default is None:
        return "—"
    if isinstance(info.default, bool):
        return f"`{str(info.default).lower()}`"
    if isinstance(info.default, (str, int, float)):
        return f"`{info.default}`"
    if isinstance(info.default, list):
        return "`[" + ", ".join(str(v) for v in info.default) + "]`"
    return "—"


def _field_types_section() -> list[str]:
    lines = ["## Field types", "", f"Every type accepts: {', '.join(f'`{o}`' for o in sorted(COMMON_OPTIONS))}.", "",
             "| type | extra settings |", "|---|---|"]
    for name, kind in field_kinds().items():
        extra = ", ".join(f"`{o}`" for o in sorted(kind.options)) or "—"
        lines.append(f"| `{name}` | {extra} |")
    return [*lines, ""]
