"""Geocoder, area and derived-field spec models (placeholder; the places work fills this module)."""
from __future__ import annotations

from pydantic import Field

from .base import SpecModel


class GeocoderSpec(SpecModel):
    """How addresses become points."""

    kind: str = Field("none", description="Which geocoder.")


class AreaSpec(SpecModel):
    """A set of named areas (districts, 町会)."""

    file: str | None = Field(None, description="GeoJSON or KML file in the app's data folder.")


class DeriveSpec(SpecModel):
    """Fill a field from another one."""

    source: str | None = Field(None, alias="from", description="The field to derive from.")
