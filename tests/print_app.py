"""The app the printable-map tests share: a moderated hazard table (public and non-public statuses, a private and a
staff field, resident text with markup), a school table, and a district file layer.

Used by tests/maps/test_map_print.py and tests/browser/test_map_print_pdf.py. `basemap: none` keeps the browser's
pages inside the app (no tile server).
"""
from __future__ import annotations

PRINT_APP = """
title: {ja: 通学路の安全マップ, en: Safe school routes}
languages: [ja, en]
basemap: none
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Title}}
      theme:
        type: choice
        label: {ja: 分類, en: Theme}
        choices:
          - {key: traffic, label: {ja: 交通安全, en: Traffic}, color: "#d62728"}
          - {key: crime, label: {ja: 防犯, en: Crime}, color: "#1f77b4"}
      status:
        type: choice
        label: {ja: 状況, en: Status}
        choices:
          - {key: received, label: {ja: 受付, en: Received}}
          - {key: published, label: {ja: 公開, en: Published}, public: true}
          - {key: hidden, label: {ja: 非表示, en: Hidden}}
      place: {type: location, label: {ja: 場所, en: Place}, public_precision_m: 0}
      note: {type: textarea, visibility: staff, label: {ja: 職員メモ, en: Staff note}}
      email: {type: email, visibility: private, label: {ja: メール, en: Email}}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published}
        - {from: [received, published], to: hidden}
    seed: {file: data/hazards.csv}
  schools:
    label: {ja: 小学校, en: Schools}
    fields:
      name: {type: text, required: true, label: {ja: 学校名, en: School}}
      spot: {type: location, label: {ja: 所在地, en: Location}, public_precision_m: 0}
    seed: {file: data/schools.csv}
forms:
  report: {table: hazards, fields: [title, theme, place, email]}
maps:
  routes:
    title: {ja: 通学路の危険箇所マップ, en: School-route hazard map}
    layers:
      - {table: hazards, label: {ja: 危険箇所, en: Hazards}, color_by: theme, popup: [title, theme, status]}
      - {table: schools, label: {ja: 小学校, en: Schools}, popup: [name], show: false}
      - file: data/districts.geojson
        label: {ja: 校区, en: School districts}
        attribution: {ja: 校区データ:金沢市, en: "Districts: Kanazawa City"}
"""
# North to south: Crossing (36.60), <script> (36.58), Dark lane (36.56); Received and Hidden rows are not public.
HAZARDS_CSV = """\
title,theme,status,lat,lon,note,email
Dark lane,crime,published,36.56,136.65,secret note,a@example.jp
Crossing,traffic,published,36.60,136.62,,b@example.jp
<script>alert(1)</script>,crime,published,36.58,136.70,,
Not yet checked,traffic,received,36.59,136.64,,c@example.jp
Taken down,crime,hidden,36.57,136.66,,
"""
SCHOOLS_CSV = """\
name,lat,lon
Midori Elementary,36.57,136.59
"""
DISTRICTS = """{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "North"},
 "geometry": {"type": "Polygon", "coordinates": [[[136.60, 36.55], [136.72, 36.55], [136.72, 36.62], [136.60, 36.62], [136.60, 36.55]]]}}]}
"""
PRINT_FILES = {"data/hazards.csv": HAZARDS_CSV, "data/schools.csv": SCHOOLS_CSV, "data/districts.geojson": DISTRICTS}
PRINT_URL = "/demo/maps/routes/print"
