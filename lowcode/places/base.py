"""What every geocoder returns and raises, so forms handle the gazetteer, Nominatim and a cache alike."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from ..words import N_, Translate, words_for

Reason = Literal["timeout", "unavailable", "refused", "busy"]

# Shown to residents: what happened and what they can still do (every form keeps the map usable). Msgids of the
# Babel catalogue, translated by the `words` the caller passes.
UNAVAILABLE_MESSAGES: dict[Reason, str] = {
    "timeout": N_("The address search did not answer in time. Please place the pin on the map by hand."),
    "unavailable": N_("The address search is not available right now. Please place the pin on the map by hand."),
    "refused": N_(
        "The address search refused the request (too many searches). Please place the pin on the map by hand."
    ),
    "busy": N_("The address search is busy. Please try again in a few seconds, or place the pin on the map by hand."),
}


@dataclass(frozen=True)
class GeocodeResult:
    """A point found for an address; `name` is the place as the source writes it (show it for confirmation)."""

    lon: float
    lat: float
    name: str
    source: str


class GeocodeUnavailable(Exception):
    """The geocoding service could not answer; the form shows `message(lang)` and keeps the map usable."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason: Reason = reason
        self.detail = detail

    def message(self, lang: str = "en", *, words: Translate | None = None) -> str:
        """What to tell the resident, translated by `words` (the engine passes Flask-Babel's), else in `lang`."""
        return (words or words_for(lang))(UNAVAILABLE_MESSAGES[self.reason])


class Geocoder(Protocol):
    """Addresses to points and points to place names; `None` means "not found", never "service down"."""

    def geocode(self, address: str) -> GeocodeResult | None:
        """The point of `address`, or None; raises GeocodeUnavailable when the service cannot answer."""
        ...

    def reverse(self, lon: float, lat: float) -> str | None:
        """The name of the place at (lon, lat), or None; raises GeocodeUnavailable when the service cannot answer."""
        ...
