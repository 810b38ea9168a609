"""The folium elements lowcode's maps are made of: the map itself, its runtime script, table and file layers.

Each one writes a few lines of JavaScript that call the runtime in `client/map.js`; the data they hand over goes
through `tojson`, which escapes `<`, `>`, `&` and `'`, so no value can close the <script> it is written into.
"""
from __future__ import annotations

from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from folium.template import Template

from ..geo.files import Feature
from ..spec.maps import LayerSpec
from .assets import client_file


class LowcodeMap(folium.Map):
    """folium.Map without the page-wide styles folium adds (`html, body {height: 100%}` and a zoom lock).

    The map goes into the engine's page, which owns <html> and <body>; and `user-scalable=no` would stop
    people who need to enlarge the page from doing so.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>
                #{{ this.get_name() }} { position: relative; width: {{this.width[0]}}{{this.width[1]}};
                    height: {{ this.map_height }}; }
                .leaflet-container { font-size: {{this.font_size}}; }
            </style>
        {% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map lowcode-map{{ ' lowcode-map-none' if this.plain }}" id={{ this.get_name()|tojson }}
                role="region" aria-label="{{ this.label|e }}"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                { center: {{ this.location|tojson }}, crs: L.CRS.{{ this.crs }}, ...{{ this.options|tojavascript }} }
            );
        {% endmacro %}
        """
    )
    # Leaflet only: folium's default jQuery, Bootstrap and Font Awesome are for features lowcode's maps do not use.
    default_js = [("leaflet", "")]  # noqa: RUF012 - folium declares these as plain class attributes
    default_css = [("leaflet_css", "")]  # noqa: RUF012

    def __init__(self, *, label: str, map_height: str, plain: bool, **kwargs: Any) -> None:
        super().__init__(tiles=None, **kwargs)
        self.label = label
        self.map_height = map_height
        self.plain = plain


class MapRuntime(MacroElement):
    """The small script and style sheet every lowcode map uses, once per page."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LowcodeRuntime"
        self.css = client_file("map.css")
        self.js = client_file("map.js")


class FitToData(MacroElement):
    """Marks the map so that each layer, once loaded, widens the view to show its data."""

    _template = Template("{% macro script(this, kwargs) %}{{ this._parent.get_name() }}._lowcodeFit = true;{% endmacro %}")


class ScaleBar(MacroElement):
    """A metric scale bar (folium's `control_scale` adds miles too)."""

    _template = Template(
        "{% macro script(this, kwargs) %}L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});{% endmacro %}"
    )


class Legend(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}lowcodeMap.legend({{ this._parent.get_name() }}, {{ this.sections|tojson }});{% endmacro %}"
    )

    def __init__(self, sections: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "Legend"
        self.sections = sections


class TableLayer(JSCSSMixin, Layer):
    """A layer whose points the browser fetches from the GeoJSON API and clusters or heat-maps itself."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = lowcodeMap.tableLayer({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any], name: str, layer: LayerSpec) -> None:
        super().__init__(name=name, overlay=True, control=True, show=layer.show)
        self._name = "TableLayer"
        self.config = config
        if config["heatmap"]:
            self.default_js = [("leaflet-heat.js", "")]
            self.default_css = []
        elif config["cluster"]:
            self.default_js = [("markerclusterjs", "")]
            self.default_css = [("markerclustercss", ""), ("markerclusterdefaultcss", "")]


class FileLayer(Layer):
    """A GeoJSON, CSV or KML file from data/, drawn in the page with its style, labels and popups."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = lowcodeMap.fileLayer(
                {{ this._parent.get_name() }}, {{ this.config|tojson }}, {{ this.data|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, config: dict[str, Any], features: list[Feature], name: str, layer: LayerSpec) -> None:
        super().__init__(name=name, overlay=True, control=True, show=layer.show)
        self._name = "FileLayer"
        self.config = config
        self.data = {"type": "FeatureCollection", "features": features}
