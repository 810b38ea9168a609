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
    "text": LENGTH | {"reading"},
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
    "location": frozenset({"public_precision_m"}),
    "image": frozenset({"max_size_mb", "max_side_px"}),
    "reference": frozenset({"to"}),
    "area": frozenset(),
}

# Most characters a resident may send when the field sets no `max_length`: a name or a title fits in 200, a
# description in 4,000 (about two pages of Japanese); e-mail per RFC 5321, URLs as long as browsers keep them.
DEFAULT_MAX_LENGTH: dict[str, int] = {
    "text": 200, "textarea": 4000, "email": 254, "url": 2000, "phone": 30, "postal_code": 20,
}

FIELD_TYPES = tuple(FIELD_TYPE_OPTIONS)
TEXT_LIKE = frozenset({"text", "textarea", "email", "phone", "postal_code", "url"})
FILTERABLE = frozenset({"choice", "multichoice", "boolean", "date", "datetime", "reference"})
SEARCHABLE = TEXT_LIKE
# Types that cannot be a plain equality test in `show_if` / `where`.
NOT_COMPARABLE = frozenset({"location", "image", "area", "textarea"})


def allowed_options(field_type: str) -> frozenset[str]:
    return COMMON_OPTIONS | FIELD_TYPE_OPTIONS.get(field_type, frozenset())
