"""The offline geocoder: a list of place names with points (e.g. a city's 町丁目), searched without a network.

Forward: the longest gazetteer name the normalised address starts with (「広坂1丁目1-1」 → 広坂一丁目), the way
Japanese address normalisers work, because every address begins with its town. Reverse: the nearest named
point, which is what a resident needs to confirm a pin ("近くの町名: 広坂一丁目"), not a legal boundary.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import shapely

from lowcode.geo.shapes import representative_point

from .base import GeocodeResult
from .normalise import chome_variants, normalise_address

METRES_PER_DEGREE = 111_320.0
MIN_MATCH_LENGTH = 2  # a one-character match is more likely chance than a town


@dataclass(frozen=True)
class Place:
    name: str
    lon: float
    lat: float


class Gazetteer:
    """Name → point and point → nearest name, from an in-memory list of places."""

    source = "gazetteer"

    def __init__(self, places: Sequence[Place], *, city: str | None = None, max_distance_m: float = 2000.0) -> None:
        self.city = city
        self._by_key = index_places(places, city)
        self._longest = max((len(key) for key in self._by_key), default=0)
        self._nearest = NearestPlaces(places, max_distance_m)

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]], name: str, **options: Any) -> Gazetteer:
        return cls(places_from_features(features, name), **options)

    def __len__(self) -> int:
        return len(self._by_key)

    def geocode(self, address: str) -> GeocodeResult | None:
        place = self.find(address)
        return GeocodeResult(place.lon, place.lat, place.name, self.source) if place else None

    def find(self, address: str) -> Place | None:
        """The place whose name is the longest start of `address` under every reading of it."""
        best: tuple[int, Place] | None = None
        for variant in chome_variants(normalise_address(address, self.city)):
            match = self._longest_prefix(variant)
            if match and (best is None or match[0] > best[0]):
                best = match
        return best[1] if best else None

    def _longest_prefix(self, text: str) -> tuple[int, Place] | None:
        for length in range(min(len(text), self._longest), MIN_MATCH_LENGTH - 1, -1):
            place = self._by_key.get(text[:length])
            if place is not None:
                return length, place
        return None

    def reverse(self, lon: float, lat: float) -> str | None:
        return self._nearest.name_near(lon, lat)


def index_places(places: Iterable[Place], city: str | None) -> dict[str, Place]:
    """Normalised name → place; the first row of a name wins (Geolonia lists the town itself before its 小字)."""
    index: dict[str, Place] = {}
    for place in places:
        index.setdefault(normalise_address(place.name, city), place)
    return index


def places_from_features(features: Iterable[dict[str, Any]], name: str) -> list[Place]:
    """Places from GeoJSON features: points as they are, areas by a point inside them."""
    places = []
    for feature in features:
        label = str(feature.get("properties", {}).get(name) or "").strip()
        point = representative_point(feature.get("geometry"))
        if label and point:
            places.append(Place(label, *point))
    return places


class NearestPlaces:
    """Nearest named point through an STRtree, on coordinates scaled so a degree of longitude is as long as one of latitude."""

    def __init__(self, places: Sequence[Place], max_distance_m: float) -> None:
        self._names = [p.name for p in places]
        self._cos = math.cos(math.radians(sum(p.lat for p in places) / len(places))) if places else 1.0
        self._tree = shapely.STRtree(shapely.points([(p.lon * self._cos, p.lat) for p in places])) if places else None
        self._max_degrees = max_distance_m / METRES_PER_DEGREE

    def name_near(self, lon: float, lat: float) -> str | None:
        if self._tree is None:
            return None
        hits = self._tree.query_nearest(shapely.Point(lon * self._cos, lat), max_distance=self._max_degrees)
        return self._names[int(hits[0])] if len(hits) else None
