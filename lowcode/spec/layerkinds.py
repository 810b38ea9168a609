"""The kinds of map layer (`table:` rows, `file:` features, …): each one's spec-side half (`LayerKind`), in one registry.

Pure, so a map can be checked without folium. A kind says how a `LayerSpec` is recognised as it, which of the layer's
keys are its own (written on a layer of another kind they are an error), and names as text ("module:function") the
spec check of such a layer and the engine half that draws it (a `lowcode.maps.layers.LayerEngine`), which only the
engine imports. The built-ins are declared below; another package adds a kind by naming a `LayerKind` in the
entry-point group `lowcode.layer_kinds` (see docs/architecture.md). Entry points are read once, when first asked.

A kind's keys are fields of `LayerSpec` (the one source of the YAML reference, the schema and the did-you-mean of a
misspelt key): a kind that needs keys no layer has yet adds them there; a kind that reads the existing keys
differently (a `.gpx` file drawn as a track) needs no change in lowcode/.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING, Any

from .entrypoints import load_plugins

if TYPE_CHECKING:
    from .maps import LayerSpec

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lowcode.layer_kinds"
# Reported for a key of one kind written on a layer of another, unless the owner names its own code for that kind.
OTHER_KIND_OPTION = "E_MAP_KIND_OPTION"


@dataclass(frozen=True)
class LayerKind:
    """What the spec knows of a layer kind. `check` is "module:function" taking (app, layer, path, bounds, ctx);
    `engine` is "module:name" of its `LayerEngine`; `option_codes` maps another kind's name to the problem code
    reported when one of this kind's `own_keys` is written on a layer of that kind."""

    name: str
    recognises: Callable[[LayerSpec], bool]
    check: str
    engine: str
    own_keys: tuple[str, ...] = ()
    option_codes: Mapping[str, str] = field(default_factory=dict)


def _is_table_layer(layer: LayerSpec) -> bool:
    return layer.table is not None and layer.file is None and layer.area is None


def _is_area_layer(layer: LayerSpec) -> bool:
    return layer.table is not None and layer.file is None and layer.area is not None


def _is_file_layer(layer: LayerSpec) -> bool:
    return layer.file is not None and layer.table is None


BUILTIN_LAYER_KINDS = (
    LayerKind(
        "table", _is_table_layer, "lowcode.spec.maps:check_table_layer", "lowcode.maps.render:TABLE_LAYER",
        own_keys=("field", "where", "cluster", "heatmap", "color_by", "print_related"), option_codes={"file": "E_MAP_TABLE_OPTION"},
    ),
    LayerKind(
        "file", _is_file_layer, "lowcode.spec.maps:check_file_layer", "lowcode.maps.render:FILE_LAYER",
        own_keys=("lat", "lon", "encoding", "style_by", "label_property"), option_codes={"table": "E_MAP_FILE_OPTION"},
    ),
    # A table's `area` polygons (issue 11, Q2): rows from the GeoJSON API like `table`, drawn and labelled like `file`.
    LayerKind(
        "area", _is_area_layer, "lowcode.spec.maps:check_area_layer", "lowcode.maps.area_layer:AREA_LAYER",
        own_keys=("area", "where", "color_by", "label_property"),
    ),
)


@cache
def layer_kinds() -> dict[str, LayerKind]:
    """Every kind by name: the plug-ins first (so one may claim a narrower case of a built-in's source, such as a
    `.gpx` file), then the built-ins; a plug-in cannot take a built-in's name."""
    builtin_names = {kind.name for kind in BUILTIN_LAYER_KINDS}
    kinds: dict[str, LayerKind] = {}
    for kind in load_plugins(ENTRY_POINT_GROUP, LayerKind):
        if kind.name in builtin_names or kind.name in kinds:
            log.warning("layer kind %r from a plug-in ignored: the name is taken", kind.name)
            continue
        kinds[kind.name] = kind
    return kinds | {kind.name: kind for kind in BUILTIN_LAYER_KINDS}


def reload_layer_kinds() -> None:
    """Read the entry points again (tests that install a plug-in; a server reads them once)."""
    layer_kinds.cache_clear()


def kind_of_layer(layer: LayerSpec) -> LayerKind | None:
    """The first kind that recognises the layer; None when none does (no source, or two)."""
    return next((kind for kind in layer_kinds().values() if kind.recognises(layer)), None)


def misplaced_options(layer: LayerSpec, kind: LayerKind) -> dict[str, tuple[str, LayerKind]]:
    """Each key the layer sets that belongs to another kind: key → (problem code, the kind it belongs to)."""
    found: dict[str, tuple[str, LayerKind]] = {}
    for other in layer_kinds().values():
        code = other.option_codes.get(kind.name, OTHER_KIND_OPTION)
        for key in other.own_keys:
            if key not in kind.own_keys and key in layer.model_fields_set:
                found.setdefault(key, (code, other))
    return found


def resolve(reference: str) -> Any:
    """The object a "module:name" reference names (a kind's check or engine half)."""
    module_name, _, attribute = reference.partition(":")
    try:
        return getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:  # a broken plug-in: say which reference, not only where it failed
        raise LookupError(f"the layer kind part {reference!r} cannot be loaded: {exc}") from exc
