"""Messages residents see when a value is refused; translated by Flask-Babel."""
from __future__ import annotations

from typing import Any

from flask_babel import get_locale, gettext, lazy_gettext

from .spec.fieldtypes import kind_message

VALUE_MESSAGES = {
    "required": lazy_gettext("Please fill in this field."),
    "required_check": lazy_gettext("Please tick this box to continue."),
    "required_choice": lazy_gettext("Please choose one."),
    "not_integer": lazy_gettext("Please enter a whole number, e.g. 12."),
    "not_number": lazy_gettext("Please enter a number, e.g. 1.5."),
    "not_boolean": lazy_gettext("Please answer yes or no."),
    "not_date": lazy_gettext("Please enter a date as YYYY-MM-DD, e.g. 2026-04-01."),
    "not_datetime": lazy_gettext("Please enter a date and time, e.g. 2026-04-01 08:30."),
    "not_email": lazy_gettext("Please enter an email address like name@example.jp."),
    "not_phone": lazy_gettext("Please enter a phone number with 10 or 11 digits, e.g. 076-220-2111."),
    "not_postal_code": lazy_gettext("Please enter a postal code with 7 digits, e.g. 920-8577."),
    "not_url": lazy_gettext("Please enter a web address starting with https://."),
    "not_location": lazy_gettext("Please set the place on the map, or enter latitude and longitude as numbers."),
    "not_choice": lazy_gettext("Please choose one of the options."),
    "not_reference": lazy_gettext("Please choose one of the options."),
    "not_image": lazy_gettext("Please choose a photo in JPEG, PNG, WebP or GIF format."),
    "outside_area": lazy_gettext("This place is outside the area this service covers."),
    "not_area": lazy_gettext("Please draw the area on the map, or enter a GeoJSON Polygon or MultiPolygon."),
    "area_empty": lazy_gettext("The area encloses nothing. Please draw at least three points that are not on one line."),
    "area_crosses_itself": lazy_gettext("The outline of the area crosses itself. Please move the points so that no two edges cross."),
    "area_out_of_range": lazy_gettext(
        "A point of the area is not a position on the globe (longitude -180 to 180, latitude -90 to 90)."
    ),
}


def value_message(key: str, **params: Any) -> str:
    """The resident-facing message for a refused value, with its numbers filled in."""
    templates = {
        "too_small": lambda: gettext("Please enter %(limit)s or more.", limit=params.get("limit")),
        "too_large": lambda: gettext("Please enter %(limit)s or less.", limit=params.get("limit")),
        "too_early": lambda: gettext("Please enter %(limit)s or later.", limit=params.get("limit")),
        "too_late": lambda: gettext("Please enter %(limit)s or earlier.", limit=params.get("limit")),
        "too_short": lambda: gettext("Please enter at least %(limit)s characters.", limit=params.get("limit")),
        "too_long": lambda: gettext("Please enter at most %(limit)s characters.", limit=params.get("limit")),
        "too_few": lambda: gettext("Please choose at least %(limit)s.", limit=params.get("limit")),
        "too_many": lambda: gettext("Please choose at most %(limit)s.", limit=params.get("limit")),
        "too_big_file": lambda: gettext("The photo is larger than %(limit)s MB.", limit=params.get("limit")),
        "too_many_pixels": lambda: gettext(
            "The photo has too many pixels (at most %(limit)s megapixels). Please send a smaller photo.",
            limit=params.get("limit"),
        ),
        "area_too_many_points": lambda: gettext(
            "The area has more than %(limit)s points. Please simplify the outline.", limit=params.get("limit")
        ),
        "not_unique": lambda: gettext("This value is already registered."),
    }
    if key in templates:
        return templates[key]()
    if key == "swapped_location":
        from .maps.picker import location_message  # the picker's own wording, so both checks say the same

        return location_message("E_LOCATION_SWAPPED", str(get_locale()), words=gettext)
    if key not in VALUE_MESSAGES:  # a plug-in type's own wording (its `FieldKind.messages`)
        worded = kind_message(key, str(get_locale()))
        if worded is not None:
            return worded
    return str(VALUE_MESSAGES.get(key, VALUE_MESSAGES["required"]))
