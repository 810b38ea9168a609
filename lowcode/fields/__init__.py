"""Field types: one small class per type, registered by name (see `base.FieldType`)."""
from __future__ import annotations

from . import builtin  # noqa: F401  (registers the built-in types)
from .base import FIELD_TYPES, FieldType, field_type, register_field_type

__all__ = ["FIELD_TYPES", "FieldType", "field_type", "register_field_type"]
