"""Places: addresses to points (gazetteer, Nominatim, cache), postal codes, and points to areas.

Nothing here imports Flask; coordinates are (lon, lat) everywhere, as in GeoJSON. Import the submodule you
need (`lowcode.places.geocoder`, `.postal`, `.areas`, `.derive`) so that, say, area lookups do not load geopy.
"""
