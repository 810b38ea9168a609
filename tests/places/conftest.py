"""Fixtures for the places tests: Kanazawa data files and a stub Nominatim server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, create_engine

from lowcode.geo.files import read_features
from lowcode.places.gazetteer import Gazetteer
from lowcode.spec.loader import LoadedApp, load_app_spec

DATA = Path(__file__).parent / "data"
TOWNS_CSV = DATA / "kanazawa_machi_chome_points_geolonia.csv"
AREAS_KML = DATA / "kanazawa_5374_area_2013_partial.kml"

# What the stub knows, in Nominatim's own JSON shapes (lat/lon as strings, as the real server sends them).
SEARCH_ANSWERS = {
    "金沢駅": {"lat": "36.5780", "lon": "136.6480", "display_name": "金沢駅, 木ノ新保町, 金沢市, 石川県, 日本"},
}
REVERSE_ANSWER = {
    "lat": "36.5607",
    "lon": "136.6578",
    "display_name": "広坂一丁目, 広坂, 金沢市, 石川県, 920-0962, 日本",
    "address": {"quarter": "広坂一丁目", "city": "金沢市", "province": "石川県", "country": "日本"},
}
SLOW_SECONDS = 1.0

# The app the spec and derive tests start from, as staff would write it; each test changes one thing.
HAZARDS_APP = """\
title: 通学路の危険箇所
languages: [ja]
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town}
  online:
    domain: nominatim.city.example.jp
    user_agent: "kanazawa-hazards (gis@city.example.jp)"
areas:
  districts: {label: 地区, file: data/districts.kml}
  chokai_areas: {table: chokai}
tables:
  towns:
    fields:
      town: {type: text}
      kouka: {type: text}
  chokai:
    fields:
      name: {type: text}
      boundary: {type: area}
  hazards:
    fields:
      title: {type: text, required: true}
      location: {type: location}
      town: {type: text, derive: {from: location, nearest_town: true}}
      kouka: {type: text, derive: {from: town, lookup: towns}}
      district: {type: text, derive: {from: location, area: districts}}
      chokai: {type: text, derive: {from: location, area: chokai_areas}}
"""


@dataclass
class StubNominatim:
    """The running stub: `domain` for the answering server, `slow_domain` and `broken_domain` for the failures."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def slow_domain(self) -> str:
        return f"127.0.0.1:{self.port}/slow"

    @property
    def broken_domain(self) -> str:
        return f"127.0.0.1:{self.port}/broken"

    def searches(self) -> list[str]:
        return [r["q"] for r in self.requests if r["path"] == "/search"]


def make_handler(stub: StubNominatim) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(url.query).items()}
            stub.requests.append({"path": url.path, "user_agent": self.headers.get("User-Agent"), **params})
            if url.path.startswith("/slow"):
                time.sleep(SLOW_SECONDS)
            if url.path.startswith("/broken"):
                self.reply(500, {"error": "internal server error"})
            elif url.path.endswith("/reverse"):
                self.reply(200, REVERSE_ANSWER if params.get("lat") else {"error": "Unable to geocode"})
            else:
                answer = SEARCH_ANSWERS.get(params.get("q", ""))
                self.reply(200, [answer] if answer else [])

        def reply(self, status: int, body: Any) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def nominatim() -> Iterator[StubNominatim]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    stub = StubNominatim(server.server_address[1])
    server.RequestHandlerClass = make_handler(stub)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def engine(database: str) -> Iterator[Engine]:
    """An engine on SQLite and, when reachable, on PostgreSQL (the `database` fixture of tests/conftest.py)."""
    engine = create_engine(database)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_features(read_features(TOWNS_CSV), "town", city="石川県金沢市")


@pytest.fixture(scope="session")
def towns_csv() -> Path:
    return TOWNS_CSV


@pytest.fixture(scope="session")
def areas_kml() -> Path:
    return AREAS_KML


@pytest.fixture
def hazards_yaml() -> str:
    return HAZARDS_APP


@pytest.fixture
def load_yaml_app(tmp_path: Path) -> Callable[..., LoadedApp]:
    """Write `yaml` as apps/hazards/app.yaml (with the Kanazawa data files unless data=False) and load it."""

    def make(yaml: str, *, data: bool = True) -> LoadedApp:
        folder = tmp_path / "hazards"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        if data:
            (folder / "data" / "towns.csv").write_bytes(TOWNS_CSV.read_bytes())
            (folder / "data" / "districts.kml").write_bytes(AREAS_KML.read_bytes())
        (folder / "app.yaml").write_text(yaml, encoding="utf-8")
        return load_app_spec(folder, display_root=tmp_path)

    return make
