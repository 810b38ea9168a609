"""Map pages, the GeoJSON API that feeds their table layers, and the location picker of forms."""
from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

from ..audience import PUBLIC
from ..maps.body_cache import BodyCache, CachedBody, budget_bytes
from ..maps.geojson import (
    MEDIA_TYPE,
    FeatureQuery,
    QueryError,
    Titles,
    encode_feature_collection,
    parse_feature_query,
    reference_properties,
)
from ..maps.picker import picker_assets, render_location_picker
from ..maps.render import MapHtml, MapUrls, render_map
from ..records import query_areas, query_points, query_titles, table_version, unseen_filter_rows
from ..runtime import AppRuntime
from ..security import with_nonce
from ..templating import app_template
from .context import current_lang, page_context
from .engine import database_engine
from .map_filters import MapFiltering, map_filtering

CACHE_EXTENSION = "lowcode_geojson_cache"


def geojson_cache() -> BodyCache:
    """This worker's GeoJSON bodies, shared by every app it serves, bounded by LOWCODE_GEOJSON_CACHE_MB (default 64)."""
    cache = current_app.extensions.get(CACHE_EXTENSION)
    if cache is None:
        setting = current_app.config.get("LOWCODE_GEOJSON_CACHE_MB", os.environ.get("LOWCODE_GEOJSON_CACHE_MB"))
        cache = current_app.extensions.setdefault(CACHE_EXTENSION, BodyCache(budget_bytes(setting)))
    return cache


def add_map_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    # Keyed on the chosen filter values too: only values that are options of their menus, so the keys are bounded.
    rendered: dict[tuple[str, str, tuple[tuple[str, str], ...]], MapHtml] = {}

    @bp.get("/maps/<map_name>")
    def map_page(map_name: str) -> ResponseReturnValue:
        spec = runtime.spec.maps.get(map_name)
        if spec is None:
            abort(404)
        lang = current_lang()
        filtering = map_filtering(runtime, spec, request.args, lang)
        key = (map_name, lang, tuple(sorted(filtering.chosen.items())))
        if key not in rendered:
            rendered[key] = render_map(
                runtime.spec, map_name, app_dir=runtime.folder, lang=lang, urls=map_urls(runtime, filtering), words=gettext
            )
        html = rendered[key]
        context = page_context(runtime, map_spec=spec, map_name=map_name, map_html=html,
                               map_head=with_nonce(html.head), map_body=with_nonce(html.body), map_script=Markup(html.script),
                               map_lists=lists_of_map(runtime, map_name), map_filtering=filtering,
                               print_url=url_for(f"{runtime.name}.map_print", map_name=map_name, **dict[str, Any](filtering.chosen)))
        return render_template(app_template(runtime.name, "map.html"), **context)

    @bp.get("/api/<table>.geojson")
    def geojson(table: str) -> ResponseReturnValue:
        if table not in runtime.spec.tables:
            abort(404)
        args = request.args.to_dict(flat=False)
        try:
            query = parse_feature_query(runtime.spec, table, args)
        except QueryError as exc:
            return jsonify(exc.as_json()), 400
        # Keyed on whatever the store's version() returns: any write the engine makes changes it; the tables its
        # references point to too (a 町会 renamed, or hidden, changes the titles of the popups and what
        # `?chokai=3` finds).
        fields = runtime.spec.tables[table].fields
        references = reference_properties(runtime.spec.tables[table], query.properties)
        filtered = [name for name in args if name in fields and fields[name].type == "reference" and fields[name].to]
        referred = sorted({str(fields[name].to) for name in [*references, *filtered]})
        key = (runtime.name, table, request.query_string,
               *(table_version(runtime, database_engine(), name) for name in [table, *referred]))
        cache = geojson_cache()
        cached = cache.get(key)
        if cached is None:  # the versions are read before the rows: a write in between gives the next request a new key
            query = public_feature_query(runtime, table, args)  # a filter by a hidden row now finds nothing
            rows = query_rows(runtime, query)
            titles = reference_titles_of(runtime, table, references, rows) if references else None
            cached = cache.put(key, encode_feature_collection(rows, query, titles))
        return geojson_response(cached)


def public_feature_query(runtime: AppRuntime, table: str, args: dict[str, list[str]]) -> FeatureQuery:
    """The GeoJSON API's reading of a request (QueryError when refused); a filter by a row the public may not see
    (`?school=<a closed school>`) finds what a filter by an id that does not exist finds: nothing."""
    unseen = unseen_filter_rows(runtime, database_engine(), table, args, PUBLIC)
    return parse_feature_query(runtime.spec, table, args, PUBLIC, unseen)


def map_urls(runtime: AppRuntime, filtering: MapFiltering | None = None) -> MapUrls:
    """`filtering`: the map page's chosen filter values, added to the GeoJSON address of each layer they narrow."""
    def narrowed(table: str) -> dict[str, str]:
        return filtering.params_for(runtime.spec.tables[table]) if filtering else {}

    return MapUrls(
        static=lambda path: url_for("static", filename=path),
        geojson=lambda table, params: geojson_url(runtime, table, {**params, **narrowed(table)}),
        detail=lambda table: detail_url_template(runtime, table),
    )


def geojson_url(runtime: AppRuntime, table: str, params: dict[str, Any]) -> str:
    return url_for(f"{runtime.name}.geojson", table=table, **params)


def detail_url_template(runtime: AppRuntime, table: str) -> str | None:
    """`/<app>/lists/<list>/{id}` for the first public list with detail pages of `table` (popups link there)."""
    for name, spec in runtime.spec.lists.items():
        if spec.table == table and spec.detail:
            return url_for(f"{runtime.name}.list_page", list_name=name) + "/{id}"
    return None


def lists_of_map(runtime: AppRuntime, map_name: str) -> list[tuple[str, str]]:
    """Lists of the tables a map draws: the keyboard- and screen-reader-friendly way to the same points."""
    tables = {layer.table for layer in runtime.spec.maps[map_name].layers if layer.table}
    lang = current_lang()
    return [
        (url_for(f"{runtime.name}.list_page", list_name=name), runtime.text(spec.title, lang, name))
        for name, spec in runtime.spec.lists.items() if spec.table in tables
    ]


def query_rows(runtime: AppRuntime, query: FeatureQuery) -> list[dict[str, Any]]:
    """The points (or an area layer's polygons) a GeoJSON request asks for, as the public may see them (the records
    layer builds the SQL)."""
    if query.is_area:
        return query_areas(runtime, database_engine(), query.table, query.location, query.properties,
                           conditions=query.conditions, bbox=query.bbox, audience=PUBLIC)
    return query_points(runtime, database_engine(), query.table, query.location, query.properties,
                        conditions=query.conditions, bbox=query.bbox, audience=PUBLIC)


TITLES_PER_QUERY = 1000  # rows (so at most as many ids) per SQL `IN (…)`: a large layer may point to tens of thousands of rows


def reference_titles_of(runtime: AppRuntime, table: str, names: list[str], rows: list[dict[str, Any]]) -> Titles:
    """The titles, as the public sees them (lowcode/references.py, the lists' rule), of the rows the reference
    fields `names` of these rows point to; a field whose rows are all hidden maps to nothing."""
    titles: Titles = {name: {} for name in names}
    for start in range(0, len(rows), TITLES_PER_QUERY):
        chunk = query_titles(runtime, database_engine(), table, names, rows[start:start + TITLES_PER_QUERY], PUBLIC)
        for name, found in chunk.items():
            titles[name].update(found)
    return titles


def geojson_response(cached: CachedBody) -> Response:
    """The body gzipped or not; each representation has its own ETag, and a matching If-None-Match gets 304."""
    gzipped = "gzip" in request.accept_encodings
    etag = cached.gzip_etag if gzipped else cached.etag
    if any(request.if_none_match.contains_raw(tag) for tag in (cached.etag, cached.gzip_etag)):
        response = Response(status=304)  # either representation's tag names this version of the data
    elif gzipped:
        response = Response(cached.gzipped, mimetype=MEDIA_TYPE)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(cached.body, mimetype=MEDIA_TYPE)
    response.headers["ETag"] = etag
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "no-cache"  # revalidate with the ETag: a new report shows at once
    return response


def location_picker(runtime: AppRuntime, name: str, field: Any, label: str, error: str | None, help_text: str) -> Markup:
    data = field.data if field.data else ("", "")
    has_geocoder = runtime.geocoder is not None
    return render_location_picker(
        name, None, label=label, lang=current_lang(), basemap=runtime.spec.basemap,
        geocode_url=url_for(f"{runtime.name}.geocode") if has_geocoder else None,
        reverse_url=url_for(f"{runtime.name}.reverse") if has_geocoder else None,
        area=runtime.spec.service_area, app_dir=runtime.folder, typed=(str(data[1]), str(data[0])),
        error=error, help_text=help_text or None, required=False, words=gettext,
    )


def form_picker_assets() -> Markup:
    return with_nonce(picker_assets(lambda path: url_for("static", filename=path)))

