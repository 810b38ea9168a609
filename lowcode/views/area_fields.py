"""The drawing map of `area` fields in any page that renders form fields (`_fields.html` calls `area_map`)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup

from ..maps.area_map import render_area_map
from ..runtime import AppRuntime
from .context import current_lang


def area_map(runtime: AppRuntime, name: str) -> Markup:
    """The map above the GeoJSON text box `name`, on the app's basemap, opening on its service area."""
    return render_area_map(
        name, lang=current_lang(), static_url=lambda path: url_for("static", filename=path), words=gettext,
        basemap=runtime.spec.basemap, area=runtime.spec.service_area, app_dir=runtime.folder,
    )
