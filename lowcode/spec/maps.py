"""Map spec models (placeholder; the maps work fills this module)."""
from __future__ import annotations

from pydantic import Field

from .base import SpecModel, Text


class MapSpec(SpecModel):
    """A map page."""

    title: Text | None = Field(None, description="Heading of the map page.")


class ServiceAreaSpec(SpecModel):
    """Where the app's points may lie."""

    bbox: tuple[float, float, float, float] | None = Field(
        None, description="West, south, east, north in degrees (longitude, latitude)."
    )
