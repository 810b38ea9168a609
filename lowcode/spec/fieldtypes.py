"""The field types the YAML may name, and which options each accepts.

Pure data, so the spec can be checked without the web engine; `lowcode.fields` registers one class per name
and a test keeps the two in step.
"""
from __future__ import annotations

COMMON_OPTIONS = frozenset(
    {"type", "label", "help", "placeholder", "required", "unique", "default", "show_if", "visibility", "derive"}
)
LENGTH = frozenset({"min_length", "max_length", "pattern", "pattern_message"})
RANGE = frozenset({"min", "max"})

FIELD_TYPE_OPTIONS: dict[str, frozenset[str]] = {
    "text": LENGTH,
    "textarea": LENGTH,
    "integer": RANGE,
    "number": RANGE,
    "boolean": frozenset(),
    "date": RANGE,
    "datetime": frozenset(),
    "choice": frozenset({"choices"}),
    "multichoice": frozenset({"choices", "min", "max"}),
    "email": frozenset({"max_length"}),
    "phone": frozenset(),
    "postal_code": frozenset({"fills"}),
    "url": frozenset({"max_length"}),
    "location": frozenset(),
    "image": frozenset({"max_size_mb"}),
    "reference": frozenset({"to"}),
    "area": frozenset(),
}

FIELD_TYPES = tuple(FIELD_TYPE_OPTIONS)
TEXT_LIKE = frozenset({"text", "textarea", "email", "phone", "postal_code", "url"})
FILTERABLE = frozenset({"choice", "multichoice", "boolean", "date", "datetime", "reference"})
SEARCHABLE = TEXT_LIKE
# Types that cannot be a plain equality test in `show_if` / `where`.
NOT_COMPARABLE = frozenset({"location", "image", "area", "textarea"})


def allowed_options(field_type: str) -> frozenset[str]:
    return COMMON_OPTIONS | FIELD_TYPE_OPTIONS.get(field_type, frozenset())
