"""The field types the YAML may name: each one's spec-side half (`FieldKind`), in one registry.

Pure, so the spec can be checked without the web engine. A kind says which options it takes, how text becomes its
value, and whether it can be searched, filtered, sorted and compared; it names its engine half (`engine`,
"module:Class", a `lowcode.fields.FieldType`) as text, which only the engine imports. The built-ins are declared
below; another package adds a type by naming a `FieldKind` in the entry-point group `lowcode.field_types`
(see docs/architecture.md). Entry points are read once, the first time the registry is asked.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .entrypoints import load_plugins

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lowcode.field_types"
COMMON_OPTIONS = frozenset(
    {"type", "label", "help", "placeholder", "required", "unique", "default", "show_if", "visibility", "derive",
     "renamed_from"}
)
LENGTH = frozenset({"min_length", "max_length", "pattern", "pattern_message"})
RANGE = frozenset({"min", "max"})


@dataclass(frozen=True)
class FieldKind:
    """What the spec knows of a field type. `parse_text` turns typed text into the stored value (raising
    `lowcode.values.InvalidValue(key)`); `messages` words those keys for residents, `{key: {lang: text}}`."""

    name: str
    engine: str
    options: frozenset[str] = frozenset()
    searchable: bool = False
    filterable: bool = False
    comparable: bool = True
    sortable: bool = True  # a list may be ordered by it (a multichoice is a JSON list: PostgreSQL cannot order it)
    default_max_length: int | None = None
    parse_text: Callable[[str], Any] | None = None
    messages: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _builtin(name: str, engine_class: str, options: Iterable[str] = (), **traits: Any) -> FieldKind:
    return FieldKind(name, f"lowcode.fields.builtin:{engine_class}", frozenset(options), **traits)


# Most characters a resident may send when the field sets no `max_length`: a name or a title fits in 200, a
# description in 4,000 (about two pages of Japanese); e-mail per RFC 5321, URLs as long as browsers keep them.
BUILTIN_KINDS = (
    _builtin("text", "TextType", LENGTH | {"reading"}, searchable=True, default_max_length=200),
    _builtin("textarea", "TextAreaType", LENGTH, searchable=True, comparable=False, default_max_length=4000),
    _builtin("integer", "IntegerType", RANGE),
    _builtin("number", "NumberType", RANGE),
    _builtin("boolean", "BooleanType", filterable=True),
    _builtin("date", "DateType", RANGE, filterable=True),
    _builtin("datetime", "DateTimeType", filterable=True),
    _builtin("choice", "ChoiceType", {"choices"}, filterable=True),
    _builtin("multichoice", "MultiChoiceType", {"choices", "min", "max"}, filterable=True, sortable=False),
    _builtin("email", "EmailType", {"max_length"}, searchable=True, default_max_length=254),
    _builtin("phone", "PhoneType", searchable=True, default_max_length=30),
    _builtin("postal_code", "PostalCodeType", {"fills"}, searchable=True, default_max_length=20),
    _builtin("url", "UrlType", {"max_length"}, searchable=True, default_max_length=2000),
    _builtin("location", "LocationType", {"public_precision_m"}, comparable=False),
    _builtin("image", "ImageType", {"max_size_mb", "max_side_px"}, comparable=False),
    _builtin("reference", "ReferenceType", {"to"}, filterable=True),
    _builtin("area", "AreaType", comparable=False),
)
BUILTIN_TYPES = tuple(kind.name for kind in BUILTIN_KINDS)


@cache
def field_kinds() -> dict[str, FieldKind]:
    """Every known type by name: the built-ins first (in the order the docs list them), then the plug-ins."""
    kinds = {kind.name: kind for kind in BUILTIN_KINDS}
    for kind in _plugin_kinds():
        if kind.name in kinds:
            log.warning("field type %r from a plug-in ignored: the name is taken", kind.name)
            continue
        kinds[kind.name] = kind
    return kinds


def _plugin_kinds() -> list[FieldKind]:
    return load_plugins(ENTRY_POINT_GROUP, FieldKind)


def reload_field_kinds() -> None:
    """Read the entry points again (tests that install a plug-in; a server reads them once)."""
    field_kinds.cache_clear()


def known_field_types() -> list[str]:
    return list(field_kinds())


def field_kind(name: str) -> FieldKind | None:
    return field_kinds().get(name)


def allowed_options(field_type: str) -> frozenset[str]:
    kind = field_kind(field_type)
    return COMMON_OPTIONS | (kind.options if kind else frozenset())


def searchable_types() -> frozenset[str]:
    return frozenset(name for name, kind in field_kinds().items() if kind.searchable)


def filterable_types() -> frozenset[str]:
    return frozenset(name for name, kind in field_kinds().items() if kind.filterable)


def is_comparable(field_type: str) -> bool:
    """Whether the type can be a plain equality test in `show_if` / `where`, a sort key or a GeoJSON filter."""
    kind = field_kind(field_type)
    return kind is not None and kind.comparable


def is_sortable(field_type: str) -> bool:
    """Whether a list may be sorted by the type: it compares by value and the databases can order it."""
    kind = field_kind(field_type)
    return kind is not None and kind.comparable and kind.sortable


def default_max_length(field_type: str) -> int | None:
    kind = field_kind(field_type)
    return kind.default_max_length if kind else None


def kind_message(key: str, lang: str) -> str | None:
    """A plug-in's wording for a refused value (`InvalidValue(key)`), in `lang` or else its first language."""
    for kind in field_kinds().values():
        texts = kind.messages.get(key)
        if texts:
            return texts.get(lang) or next(iter(texts.values()))
    return None
