"""Maps: folium rendering, local assets, the GeoJSON API helpers and the location picker.

Import the submodules you need; this package itself imports nothing heavy, because the spec checks use `area`.
"""
