"""The app the `area` field tests share: staff draw 町会 areas in a staff form; residents' reports derive the 町会.

Used by tests/http/test_area_fields.py and tests/browser/test_area_drawing.py. `basemap: none` keeps the
browser test's pages inside the app (no tile server).
"""
from __future__ import annotations

AREA_APP = """
title: {ja: 町会の区域, en: Neighbourhood areas}
languages: [ja, en]
basemap: none
service_area:
  name: {ja: 金沢市, en: Kanazawa}
  bbox: [136.60, 36.50, 136.72, 36.62]
areas:
  chokai_areas:
    label: {ja: 町会, en: Neighbourhood association}
    table: chokai
roles:
  clerk:
    tables: {chokai: [create, view], reports: [create, view]}
tables:
  chokai:
    label: {ja: 町会, en: Neighbourhood associations}
    fields:
      name: {type: text, required: true, label: {ja: 町会名, en: Name}}
      boundary: {type: area, required: true, label: {ja: 区域, en: Boundary}}
  reports:
    label: {ja: 通報, en: Reports}
    fields:
      what: {type: text, required: true, label: {ja: 内容, en: What}}
      spot: {type: location, required: true, label: {ja: 場所, en: Spot}}
      chokai: {type: text, derive: {from: spot, area: chokai_areas}, label: {ja: 町会, en: Association}}
forms:
  draw_area: {table: chokai, access: staff, title: {ja: 町会の区域を描く, en: Draw an association's area}}
  report: {table: reports, fields: [what, spot]}
"""
# A square of about 900 m around Kanazawa's city hall, drawn corner by corner (GeoJSON order: lon, lat).
SQUARE = [[136.650, 36.555], [136.660, 36.555], [136.660, 36.565], [136.650, 36.565], [136.650, 36.555]]
INSIDE = (136.655, 36.560)  # (lon, lat) of a point in SQUARE
