"""The small app of the staff matching page's tests (tests/matching/, tests/browser/): requests, helpers, roles."""
from __future__ import annotations

YAML = """
title: Matching
roles:
  admin: {all: true}
  office: {tables: {requests: [view], helpers: [view]}}
  north: {tables: {requests: [view], helpers: [view]}, scope: {requests: ward}}
  desk: {tables: {requests: [view]}}
tables:
  requests:
    label: {en: Requests, ja: 依頼}
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      ward: {type: text, label: {en: Ward, ja: 地区}}
      kinds: {type: multichoice, label: {en: Kinds, ja: 分野}, choices: [{key: snow, label: {en: Snow clearing, ja: 除雪}}, {key: festival, label: {en: Festivals, ja: 祭り}}, {key: digital, label: {en: Digital help, ja: デジタル}}]}
      place: {type: location, label: {en: Place, ja: 場所}}
      people: {type: integer, label: {en: People, ja: 人数}}
      state: {type: choice, label: {en: State, ja: 状態}, choices: [{key: open, label: {en: Open, ja: 募集中}}, {key: done, label: {en: Done, ja: 終了}}]}
  helpers:
    label: {en: Helpers, ja: 助っ人}
    title_field: name
    fields:
      name: {type: text, required: true, label: {en: Name, ja: 名前}}
      kinds: {type: multichoice, label: {en: Kinds, ja: 分野}, choices: [{key: snow, label: {en: Snow clearing, ja: 除雪}}, {key: festival, label: {en: Festivals, ja: 祭り}}, {key: digital, label: {en: Digital help, ja: デジタル}}]}
      home: {type: location, label: {en: Home, ja: 拠点}}
      people: {type: integer, label: {en: People, ja: 人数}}
      phone: {type: phone, visibility: private, label: {en: Phone, ja: 電話}}
      active: {type: choice, label: {en: Active, ja: 活動中}, choices: [{key: "yes", label: {en: "Yes", ja: はい}}, {key: "no", label: {en: "No", ja: いいえ}}]}
matching:
  pairs:
    title: {en: Helpers for requests, ja: 依頼に合う助っ人}
    requests: requests
    helpers: helpers
    requests_where: {state: open}
    helpers_where: {active: "yes"}
    top: 2
    criteria:
      - {kind: category, request_field: kinds, helper_field: kinds, weight: 3}
      - {kind: distance, request_field: place, helper_field: home, max_km: 10, weight: 2}
      - {kind: capacity, request_field: people, helper_field: people, weight: 1}
"""
PASSWORD = "correct horse battery"
A, B = (136.65, 36.56), (136.70, 36.60)
REQUESTS = [
    {"title": "Snow at North school", "ward": "North", "kinds": ["snow"], "place": A, "people": 3, "state": "open"},
    {"title": "South festival", "ward": "South", "kinds": ["festival"], "place": B, "people": 2, "state": "open"},
    {"title": "North tablets", "ward": "North", "kinds": ["digital"], "place": (138.5, 37.5), "people": 1, "state": "open"},
    {"title": "Old snow job", "ward": "North", "kinds": ["snow"], "place": A, "people": 1, "state": "done"},
]
HELPERS = [
    {"name": "Snow team", "kinds": ["snow"], "home": (136.651, 36.561), "people": 5, "phone": "090-1111-2222", "active": "yes"},
    {"name": "Shovel <b>club</b>", "kinds": ["snow", "festival"], "home": (136.68, 36.56), "people": 2, "phone": "090-3333-4444", "active": "yes"},
    {"name": "Far snow crew", "kinds": ["snow"], "home": (137.5, 37.0), "people": 9, "phone": "090-5555-6666", "active": "yes"},
    {"name": "Retired shovels", "kinds": ["snow"], "home": A, "people": 9, "phone": "090-7777-8888", "active": "no"},
    {"name": "Festival folk", "kinds": ["festival"], "home": B, "people": 2, "phone": "090-9999-0000", "active": "yes"},
]
