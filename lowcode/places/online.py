"""The online geocoder: geopy's Nominatim client, at any domain (the public one or the city's own server).

Every geopy failure becomes one GeocodeUnavailable with a plain reason, so a form never shows a stack trace
and never loses the hand-placed pin. No retries: a resident waiting on a form is better served by
"place the pin by hand" after `timeout` seconds than by three attempts.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from geopy.adapters import BaseAdapter, RequestsAdapter, URLLibAdapter
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQuotaExceeded,
    GeocoderTimedOut,
    GeopyError,
)
from geopy.geocoders import Nominatim

from .base import GeocodeResult, GeocodeUnavailable, Reason
from .ratelimit import DEFAULT_MAX_WAIT, MemorySlots, SlotStore, limit_rate

PROCESS_SLOTS = MemorySlots()  # without a shared store, geocoders of one process at least share this one

# Nominatim's address parts from the most to the least local: the first one present names the town.
TOWN_KEYS = ("quarter", "neighbourhood", "suburb", "city_block", "hamlet", "village", "town", "city_district", "city")


class NominatimGeocoder:
    """Nominatim through geopy, with a rate limit shared through `slots` (the public server allows one request a
    second per installation: pass FileSlots or RedisSlots so that every worker counts against the same limit)."""

    source = "nominatim"

    def __init__(
        self,
        *,
        user_agent: str,
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        timeout: float = 5.0,
        min_delay_seconds: float = 1.0,
        country_codes: str | None = "jp",
        language: str = "ja",
        bbox: tuple[float, float, float, float] | None = None,
        slots: SlotStore | None = None,
        max_wait: float = DEFAULT_MAX_WAIT,
    ) -> None:
        client = Nominatim(
            user_agent=user_agent, domain=domain, scheme=scheme, timeout=timeout, adapter_factory=adapter_without_retries()
        )
        shared = slots if slots is not None else PROCESS_SLOTS
        # One key per server: two apps asking the same Nominatim share its limit.
        self._geocode = limit_rate(client.geocode, shared, f"{scheme}-{domain}", min_delay_seconds, max_wait)
        self._reverse = limit_rate(client.reverse, shared, f"{scheme}-{domain}", min_delay_seconds, max_wait)
        self._language = language
        self._search_options = search_options(country_codes, bbox)

    def geocode(self, address: str) -> GeocodeResult | None:
        with unavailable_on_error():
            location = self._geocode(address, language=self._language, **self._search_options)
        if location is None:
            return None
        return GeocodeResult(location.longitude, location.latitude, location.address, self.source)

    def reverse(self, lon: float, lat: float) -> str | None:
        with unavailable_on_error():
            location = self._reverse((lat, lon), language=self._language)
        if location is None:
            return None
        return town_name(location.raw) or location.address


def search_options(country_codes: str | None, bbox: tuple[float, float, float, float] | None) -> dict[str, Any]:
    """Keep answers inside the country and, when the app has a service area, inside its box."""
    options: dict[str, Any] = {"country_codes": country_codes} if country_codes else {}
    if bbox is not None:
        west, south, east, north = bbox
        options |= {"viewbox": [(south, west), (north, east)], "bounded": True}
    return options


def adapter_without_retries() -> Callable[..., BaseAdapter]:
    """requests (kept-alive connections) when installed, else the standard library; never a silent retry."""
    factory: Callable[..., BaseAdapter] = URLLibAdapter
    if RequestsAdapter.is_available:
        factory = partial(RequestsAdapter, max_retries=0)
    return factory


def town_name(raw: dict[str, Any]) -> str | None:
    """The most local named part of a Nominatim reverse answer, e.g. 広坂一丁目."""
    address = raw.get("address") or {}
    return next((address[key] for key in TOWN_KEYS if address.get(key)), None)


@contextmanager
def unavailable_on_error() -> Iterator[None]:
    try:
        yield
    except GeopyError as exc:
        raise GeocodeUnavailable(reason_for(exc), str(exc)) from exc


def reason_for(exc: GeopyError) -> Reason:
    if isinstance(exc, GeocoderTimedOut):
        return "timeout"
    if isinstance(exc, (GeocoderQuotaExceeded, GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges)):
        return "refused"
    return "unavailable"
