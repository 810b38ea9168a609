"""Turn typed-in text into the value a field stores, the same way for forms, seed files, defaults and filters.

Pure functions: no web framework, no database. Each raises InvalidValue with a message key that the
forms translate for residents.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from .geo.drawn_area import AreaValueError, parse_area
from .spec.fieldtypes import field_kind

# Hyphen look-alikes people type in Japanese forms (full-width, katakana long vowel, minus signs).
HYPHENS = "‐‑‒–—―−ー－ｰ─━"
HYPHEN_TABLE = str.maketrans(dict.fromkeys(HYPHENS, "-"))  # made once: an import parses 100,000s of numbers
TRUE_WORDS = {"true", "yes", "on", "1", "はい", "y"}
FALSE_WORDS = {"false", "no", "off", "0", "いいえ", "n", ""}
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class InvalidValue(ValueError):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")


def strip_controls(raw: str) -> str:
    """Text without NUL and other control characters (PostgreSQL refuses NUL; nobody types them on purpose)."""
    return raw.translate(CONTROL_CHARACTERS)


def normalise_text(raw: str) -> str:
    """NFKC (full-width letters and digits become half-width) and trimmed."""
    return unicodedata.normalize("NFKC", strip_controls(raw)).strip()


def normalise_hyphens(raw: str) -> str:
    return raw.translate(HYPHEN_TABLE)


INTEGER_LIMIT = 2**63 - 1  # what every database stores in a BIGINT


def parse_integer(raw: str) -> int:
    try:
        value = int(raw)  # the common case at once: int() reads the same digits NFKC would give (full-width too)
    except (TypeError, ValueError):
        text = normalise_hyphens(normalise_text(raw)).replace(",", "")
        try:
            value = int(text)
        except ValueError:
            raise InvalidValue("not_integer") from None
    if abs(value) > INTEGER_LIMIT:
        raise InvalidValue("too_large", limit=INTEGER_LIMIT)
    return value


ROW_ID_LIMIT = 2**31 - 1  # row ids (and references to them) are INTEGER columns: PostgreSQL refuses larger ones


def parse_row_id(raw: str) -> int:
    """The id of a row, as a reference stores it; anything that cannot be one is `not_reference`."""
    try:
        value = parse_integer(raw)
    except InvalidValue:
        raise InvalidValue("not_reference") from None
    if not 1 <= value <= ROW_ID_LIMIT:
        raise InvalidValue("not_reference")
    return value


def parse_number(raw: str) -> float:
    try:
        return float(raw)  # the common case at once (an import reads 100,000s); float() takes full-width digits too
    except (TypeError, ValueError):
        pass
    text = normalise_hyphens(normalise_text(raw)).replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise InvalidValue("not_number") from None


def parse_boolean(raw: str) -> bool:
    text = normalise_text(str(raw)).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise InvalidValue("not_boolean")


def parse_date(raw: str) -> dt.date:
    text = normalise_hyphens(normalise_text(raw)).replace("/", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValue("not_date") from None


# Times typed without an offset (forms, seed files, defaults, filters) are the time of the city: Japan.
SERVICE_TIME_ZONE = ZoneInfo("Asia/Tokyo")


def parse_datetime(raw: str) -> dt.datetime:
    """The stored value: naive UTC, like created_at. `10:00` is 10:00 in Japan; `23:30+09:00` keeps its offset."""
    text = normalise_hyphens(normalise_text(raw)).replace("/", "-")
    try:
        return to_stored_datetime(dt.datetime.fromisoformat(text))
    except ValueError:
        raise InvalidValue("not_datetime") from None


def to_stored_datetime(value: dt.datetime) -> dt.datetime:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=SERVICE_TIME_ZONE)
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_local_datetime(stored: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) value as the city's time, with its offset."""
    return stored.replace(tzinfo=dt.UTC).astimezone(SERVICE_TIME_ZONE)


def day_start(day: dt.date) -> dt.datetime:
    """The stored value of midnight at the start of `day` in the city: where a date filter on a datetime begins."""
    return to_stored_datetime(dt.datetime.combine(day, dt.time()))


def parse_email(raw: str) -> str:
    text = normalise_text(raw).replace("＠", "@")
    if not EMAIL_RE.match(text):
        raise InvalidValue("not_email")
    return text


def parse_phone(raw: str) -> str:
    """Japanese numbers: 10 or 11 digits starting with 0; hyphens kept where given, spaces and brackets dropped."""
    text = normalise_hyphens(normalise_text(raw))
    text = re.sub(r"[\s()]", "-", text).strip("-")
    text = re.sub(r"-+", "-", text)
    digits = text.replace("-", "")
    if not digits.isdigit() or not digits.startswith("0") or len(digits) not in (10, 11):
        raise InvalidValue("not_phone")
    return text


def parse_postal_code(raw: str) -> str:
    """〒920-0962, ９２００９６２ and 920 0962 all become 920-0962."""
    text = normalise_hyphens(normalise_text(raw)).lstrip("〒").strip()
    digits = re.sub(r"[\s-]", "", text)
    if not (digits.isdigit() and len(digits) == 7):
        raise InvalidValue("not_postal_code")
    return f"{digits[:3]}-{digits[3:]}"


def parse_url(raw: str) -> str:
    text = normalise_text(raw)
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidValue("not_url")
    return text


def parse_text(raw: str) -> str:
    # Keep the resident's characters as typed (no NFKC: names may use full-width on purpose); only trim.
    return strip_controls(str(raw)).strip()


PARSERS: dict[str, Callable[[str], Any]] = {
    "text": parse_text,
    "textarea": parse_text,
    "integer": parse_integer,
    "number": parse_number,
    "boolean": parse_boolean,
    "date": parse_date,
    "datetime": parse_datetime,
    "email": parse_email,
    "phone": parse_phone,
    "postal_code": parse_postal_code,
    "url": parse_url,
    "choice": parse_text,
    "reference": parse_row_id,
}


def parse_scalar(field_type: str, raw: Any) -> Any:
    """The stored value for one typed-in scalar; None for an empty input."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    parser = PARSERS.get(field_type) or _plugin_parser(field_type)
    if parser is None:
        return raw
    return parser(str(raw))


def _plugin_parser(field_type: str) -> Callable[[str], Any] | None:
    kind = field_kind(field_type)
    return kind.parse_text if kind is not None else None


def parse_location(lon: Any, lat: Any) -> tuple[float, float] | None:
    """(lon, lat) in GeoJSON order; None when both are empty."""
    if (lon is None or str(lon).strip() == "") and (lat is None or str(lat).strip() == ""):
        return None
    try:
        lon_f, lat_f = parse_number(str(lon)), parse_number(str(lat))
    except InvalidValue:
        raise InvalidValue("not_location") from None
    if abs(lat_f) > 90 and abs(lon_f) <= 90:
        raise InvalidValue("swapped_location")  # 136.65 typed as the latitude: the two boxes were mixed up
    if not (-180 <= lon_f <= 180 and -90 <= lat_f <= 90):
        raise InvalidValue("not_location")
    return lon_f, lat_f


def parse_field_text(field_type: str, raw: Any) -> Any:
    """The stored value of a field from text in a seed file, a default or a filter (no web framework needed)."""
    special = TEXT_PARSERS.get(field_type)
    return special(raw) if special is not None else parse_scalar(field_type, raw)


def _optional_text(raw: Any) -> str | None:
    return None if raw is None or str(raw).strip() == "" else strip_controls(str(raw)).strip()


def _optional_boolean(raw: Any) -> bool | None:
    return None if raw is None or str(raw).strip() == "" else parse_boolean(str(raw))


def _choice_list(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return [part.strip() for part in strip_controls(str(raw or "")).replace("、", ",").split(",") if part.strip()]


def _point(raw: Any) -> tuple[float, float] | None:
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        return parse_location(raw[0], raw[1])
    return None


def _area(raw: Any) -> dict[str, Any] | None:
    """A drawn or pasted area: a Polygon or MultiPolygon (see lowcode.geo.drawn_area for what is refused)."""
    try:
        return parse_area(raw)
    except AreaValueError as exc:
        raise InvalidValue(exc.key, **exc.params) from None


TEXT_PARSERS: dict[str, Callable[[Any], Any]] = {
    "boolean": _optional_boolean,
    "choice": _optional_text,
    "multichoice": _choice_list,
    "location": _point,
    "image": _optional_text,
    "area": _area,
}
