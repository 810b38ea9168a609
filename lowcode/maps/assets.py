"""Serve every script and style sheet a map needs from the app itself, never from a CDN.

Folium links Leaflet, jQuery, Bootstrap, Font Awesome and its plugins from public CDNs. On a closed municipal
network those requests fail (and elsewhere they tell third parties who looked at the map), so every link folium
would add is replaced by a file under `lowcode/static/vendor/` (see its README.md for versions and licences).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from branca.element import Element
from folium.elements import JSCSSMixin

StaticUrl = Callable[[str], str]
VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
CLIENT_DIR = Path(__file__).resolve().parent / "client"

# Folium's link name → the vendored file, relative to the app's static folder. The names are folium's own
# (folium.folium._default_js/_default_css and each plugin's default_js/default_css), so its elements and ours
# can both be pointed at local files by name.
VENDORED: dict[str, str] = {
    "leaflet": "vendor/leaflet/leaflet.js",
    "leaflet_css": "vendor/leaflet/leaflet.css",
    "jquery": "vendor/jquery/jquery.min.js",
    "bootstrap": "vendor/bootstrap/bootstrap.bundle.min.js",
    "bootstrap_css": "vendor/bootstrap/bootstrap.min.css",
    "glyphicons_css": "vendor/bootstrap-glyphicons/css/bootstrap-glyphicons.min.css",
    "awesome_markers": "vendor/leaflet.awesome-markers/leaflet.awesome-markers.js",
    "awesome_markers_css": "vendor/leaflet.awesome-markers/leaflet.awesome-markers.css",
    "awesome_markers_font_css": "vendor/fontawesome/css/all.min.css",
    "awesome_rotate_css": "vendor/folium/leaflet.awesome.rotate.css",
    "markerclusterjs": "vendor/leaflet.markercluster/leaflet.markercluster.js",
    "markerclustercss": "vendor/leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "vendor/leaflet.markercluster/MarkerCluster.Default.css",
    "leaflet-heat.js": "vendor/leaflet.heat/leaflet_heat.min.js",
    "Control.Fullscreen.js": "vendor/leaflet.fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "vendor/leaflet.fullscreen/Control.FullScreen.css",
    "Control_locate_min_js": "vendor/leaflet.locatecontrol/L.Control.Locate.min.js",
    "Control_locate_min_css": "vendor/leaflet.locatecontrol/L.Control.Locate.min.css",
    # Not folium's: the drawing tools of the `area` field's map (lowcode/maps/area_map.py).
    "leaflet_geoman": "vendor/leaflet-geoman/leaflet-geoman.min.js",
    "leaflet_geoman_css": "vendor/leaflet-geoman/leaflet-geoman.css",
}
EXTERNAL_URL_RE = re.compile(r"""https?://[^\s"'<>)\\]+""")


class UnknownAssetError(LookupError):
    """Folium wants a file we do not ship: vendor it and add it to VENDORED rather than let a CDN link through."""


def localise_assets(root: Element, static_url: StaticUrl) -> None:
    """Point every script and style link below `root` (a folium Map or Figure) at the app's own static files."""
    for element in iter_elements(root):
        if isinstance(element, JSCSSMixin):
            # Instance lists: folium's are class attributes shared by every map in the process.
            element.default_js = [(name, local_url(name, static_url)) for name, _ in element.default_js]
            element.default_css = [(name, local_url(name, static_url)) for name, _ in element.default_css]


def local_url(name: str, static_url: StaticUrl) -> str:
    try:
        return static_url(VENDORED[name])
    except KeyError:
        raise UnknownAssetError(f"no vendored file for folium asset '{name}'") from None


def iter_elements(root: Element) -> Iterator[Element]:
    yield root
    for child in list(root._children.values()):
        yield from iter_elements(child)


def vendor_path(relative: str) -> Path:
    """The file behind a VENDORED value, e.g. for a route that serves `vendor/…` or for tests."""
    return VENDOR_DIR.parent / relative


def external_urls(html: str) -> list[str]:
    """Every http(s) address in a page: what a closed network could not reach."""
    return EXTERNAL_URL_RE.findall(html)


@cache
def client_file(name: str) -> str:
    """lowcode's own map script or style sheet (lowcode/maps/client/), inlined into pages: each is a few KB."""
    return (CLIENT_DIR / name).read_text(encoding="utf-8")
