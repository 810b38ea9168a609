"""Map layer kinds are a registry with two halves: the recipe for a new kind, proved by a package outside lowcode/.

The package adds a `gpx` kind (a `.gpx` track in data/, drawn as a line) through the entry-point group
`lowcode.layer_kinds`: the spec recognises and checks it, the map draws it and lists it in the legend.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from plugins.plugin_dists import installed, write_distribution  # type: ignore[import-not-found]

from lowcode.maps.layers import LayerEngine, engine_of_kind
from lowcode.maps.render import MapUrls, render_map
from lowcode.spec.layerkinds import BUILTIN_LAYER_KINDS, layer_kinds, reload_layer_kinds, resolve
from lowcode.spec.loader import LoadedApp
from lowcode.spec.maps import LayerSpec

LoadApp = Callable[..., LoadedApp]

KIND = """
    from lowcode.spec.layerkinds import LayerKind


    def is_gpx(layer):
        return layer.table is None and layer.file is not None and layer.file.lower().endswith(".gpx")


    GPX = LayerKind("gpx", is_gpx, check="gpx_layers.check:check_gpx_layer", engine="gpx_layers.engine:GPX_ENGINE")
"""
CHECK = """
    from lowcode.spec.maps import check_data_file


    def check_gpx_layer(app, layer, path, bounds, ctx):
        check_data_file(layer.file, (".gpx",), (*path, "file"), ctx)
"""
ENGINE = """
    import re
    from pathlib import Path

    import folium

    from lowcode.maps.layers import LayerEngine

    POINT = re.compile(r'<trkpt lat="([-0-9.]+)" lon="([-0-9.]+)"')


    class GpxEngine(LayerEngine):
        def add_to(self, fmap, draw):
            text = (Path(draw.app_dir) / draw.layer.file).read_text(encoding="utf-8")
            points = [[float(lat), float(lon)] for lat, lon in POINT.findall(text)]
            style = draw.layer.style
            group = folium.FeatureGroup(name=draw.name, show=draw.layer.show).add_to(fmap)
            folium.PolyLine(points, color=style.color, weight=style.weight).add_to(group)

        def default_name(self, app, layer, lang):
            return Path(layer.file).stem + " (GPX)"

        def legend_items(self, app, layer, lang):
            return [{"label": "通学路" if lang == "ja" else "School route", "color": self.color(layer)}]

        def color(self, layer):
            return layer.style.color


    GPX_ENGINE = GpxEngine()
"""
WALK_GPX = (
    '<?xml version="1.0"?><gpx version="1.1"><trk><trkseg>'
    '<trkpt lat="36.5613" lon="136.6562"/><trkpt lat="36.5601" lon="136.6540"/></trkseg></trk></gpx>\n'
)
GPX_MAP = "maps:\n  m:\n    center: {lat: 36.56, lon: 136.65}\n    layers:\n      - {file: data/walk.gpx, style: {color: '#d33'}}\n"


@pytest.fixture
def gpx_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = write_distribution(
        tmp_path / "site", "gpx_layers",
        {"gpx_layers/__init__.py": KIND, "gpx_layers/check.py": CHECK, "gpx_layers/engine.py": ENGINE},
        {"lowcode.layer_kinds": {"gpx": "gpx_layers:GPX"}},
    )
    with installed(monkeypatch, site, ("gpx_layers",), (reload_layer_kinds,)):
        yield site


def codes(loaded: LoadedApp) -> list[str]:
    return [p.code for p in loaded.problems]


def assert_complete(name: str) -> None:
    """A registered kind has its keys on LayerSpec, a spec check and an engine half that draws."""
    kind = layer_kinds()[name]
    assert set(kind.own_keys) <= set(LayerSpec.model_fields), kind.own_keys
    assert callable(resolve(kind.check))
    engine = engine_of_kind(kind.engine)
    assert isinstance(engine, LayerEngine)
    assert type(engine).add_to is not LayerEngine.add_to  # the one method a kind must write


@pytest.mark.parametrize("kind", BUILTIN_LAYER_KINDS, ids=lambda kind: kind.name)
def test_every_builtin_kind_is_registered_on_both_halves(kind) -> None:
    assert layer_kinds()[kind.name] is kind
    assert_complete(kind.name)


def test_every_plug_in_kind_has_its_keys_check_and_renderer(gpx_plugin: Path) -> None:
    assert list(layer_kinds()) == ["gpx", "table", "file", "area"]
    for name in layer_kinds():
        assert_complete(name)


def test_without_the_package_a_gpx_file_is_refused(load_app: LoadApp) -> None:
    loaded = load_app(GPX_MAP, {"data/walk.gpx": WALK_GPX})
    assert codes(loaded) == ["E_MAP_FILE_TYPE"]


def test_a_plug_in_kind_is_recognised_checked_and_drawn(gpx_plugin: Path, load_app: LoadApp, urls: MapUrls) -> None:
    loaded = load_app(GPX_MAP + "    legend: true\n", {"data/walk.gpx": WALK_GPX})
    assert loaded.problems == [] and loaded.spec is not None
    assert loaded.spec.maps["m"].layers[0].kind == "gpx"
    page = render_map(loaded.spec, "m", app_dir=loaded.folder, lang="ja", urls=urls).page("map")
    assert "L.polyline(" in page and "[[36.5613, 136.6562], [36.5601, 136.654]]" in page
    assert "walk (GPX)" in page  # the layer switcher's entry, from the kind's engine half
    found = re.search(r"lowcodeMap\.legend\(\w+, (\[.*?\])\);", page)
    assert found is not None
    legend = json.loads(found.group(1))
    assert legend == [{"title": "", "items": [{"label": "通学路", "color": "#d33"}]}]  # the kind's legend entries


def test_a_plug_in_kind_s_check_runs(gpx_plugin: Path, load_app: LoadApp) -> None:
    loaded = load_app(GPX_MAP.replace("walk.gpx", "nowhere.gpx"))
    assert codes(loaded) == ["E_FILE_MISSING"]


def test_another_kind_s_key_on_a_plug_in_layer_is_named(gpx_plugin: Path, load_app: LoadApp) -> None:
    loaded = load_app(GPX_MAP.replace("style:", "color_by: theme, style:"), {"data/walk.gpx": WALK_GPX})
    [problem] = loaded.problems
    assert problem.code == "E_MAP_KIND_OPTION"
    assert problem.message("en") == "'color_by' applies only to table layers, and this layer is of the gpx kind."
    assert problem.message("ja") == "'color_by' は table のレイヤーにだけ使えます。このレイヤーは gpx のレイヤーです。"


def test_the_built_in_kinds_keep_their_own_codes_for_each_other(load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, label_property: name, lat: y}\n")
    assert codes(loaded) == ["E_MAP_FILE_OPTION", "E_MAP_FILE_OPTION"]


def test_a_plug_in_cannot_take_a_built_in_kind_s_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = KIND.replace('LayerKind("gpx"', 'LayerKind("table"')
    site = write_distribution(tmp_path / "site", "gpx_layers", {"gpx_layers/__init__.py": source}, {"lowcode.layer_kinds": {"gpx": "gpx_layers:GPX"}})
    with installed(monkeypatch, site, ("gpx_layers",), (reload_layer_kinds,)):
        assert layer_kinds()["table"] is BUILTIN_LAYER_KINDS[0]
        assert list(layer_kinds()) == ["table", "file", "area"]
