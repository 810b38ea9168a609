"""The engine half of the `area` layer kind (issue 11, Q2): a table's `area` polygons, fetched by the browser.

Like a table layer, the page carries only the GeoJSON API's address (`map=` and `layer=` find the layer's `where:`
and fields again on the server), so a polygon staff redraw shows on the next request; like a file layer, the
features are drawn with the layer's `style:` and named on the map by `label_property:` (here a field: a reference
shows the referenced row's public title). Nothing of a row reaches the page but through the API's public answer.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from folium.map import Layer
from folium.template import Template
from markupsafe import escape

from ..audience import PUBLIC
from .geojson import layer_popup_fields
from .layers import LayerDraw, LayerEngine
from .render import TableLayerEngine, color_by_entry, field_entry, style_config

if TYPE_CHECKING:
    import folium

    from ..spec.maps import LayerSpec
    from ..spec.models import AppSpec
    from .render import MapUrls


class AreaLayer(Layer):
    """The layer the browser fills from the GeoJSON API with polygons (map.js `lowcodeMap.areaLayer`)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = lowcodeMap.areaLayer({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any], name: str, layer: LayerSpec) -> None:
        super().__init__(name=name, overlay=True, control=True, show=layer.show)
        self._name = "AreaLayer"
        self.config = config


def area_layer_config(
    app: AppSpec, map_name: str, index: int, layer: LayerSpec, lang: str, urls: MapUrls, text: Mapping[str, str]
) -> dict[str, Any]:
    """What the browser needs to draw an area layer: its GeoJSON address, the fields it shows and its style."""
    table_name = str(layer.table)
    table = app.tables[table_name]

    def shown(name: str | None) -> dict[str, Any] | None:
        return field_entry(table, name, lang) if name and PUBLIC.can_see_field(table, name) else None

    return {
        "url": urls.geojson(table_name, {"map": map_name, "layer": str(index)}),
        "popup": [field_entry(table, name, lang) for name in layer_popup_fields(layer, table)],
        "tooltip": shown(layer.tooltip),
        "label": shown(layer.label_property),
        "styleBy": color_by_entry(table, layer.color_by, lang) if layer.color_by else None,
        "style": style_config(layer),
        "detailUrl": urls.detail(table_name),
        "attribution": str(escape(layer.attribution.get(lang))) if layer.attribution else None,
        "text": dict(text),
    }


class AreaLayerEngine(TableLayerEngine):
    """A table's polygons; named and coloured (`color_by`) as a table layer, one swatch in the legend otherwise."""

    def add_to(self, fmap: folium.Map, draw: LayerDraw) -> None:
        config = area_layer_config(draw.app, draw.map_name, draw.index, draw.layer, draw.lang, draw.urls, draw.text)
        fmap.add_child(AreaLayer(config, draw.name, draw.layer))

    def legend_section(self, app: AppSpec, layer: LayerSpec, lang: str) -> dict[str, Any] | None:
        """`color_by`: the choices under the layer's name; else one swatch of its outline colour, named as the layer."""
        if layer.color_by is not None:
            return super().legend_section(app, layer, lang)
        name = layer.label.get(lang) if layer.label is not None else self.default_name(app, layer, lang)
        return {"title": "", "items": [{"label": name, "color": layer.style.color}]}


AREA_LAYER: LayerEngine = AreaLayerEngine()
