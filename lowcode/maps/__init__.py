"""Maps: folium rendering, local assets, the GeoJSON API helpers and the location picker.

Import the submodules you need; this package itself imports nothing heavy, because the spec registers the map
entries of its problem catalogue from `messages`. Geometry (files, bounds, the service area) lives in lowcode/geo.
"""
