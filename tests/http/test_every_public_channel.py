"""Every public channel, walked with private values planted: none of them reaches a stranger (issue 8).

An app with every field type, private and staff fields holding unique values, a private `title_field` on a table
nothing refers to, rows hidden by `where:`, a closed place, a staff-only photo and residents' exact points is
walked page by page (tests/http/public_crawl.py): every link and form from `/` and `/demo/`, every route with every
name and id, every list with each filter, sort and search, every GeoJSON layer with every field asked for, every
stored photo. No planted value, hidden row, private photo or reference number (受付番号) may appear in any body or
header. Then the same walk over both sample apps with planted rows. On SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from public_crawl import Walk, row_links, walk_public_channels

from lowcode.app import create_app
from lowcode.audience import PUBLIC, Role, TablePermission, snap_to_grid, staff_audience
from lowcode.maps.geojson import QueryError, parse_feature_query
from lowcode.spec.fieldtypes import is_sortable
from lowcode.tracking import TRACK_COLUMN, new_token

MakeApp = Callable[..., Flask]
ROOT = Path(__file__).resolve().parents[2]

APP = """\
title: {ja: 全チャネル, en: Every channel}
tables:
  places:
    title_field: name
    fields:
      name: {type: text, label: {ja: 場所名, en: Place}}
      closed: {type: boolean}
  reports:
    title_field: title
    fields:
      title: {type: text, required: true, reading: title_kana}
      title_kana: {type: text, visibility: private}
      body: {type: textarea}
      count: {type: integer}
      ratio: {type: number}
      urgent: {type: boolean}
      seen_on: {type: date}
      seen_at: {type: datetime}
      kind: {type: choice, choices: [road, park]}
      tags: {type: multichoice, choices: [dark, narrow]}
      place: {type: reference, to: places}
      spot: {type: location}
      photo: {type: image}
      link: {type: url}
      status: {type: choice, choices: [new, checked]}
      email: {type: email, visibility: private}
      phone: {type: phone, visibility: private}
      zip: {type: postal_code, visibility: private}
      home: {type: location, visibility: private}
      boundary: {type: area, visibility: private}
      name: {type: text, visibility: private}
      born_on: {type: date, visibility: private}
      age: {type: integer, visibility: private}
      weight: {type: number, visibility: staff}
      site: {type: url, visibility: private}
      secret_kind: {type: choice, visibility: private, choices: [pvkinda, pvkindb]}
      secret_tags: {type: multichoice, visibility: staff, choices: [pvtaga, pvtagb]}
      flagged: {type: boolean, visibility: staff}
      called_at: {type: datetime, visibility: staff}
      staff_note: {type: textarea, visibility: staff}
      staff_photo: {type: image, visibility: staff}
      office: {type: reference, to: places, visibility: staff}
  households:
    title_field: head
    fields:
      head: {type: text, visibility: private}
      size: {type: integer, required: true}  # the walk's empty POST stores nothing (a new row's number is shown)
      sighting: {type: reference, to: sightings}
  sightings:
    title_field: what
    fields:
      what: {type: text, required: true}
      spot: {type: location}
      photo: {type: image}
      state: {type: choice, choices: [{key: waiting}, {key: shown, public: true}]}
    workflow: {field: state, initial: waiting, transitions: [{from: waiting, to: shown, roles: [admin]}]}
forms:
  report:
    table: reports
    fields: [title, body, count, ratio, urgent, seen_on, seen_at, kind, tags, place, spot, photo, link,
             email, phone, zip, home, name, born_on, age, site]
  triage: {table: reports, access: staff}
  sight: {table: sightings}
  household: {table: households, fields: [size, sighting]}
lists:
  reports:
    table: reports
    where: {status: checked}
    columns: [title, kind, place, seen_on, photo]
    search: [title, body]
    filters: [kind, urgent, seen_on, place, tags]
  places: {table: places, where: {closed: false}}
  households: {table: households}
  sightings: {table: sightings, columns: [what, photo, spot], search: [what]}
maps:
  reports:
    layers:
      - {table: reports, field: spot, where: {status: checked}, popup: [title, kind, place], tooltip: title, color_by: kind}
      - {table: sightings, field: spot, popup: [what, photo], tooltip: what}
"""

VISIBLE_PHOTO, HIDDEN_PHOTO, STAFF_PHOTO = "a" * 32 + ".jpg", "b" * 32 + ".jpg", "c" * 32 + ".jpg"
WAITING_PHOTO, WAITING_SPOT = "d" * 32 + ".jpg", (136.671234, 36.581234)  # a sighting its workflow has not published
SPOT, HIDDEN_SPOT, HOME = (136.654321, 36.567891), (136.660123, 36.570456), (136.111111, 36.222222)
def dates(year: int, month: int, day: int) -> list[str]:
    """The ways a day may be written on a page (the stored UTC day of a date-time, or the next day in Japan)."""
    return [f"{year}-{month:02d}-{d:02d}" for d in (day, day + 1)] + [f"{year}年{month}月{d}日" for d in (day, day + 1)] + [
        f"{year}/{month:02d}/{d:02d}" for d in (day, day + 1)]


PRIVATE = {  # the visible row's private and staff values, and how each may be written on a page
    "title_kana": ("ひみつのよみ", ["ひみつのよみ", "ヒミツノヨミ"]),
    "email": ("pv-mail-7f3a@example.jp", ["pv-mail-7f3a"]),
    "phone": ("0769998877", ["0769998877", "076-999-8877"]),
    "zip": ("929-7788", ["929-7788", "9297788"]),
    "home": (HOME, ["136.1111", "36.2222"]),
    "boundary": ({"type": "Polygon", "coordinates": [[[135.987654, 36.1], [135.99, 36.1], [135.99, 36.2],
                                                      [135.987654, 36.1]]]}, ["135.987654", "135.9876"]),
    "name": ("PV-NAME-a1b2", ["PV-NAME-a1b2"]),
    "born_on": (dt.date(1987, 6, 5), dates(1987, 6, 5)),
    "age": (7346519, ["7346519", "7,346,519"]),
    "weight": (4242.4242, ["4242.4", "4,242"]),
    "site": ("https://pv-site-c3d4.example.jp/", ["pv-site-c3d4"]),
    "secret_kind": ("pvkinda", ["pvkind"]),
    "secret_tags": (["pvtaga"], ["pvtag"]),
    "flagged": (True, []),
    "called_at": (dt.datetime(1979, 3, 4, 5, 6), dates(1979, 3, 4)),
    "staff_note": ("STAFF-NOTE-e5f6", ["STAFF-NOTE-e5f6"]),
    "staff_photo": (STAFF_PHOTO, [STAFF_PHOTO[:32]]),
}
HIDDEN = ["HIDDEN-ROW-5c1d", "HIDDEN-BODY-5c1d", HIDDEN_PHOTO[:32], "CLOSED-PLACE-9e2b", "PRIVATE-HEAD-31c9",
          "136.654321", "36.567891", "136.660123", "36.570456",  # hidden rows, closed place, private title, exact points
          "WAITING-SIGHT-7a2e", WAITING_PHOTO[:32], "136.671234", "36.581234"]  # a row in a status that is not public


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def insert(flask_app: Flask, table: str, app_name: str = "demo", **values: Any) -> tuple[int, str]:
    state = flask_app.extensions["lowcode"]
    store = state.runtimes[app_name].stores[table]
    with flask_app.app_context(), state.db.engine.begin() as conn:
        return store.insert(conn, values)


def all_rows(flask_app: Flask, app_name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context(), state.db.engine.connect() as conn:
        for name, store in state.runtimes[app_name].stores.items():
            for row in conn.execute(store.table.select()).mappings():
                yield name, store.to_record(row)


def route_names(flask_app: Flask, app_name: str, newest: int = 5) -> dict[str, list[str]]:
    """Every value each route argument can take in the app, hidden and staff ones included (of long seeded
    tables, the `newest` rows: the planted ones are the newest)."""
    spec = flask_app.extensions["lowcode"].runtimes[app_name].spec
    rows = [(t, row) for t, row in all_rows(flask_app, app_name)]
    rows = [(t, row) for t, row in rows if row["id"] > max(r["id"] for n, r in rows if n == t) - newest]
    photos = [str(row[n]) for t, row in rows for n, f in spec.tables[t].fields.items() if f.type == "image" and row.get(n)]
    return {
        "list_name": list(spec.lists), "form_name": list(spec.forms), "map_name": list(spec.maps),
        "table": list(spec.tables), "row_id": sorted({str(row["id"]) for _, row in rows}),
        "ref": [row["ref"] for _, row in rows], "filename": photos,
    }


def channel_urls(flask_app: Flask, app_name: str, values: dict[str, Any]) -> list[str]:
    """Asking for non-public fields by hand: GeoJSON fields, locations and filters, list filters, sorts, searches."""
    spec = flask_app.extensions["lowcode"].runtimes[app_name].spec
    urls = []
    for table_name, table in spec.tables.items():
        api = f"/{app_name}/api/{table_name}.geojson"
        layers = [f"map={m}&layer={i}" for m, s in spec.maps.items() for i, layer in enumerate(s.layers)
                  if layer.table == table_name]
        for name in table.fields:
            for layer in ["", *layers]:
                urls += [f"{api}?{layer}&fields={name}", f"{api}?{layer}&location={name}", f"{api}?{layer}&{name}=1"]
        urls += [f"{api}?{layer}" for layer in layers] + [f"{api}?{layer}&bbox=-180,-90,180,90" for layer in layers]
    for list_name, lst in spec.lists.items():
        page = f"/{app_name}/lists/{list_name}"
        for name in spec.tables[lst.table].fields:
            urls += [f"{page}?sort={name}", f"{page}?sort=-{name}", f"{page}?{name}=1", f"{page}?{name}_from=1900-01-01"]
        urls += [f"{page}?q={word}" for word in values.get("search", [])]
    return urls


def assert_nothing_leaks(walk: Walk, markers: list[str]) -> None:
    json_forms = [json.dumps(m)[1:-1] for m in markers]
    leaks = walk.leaks([*markers, *json_forms])
    assert not leaks, f"{len(leaks)} leaks, e.g. {leaks[:10]}"
    assert len(walk.pages) > 50  # the walk did reach the app
    assert [url for url, (status, _, _) in walk.pages.items() if status >= 500] == []  # and never broke it


# --- an app with every field type -------------------------------------------------------------------------------


@pytest.fixture
def planted(make_app: MakeApp) -> Flask:
    flask_app = make_app(APP)
    open_place, _ = insert(flask_app, "places", name="長町", closed=False)
    closed, _ = insert(flask_app, "places", name="CLOSED-PLACE-9e2b", closed=True)
    private: dict[str, Any] = {name: value for name, (value, _) in PRIVATE.items()}
    insert(flask_app, "reports", title="Visible crossing", body="visible body", count=3, ratio=1.5, urgent=True,
           seen_on=dt.date(2026, 11, 2), seen_at=dt.datetime(2026, 11, 2, 8, 30), kind="road", tags=["dark"], place=closed, spot=SPOT,
           photo=VISIBLE_PHOTO, link="https://example.jp/", status="checked", office=open_place, **private)
    insert(flask_app, "reports", title="Visible second", kind="park", place=open_place, status="checked", age=5,
           weight=1.0, secret_kind="pvkindb", spot=(136.65, 36.56))
    insert(flask_app, "reports", title="HIDDEN-ROW-5c1d", body="HIDDEN-BODY-5c1d", status="new", photo=HIDDEN_PHOTO,
           spot=HIDDEN_SPOT)
    insert(flask_app, "sightings", what="Shown sighting", state="shown", spot=(136.64, 36.55))
    waiting, _ = insert(flask_app, "sightings", what="WAITING-SIGHT-7a2e", state="waiting", spot=WAITING_SPOT,
                        photo=WAITING_PHOTO)
    insert(flask_app, "households", head="PRIVATE-HEAD-31c9", size=3, sighting=waiting)
    folder = Path(flask_app.config["UPLOAD_FOLDER"]) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    for name in (VISIBLE_PHOTO, HIDDEN_PHOTO, STAFF_PHOTO, WAITING_PHOTO):
        (folder / name).write_bytes(jpeg())
    return flask_app


def markers_of(flask_app: Flask, app_name: str = "demo") -> list[str]:
    refs = [row["ref"] for _, row in all_rows(flask_app, app_name)]
    snapped = [str(c) for c in (*snap_to_grid(HIDDEN_SPOT, 100), *snap_to_grid(WAITING_SPOT, 100))]
    return [*[m for _, forms in PRIVATE.values() for m in forms], *HIDDEN, *refs, *snapped]


def test_no_public_channel_gives_away_a_planted_value(planted: Flask) -> None:
    words = ["ひみつのよみ", "ひみつ", "PV-NAME", "pv-mail", "STAFF-NOTE", "HIDDEN-ROW", "HIDDEN-BODY", "CLOSED-PLACE"]
    extra = channel_urls(planted, "demo", {"search": words})
    walk = walk_public_channels(planted, "demo", route_names(planted, "demo"), extra)

    assert_nothing_leaks(walk, markers_of(planted))
    assert walk.status(f"/demo/uploads/{VISIBLE_PHOTO}") == 200  # the walk can see photos at all
    assert walk.status(f"/demo/uploads/{STAFF_PHOTO}") == 404
    assert walk.status(f"/demo/uploads/{HIDDEN_PHOTO}") == 404  # a public field, but its row is hidden
    assert walk.status(f"/demo/uploads/{WAITING_PHOTO}") == 404  # its row's workflow status is not public
    # The workflow's public status does reach the list, the map layer and a form's reference options.
    assert [url for url, (_, body, _) in walk.pages.items() if "Shown sighting" in body]


def test_no_public_channel_gives_away_a_private_link(planted: Flask) -> None:
    """Residents' private links (issue 9): one resident's link opens their page; no channel, theirs included,
    shows another row's token or any stored digest."""
    tokens = [new_token() for _ in range(2)]
    state = planted.extensions["lowcode"]
    for (_, digest), title in zip(tokens, ("Visible tracked", "HIDDEN-ROW-tracked"), strict=True):
        with planted.app_context(), state.db.engine.begin() as conn:
            state.runtimes["demo"].stores["reports"].insert(conn, {"title": title, "status": "new"}, {TRACK_COLUMN: digest})
    (mine, _), (theirs, _) = tokens
    names = {**route_names(planted, "demo"), "token": [mine]}
    walk = walk_public_channels(planted, "demo", names, channel_urls(planted, "demo", {}))

    assert walk.status(f"/demo/track/{mine}") == 200
    assert_nothing_leaks(walk, [mine, theirs, *(digest for _, digest in tokens)])


def test_a_photo_is_served_only_when_its_row_is_public_too(planted: Flask) -> None:
    client = planted.test_client()

    for name, status in ((VISIBLE_PHOTO, 200), (HIDDEN_PHOTO, 404), (STAFF_PHOTO, 404)):
        response = client.get(f"/demo/uploads/{name}")
        response.close()
        assert response.status_code == status, name


def test_private_values_find_no_row_and_private_sorts_and_filters_change_nothing(planted: Flask) -> None:
    client = planted.test_client()

    def shown(query: str = "") -> list[str]:
        return row_links(client.get(f"/demo/lists/reports{query}").get_data(as_text=True), "demo", "reports")

    default = shown()
    assert len(default) == 2 and shown("?q=Visible") == default  # two public rows, found by a public word
    for word in ["ひみつのよみ", "ヒミツノヨミ", "PV-NAME-a1b2", "pv-mail-7f3a", "STAFF-NOTE-e5f6", "0769998877"]:
        assert shown(f"?q={word}") == [], word  # a private reading of a public title included
    for name in ["age", "weight", "secret_kind", "born_on", "called_at", "email"]:
        assert shown(f"?sort={name}") == shown(f"?sort=-{name}") == default, name
    for query in ["?secret_kind=pvkinda", "?secret_kind=pvkindb", "?flagged=false", "?age=5", "?born_on_from=2000-01-01"]:
        assert shown(query) == default, query


def test_geojson_answers_rows_by_the_audiences_rule(planted: Flask) -> None:
    client = planted.test_client()
    layer = client.get("/demo/api/reports.geojson?map=reports&layer=0").get_json(force=True)

    assert [f["properties"]["title"] for f in layer["features"]] == ["Visible crossing", "Visible second"]
    assert client.get("/demo/api/reports.geojson").status_code == 400  # the layer's where: is needed
    app = planted.extensions["lowcode"].runtimes["demo"].spec
    school = staff_audience(app, Role("school", tables=(("reports", TablePermission(scope_field="kind")),)), "park")
    query = parse_feature_query(app, "reports", {"map": ["reports"], "layer": ["0"], "fields": ["title,staff_note"]}, school)
    rows = [{"id": 1, "kind": "road", "status": "checked", "spot": SPOT}, {"id": 2, "kind": "park", "status": "checked", "spot": SPOT}]
    assert query.rows == ({"kind": "park"},) and [r["id"] for r in rows if query.matches(r)] == [2]
    with pytest.raises(QueryError):  # the public may not ask for a staff field; the role may
        parse_feature_query(app, "reports", {"map": ["reports"], "layer": ["0"], "fields": ["title,staff_note"]})


# --- the sample apps, with planted rows -------------------------------------------------------------------------


def plant_value(kind: str, index: int, filename: str) -> tuple[Any, list[str]]:
    """A value for a non-public field of type `kind`, and how it may be written on a page."""
    tag = f"pv{index:03d}x"
    simple: dict[str, tuple[Any, list[str]]] = {
        "text": (f"{tag}t", [f"{tag}t"]), "textarea": (f"{tag}a", [f"{tag}a"]),
        "email": (f"{tag}@example.jp", [f"{tag}@"]), "url": (f"https://{tag}.example.jp/", [f"{tag}.example"]),
        "phone": (f"0{7000000000 + index}", [f"0{7000000000 + index}"]), "postal_code": (f"9{index:02d}-4321", [f"9{index:02d}-4321"]),
        "integer": (8130000 + index, [str(8130000 + index), f"{8130000 + index:,}"]),
        "number": (8140000.5 + index, [str(8140000 + index), f"{8140000 + index:,}"]),
        "date": (dt.date(1971, 2, 3), dates(1971, 2, 3)), "datetime": (dt.datetime(1972, 3, 4, 5, 6), dates(1972, 3, 4)),
        "location": ((135.123 + index / 1000, 35.321), [f"{135.123 + index / 1000:.3f}"]),
        "area": ({"type": "Point", "coordinates": [135.4567, 35.4567]}, ["135.4567"]),
        "image": (filename, [filename[:32]]),
    }
    return simple.get(kind, (None, []))


def plant_private_rows(flask_app: Flask, app_name: str) -> list[str]:
    """One row per table with every non-public field filled; the markers to look for."""
    runtime = flask_app.extensions["lowcode"].runtimes[app_name]
    folder = Path(flask_app.config["UPLOAD_FOLDER"]) / app_name
    folder.mkdir(parents=True, exist_ok=True)
    markers: list[str] = []
    index = 0
    for table_name, table in runtime.spec.tables.items():
        values: dict[str, Any] = {}
        for name, field in table.fields.items():
            if PUBLIC.can_see_field(table, name) or field.type in ("choice", "multichoice", "boolean", "reference"):
                continue
            index += 1
            filename = f"{index:032x}.jpg"
            value, forms = plant_value(field.type, index, filename)
            if value is None:
                continue
            values[name] = value
            markers += forms
            if field.type == "image":
                (folder / filename).write_bytes(jpeg())
        if values:
            insert(flask_app, table_name, app_name, **values)
    return markers + [row["ref"] for _, row in all_rows(flask_app, app_name)]


@pytest.mark.parametrize("sample", ["safe_school_routes", "neighbourhood_matching"])
def test_no_public_channel_of_a_sample_app_gives_away_a_planted_value(sample: str, tmp_path: Path, database: str) -> None:
    shutil.copytree(ROOT / "apps" / sample, tmp_path / "apps" / sample)
    flask_app = create_app(tmp_path / "apps" / sample, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                        "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    try:
        markers = plant_private_rows(flask_app, sample)
        assert len(markers) > 5
        walk = walk_public_channels(flask_app, sample, route_names(flask_app, sample), channel_urls(flask_app, sample, {}))
        assert_nothing_leaks(walk, markers)
    finally:
        with flask_app.app_context():
            flask_app.extensions["lowcode"].db.engine.dispose()


def test_a_list_is_not_sorted_by_a_multichoice_and_yaml_may_not_ask_it(planted: Flask) -> None:
    """A multichoice is a JSON list: PostgreSQL cannot order it (`?sort=tags` answered 500 there)."""
    response = planted.test_client().get("/demo/lists/reports?sort=tags")

    assert response.status_code == 200 and "Visible crossing" in response.get_data(as_text=True)
    assert not is_sortable("multichoice") and is_sortable("choice") and not is_sortable("location")
