"""Turn an app's `geocoder:` spec into one Geocoder: gazetteer first, then the (cached) online service."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from lowcode.geo.files import read_features
from lowcode.spec.places import GazetteerSpec, GeocoderSpec, OnlineGeocoderSpec

from .base import Geocoder, GeocodeResult, GeocodeUnavailable
from .cache import CachedGeocoder, GeocodeCache
from .gazetteer import Gazetteer
from .online import NominatimGeocoder
from .providers import build_provider
from .ratelimit import SlotStore

T = TypeVar("T")
BBox = tuple[float, float, float, float]


class ChainGeocoder:
    """Ask each geocoder in turn; the first answer wins.

    When a later one is down and no earlier one knew the place, its GeocodeUnavailable is raised, so the
    resident hears "search is down" rather than "no such address".
    """

    def __init__(self, geocoders: Sequence[Geocoder]) -> None:
        self.geocoders = list(geocoders)

    def geocode(self, address: str) -> GeocodeResult | None:
        return self._first(lambda g: g.geocode(address))

    def reverse(self, lon: float, lat: float) -> str | None:
        return self._first(lambda g: g.reverse(lon, lat))

    def _first(self, ask: Callable[[Geocoder], T | None]) -> T | None:
        failure: GeocodeUnavailable | None = None
        for geocoder in self.geocoders:
            try:
                answer = ask(geocoder)
            except GeocodeUnavailable as exc:
                failure = failure or exc
                continue
            if answer is not None:
                return answer
        if failure is not None:
            raise failure
        return None


def build_geocoder(
    spec: GeocoderSpec,
    app_dir: Path | str,
    *,
    cache: GeocodeCache | None = None,
    app: str = "app",
    bbox: BBox | None = None,
    slots: SlotStore | None = None,
) -> ChainGeocoder:
    """The app's geocoder. `cache` keeps online answers under `app`; `bbox` (the service area) bounds online searches;
    `slots` shares the online service's rate limit between workers."""
    geocoders: list[Geocoder] = []
    if spec.gazetteer is not None:
        geocoders.append(load_gazetteer(spec.gazetteer, Path(app_dir), spec.city))
    geocoders.extend(build_provider(name, settings, Path(app_dir)) for name, settings in spec.providers.items())
    if spec.online is not None:
        online: Geocoder = build_online_geocoder(spec.online, bbox, slots)
        if cache is not None and spec.cache:
            online = CachedGeocoder(online, cache, app, city=spec.city)
        geocoders.append(online)
    return ChainGeocoder(geocoders)


def load_gazetteer(spec: GazetteerSpec, app_dir: Path, city: str | None = None) -> Gazetteer:
    features = read_features(app_dir / spec.file, lat=spec.lat, lon=spec.lon, encoding=spec.encoding)
    return Gazetteer.from_features(features, spec.name, city=city, max_distance_m=spec.reverse_max_distance_m)


def build_online_geocoder(spec: OnlineGeocoderSpec, bbox: BBox | None = None, slots: SlotStore | None = None) -> NominatimGeocoder:
    return NominatimGeocoder(
        user_agent=spec.user_agent,
        domain=spec.domain,
        scheme=spec.scheme,
        timeout=spec.timeout,
        min_delay_seconds=spec.min_delay_seconds,
        country_codes=spec.country_codes,
        language=spec.language,
        bbox=bbox,
        slots=slots,
    )
