"""JSON endpoints the form's map picker and postal-code box call: geocode, reverse geocode, postal code lookup."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from ..places.base import GeocodeUnavailable
from ..places.postal import lookup_postal_code
from ..runtime import AppRuntime
from ..values import InvalidValue, parse_location
from .context import current_lang

MAX_QUERY = 200
BBox = tuple[float, float, float, float]
# Points a little outside the service area still get a town name (a resident near the city line); points far
# away are refused, so random points cannot fill the cache or spend the online service's requests.
REVERSE_MARGIN_DEG = 0.1  # about 10 km
JAPAN_BBOX: BBox = (122.0, 20.0, 154.0, 46.0)


def add_places_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/api/geocode")
    def geocode() -> ResponseReturnValue:
        query = request.args.get("q", "").strip()[:MAX_QUERY]
        if runtime.geocoder is None:
            return error(gettext("Address search is not available for this service."), 404)
        if not query:
            return error(gettext("Please type an address or a place name."), 400)
        try:
            found = runtime.geocoder.geocode(query)
        except GeocodeUnavailable as exc:
            return unavailable(exc)
        if found is None:
            return error(gettext("No place was found. Try a town name, or set the place on the map by hand."), 404)
        return jsonify(lon=found.lon, lat=found.lat, name=found.name, source=found.source)

    @bp.get("/api/reverse")
    def reverse() -> ResponseReturnValue:
        try:
            point = parse_location(request.args.get("lon"), request.args.get("lat"))
        except InvalidValue:
            point = None
        if point is None:
            return error(gettext("Please give the place as lon and lat numbers."), 400)
        if runtime.geocoder is None:
            return error(gettext("Address search is not available for this service."), 404)
        if not inside(point, reverse_bounds(runtime)):
            return error(gettext("This place is outside the area this service covers."), 400)
        try:
            name = runtime.geocoder.reverse(*point)
        except GeocodeUnavailable as exc:
            return unavailable(exc)
        return jsonify(name=name) if name else error(gettext("No town name is known for this place."), 404)

    @bp.get("/api/postal")
    def postal() -> ResponseReturnValue:
        found = lookup_postal_code(request.args.get("code", "")[:20])
        if found is None:
            return error(gettext("This postal code is not known. Please enter the address yourself."), 404)
        return jsonify(found.as_dict())


def error(message: str, status: int) -> tuple[Any, int]:
    return jsonify(error=message), status


def unavailable(exc: GeocodeUnavailable) -> ResponseReturnValue:
    """503 with the resident's sentence; when the service is only busy, say when to try again."""
    headers = {"Retry-After": "2"} if exc.reason == "busy" else {}
    return jsonify(error=exc.message(current_lang(), words=gettext)), 503, headers


def reverse_bounds(runtime: AppRuntime) -> BBox:
    """Where reverse geocoding is answered: the service area's box widened by a margin, else Japan."""
    area = runtime.spec.service_area
    if area is None or area.bbox is None:
        return JAPAN_BBOX
    west, south, east, north = area.bbox
    return west - REVERSE_MARGIN_DEG, south - REVERSE_MARGIN_DEG, east + REVERSE_MARGIN_DEG, north + REVERSE_MARGIN_DEG


def inside(point: tuple[float, float], bbox: BBox) -> bool:
    lon, lat = point
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north
