"""Geometry in one place, below the spec: reading geographic files (files), plain GeoJSON geometry (geometry),
shapely shapes (shapes) and the app's service area (area). Nothing here imports the rest of lowcode.
"""
