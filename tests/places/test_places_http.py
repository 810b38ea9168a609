"""The places features as a resident meets them: address search, reverse geocoding, postal codes, derived fields."""
from __future__ import annotations

from pathlib import Path

from flask import Flask
from support import csrf_token

DATA = Path(__file__).parent / "data"
TOWNS = (DATA / "kanazawa_machi_chome_points_geolonia.csv").read_text(encoding="utf-8")
AREAS = (DATA / "kanazawa_5374_area_2013_partial.kml").read_text(encoding="utf-8")

YAML = """
title: {ja: 場所のテスト, en: Places test}
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town, lat: lat, lon: lon}
areas:
  zones: {file: data/areas.kml, name_property: name}
tables:
  spots:
    fields:
      title: {type: text, required: true}
      place: {type: location}
      town: {type: text, derive: {from: place, nearest_town: true}}
      zone: {type: text, derive: {from: place, area: zones}}
      zip: {type: postal_code, fills: address}
      address: {type: text}
forms:
  add: {table: spots}
lists:
  spots: {table: spots, columns: [title, town, zone]}
"""


def places_app(make_app) -> Flask:  # type: ignore[no-untyped-def]
    return make_app(YAML, files={"data/towns.csv": TOWNS, "data/areas.kml": AREAS})


def test_address_search_finds_a_town_written_differently(make_app) -> None:  # type: ignore[no-untyped-def]
    client = places_app(make_app).test_client()
    found = client.get("/demo/api/geocode", query_string={"q": "金沢市広坂１丁目"})
    assert found.status_code == 200
    assert found.json["name"] == "広坂一丁目"
    assert abs(found.json["lon"] - 136.6578) < 1e-4 and abs(found.json["lat"] - 36.560745) < 1e-4


def test_address_search_says_plainly_when_nothing_is_found(make_app) -> None:  # type: ignore[no-untyped-def]
    client = places_app(make_app).test_client()
    missing = client.get("/demo/api/geocode", query_string={"q": "存在しない町", "lang": "en"})
    assert missing.status_code == 404
    assert missing.json["error"].startswith("No place was found")
    empty = client.get("/demo/api/geocode?q=")
    assert empty.status_code == 400 and empty.json["error"]


def test_reverse_geocoding_names_the_nearest_town(make_app) -> None:  # type: ignore[no-untyped-def]
    client = places_app(make_app).test_client()
    assert client.get("/demo/api/reverse?lon=136.6578&lat=36.5607").json == {"name": "広坂一丁目"}
    assert client.get("/demo/api/reverse?lon=east&lat=36.5").status_code == 400


def test_postal_code_lookup_is_offline(make_app) -> None:  # type: ignore[no-untyped-def]
    client = places_app(make_app).test_client()
    found = client.get("/demo/api/postal", query_string={"code": "〒９２０－０９６２"})
    assert found.status_code == 200
    assert found.json["address"].startswith("石川県金沢市広坂")
    assert client.get("/demo/api/postal?code=0000000").status_code == 404


def test_postal_code_field_names_the_field_it_fills(make_app) -> None:  # type: ignore[no-untyped-def]
    html = places_app(make_app).test_client().get("/demo/forms/add").get_data(as_text=True)
    assert 'data-fills="address"' in html and 'data-postal-url="/demo/api/postal"' in html


def test_saving_a_point_fills_the_derived_town_and_zone(make_app) -> None:  # type: ignore[no-untyped-def]
    client = places_app(make_app).test_client()
    token = csrf_token(client, "/demo/forms/add")
    # A point inside the 2013 polygon of 金石 (approximate, hand-drawn data) near 金石 towns.
    sent = client.post("/demo/forms/add", data={"csrf_token": token, "title": "金石の交差点",
                                                   "place_lat": "36.6040", "place_lon": "136.5990"})
    assert sent.status_code == 303
    listing = client.get("/demo/lists/spots").get_data(as_text=True)
    assert "金石" in listing.split("金石の交差点", 1)[1]
    assert ">金石</td>" in listing  # a cell of its own (cells carry their column as data-label)


def test_derived_fields_are_not_form_inputs(make_app) -> None:  # type: ignore[no-untyped-def]
    html = places_app(make_app).test_client().get("/demo/forms/add").get_data(as_text=True)
    assert 'name="town"' not in html and 'name="zone"' not in html


ONLINE_YAML = """
title: {ja: 場所のテスト, en: Places test}
geocoder:
  online: {domain: "DOMAIN", scheme: http, user_agent: "lowcode-tests", timeout: 0.3, min_delay_seconds: 0}
tables:
  spots:
    fields:
      title: {type: text, required: true}
      place: {type: location, required: true}
forms:
  add: {table: spots}
lists:
  spots: {table: spots, columns: [title]}
"""


def test_an_online_geocoder_that_answers_is_used_and_cached(make_app, nominatim) -> None:  # type: ignore[no-untyped-def]
    client = make_app(ONLINE_YAML.replace("DOMAIN", nominatim.domain)).test_client()
    for _ in range(2):
        found = client.get("/demo/api/geocode", query_string={"q": "金沢駅"})
        assert found.status_code == 200 and abs(found.json["lat"] - 36.578) < 1e-6
    assert nominatim.searches().count("金沢駅") == 1, "a repeated address must come from the database cache"


def test_a_slow_geocoder_gives_a_message_and_the_pin_still_works(make_app, nominatim) -> None:  # type: ignore[no-untyped-def]
    client = make_app(ONLINE_YAML.replace("DOMAIN", nominatim.slow_domain)).test_client()
    answer = client.get("/demo/api/geocode", query_string={"q": "金沢駅", "lang": "en"})
    assert answer.status_code == 503
    assert answer.json["error"] == "The address search did not answer in time. Please place the pin on the map by hand."
    token = csrf_token(client, "/demo/forms/add")
    sent = client.post("/demo/forms/add", data={"csrf_token": token, "title": "手で置いた", "place_lat": "36.5780", "place_lon": "136.6480"})
    assert sent.status_code == 303


def test_a_broken_geocoder_says_so_in_japanese(make_app, nominatim) -> None:  # type: ignore[no-untyped-def]
    client = make_app(ONLINE_YAML.replace("DOMAIN", nominatim.broken_domain)).test_client()
    answer = client.get("/demo/api/geocode", query_string={"q": "金沢駅"})
    assert answer.status_code == 503
    assert "地図" in answer.json["error"]
