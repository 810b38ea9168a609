"""The engine half of a map layer kind: what draws a layer of that kind on a folium map and what it puts in the legend.

A kind's spec half (`lowcode.spec.layerkinds.LayerKind`) names its `LayerEngine` as text; `engine_of_layer` imports
it the first time a map asks. The built-ins (`TABLE_LAYER`, `FILE_LAYER`) are in render.py.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..spec.layerkinds import kind_of_layer, resolve

if TYPE_CHECKING:
    import folium

    from ..spec.maps import LayerSpec
    from ..spec.models import AppSpec


@dataclass(frozen=True)
class LayerDraw:
    """One layer of one map page being drawn: where it sits, in which language, and the map's addresses and words.
    `urls` is the page's `MapUrls`; `name` is the layer switcher's entry, already escaped."""

    app: AppSpec
    map_name: str
    index: int
    layer: LayerSpec
    app_dir: Path
    lang: str
    urls: Any
    text: Mapping[str, str]
    name: str


class LayerEngine:
    """Draws the layers of one kind. `add_to` is the one thing a kind must do; the rest have plain defaults."""

    def add_to(self, fmap: folium.Map, draw: LayerDraw) -> None:
        raise NotImplementedError

    def default_name(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        """The layer switcher's entry when the layer has no `label:` (plain text; the caller escapes it)."""
        return ""

    def legend_title(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        """The legend section's heading when the layer has no `label:`."""
        return ""

    def legend_items(self, app: AppSpec, layer: LayerSpec, lang: str) -> list[dict[str, str]]:
        """The legend's entries, `{"label": …, "color": …}`; none by default."""
        return []

    def legend_section(self, app: AppSpec, layer: LayerSpec, lang: str) -> dict[str, Any] | None:
        """The layer's section of the legend (map page and print view): its `label:` (else `legend_title`) over its
        `legend_items`; None without items."""
        items = self.legend_items(app, layer, lang)
        if not items:
            return None
        title = layer.label.get(lang) if layer.label is not None else self.legend_title(app, layer, lang)
        return {"title": title, "items": items}


def engine_of_layer(layer: LayerSpec) -> LayerEngine:
    """The engine half of the layer's kind (a checked spec has a kind for every layer)."""
    kind = kind_of_layer(layer)
    if kind is None:
        raise LookupError("a map layer without a source reached the engine; the spec check refuses it")
    return engine_of_kind(kind.engine)


def engine_of_kind(reference: str) -> LayerEngine:
    engine = resolve(reference)
    if not isinstance(engine, LayerEngine):
        raise TypeError(f"{reference} is not a LayerEngine")
    return engine
