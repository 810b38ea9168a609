"""What every geocoder returns and raises, so forms handle the gazetteer, Nominatim and a cache alike."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Reason = Literal["timeout", "unavailable", "refused", "busy"]

# Shown to residents as is: what happened and what they can still do. Every form keeps the map usable.
UNAVAILABLE_MESSAGES: dict[Reason, dict[str, str]] = {
    "timeout": {
        "en": "The address search did not answer in time. Please place the pin on the map by hand.",
        "ja": "住所検索から時間内に応答がありませんでした。地図をクリックしてピンを置いてください。",
    },
    "unavailable": {
        "en": "The address search is not available right now. Please place the pin on the map by hand.",
        "ja": "住所検索は現在使えません。地図をクリックしてピンを置いてください。",
    },
    "refused": {
        "en": "The address search refused the request (too many searches). Please place the pin on the map by hand.",
        "ja": "住所検索が要求を受け付けませんでした(検索が多すぎます)。地図をクリックしてピンを置いてください。",
    },
    "busy": {
        "en": "The address search is busy. Please try again in a few seconds, or place the pin on the map by hand.",
        "ja": "住所検索が混み合っています。数秒おいてもう一度試すか、地図をクリックしてピンを置いてください。",
    },
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

    def message(self, lang: str = "en") -> str:
        texts = UNAVAILABLE_MESSAGES[self.reason]
        return texts.get(lang, texts["en"])


class Geocoder(Protocol):
    """Addresses to points and points to place names; `None` means "not found", never "service down"."""

    def geocode(self, address: str) -> GeocodeResult | None:
        """The point of `address`, or None; raises GeocodeUnavailable when the service cannot answer."""
        ...

    def reverse(self, lon: float, lat: float) -> str | None:
        """The name of the place at (lon, lat), or None; raises GeocodeUnavailable when the service cannot answer."""
        ...
