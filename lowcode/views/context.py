"""What every app page's template receives: the app, the language, navigation and value formatting."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from ..audience import PUBLIC
from ..fields import field_type
from ..i18n import language_name
from ..runtime import AppRuntime
from ..spec.links import is_safe_link
from ..spec.models import NavItemSpec, TableSpec, nav_items
from ..templating import app_template
from .page_text import page_gettext
from .urls import same_page_url


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    description: str
    active: bool


def current_lang() -> str:
    return str(get_locale())


def nav_link(runtime: AppRuntime, item: NavItemSpec, lang: str) -> Link:
    spec = runtime.spec
    if item.form:
        url, target = url_for(f"{runtime.name}.form_page", form_name=item.form), spec.forms[item.form].title
        default = item.form
    elif item.list:
        url, target = url_for(f"{runtime.name}.list_page", list_name=item.list), spec.lists[item.list].title
        default = item.list
    elif item.map:
        url, target = url_for(f"{runtime.name}.map_page", map_name=item.map), spec.maps[item.map].title
        default = item.map
    elif item.dashboard:
        url = url_for(f"{runtime.name}.dashboard_page", dashboard_name=item.dashboard)
        target, default = spec.dashboards[item.dashboard].title, item.dashboard
    else:
        # validate refuses other schemes; the engine never renders one even if a spec skipped validation
        safe = item.url if item.url and is_safe_link(item.url) else None
        url, target, default = safe or "#", None, safe or ""
    label = runtime.text(item.label, lang) or runtime.text(target, lang, default)
    return Link(url, label, runtime.text(item.description, lang), request.path == url)


def page_context(runtime: AppRuntime, **extra: Any) -> dict[str, Any]:
    lang = current_lang()
    return {
        "runtime": runtime,
        "app": runtime.spec,
        "lang": lang,
        "t": lambda text, default="": runtime.text(text, lang, default),
        "nav": nav_links(runtime, lang),
        "layout": app_template(runtime.name, "base.html"),
        "language_links": language_links(runtime, lang),
        **runtime.once(("page_gettext", lang), page_gettext),  # the catalogue of `lang`, as Flask-Babel keeps it
        **extra,
    }


def nav_links(runtime: AppRuntime, lang: str) -> list[Link]:
    """The app's navigation: its addresses and labels are worked out once per language, only "you are here" per page."""
    links = runtime.once(
        ("nav", lang, request.script_root), lambda: [nav_link(runtime, item, lang) for item in nav_items(runtime.spec)]
    )
    path = request.path
    return [Link(link.url, link.label, link.description, link.url == path) for link in links]


def language_links(runtime: AppRuntime, lang: str) -> list[tuple[str, str, str, bool]]:
    # The page's own language is shown as text, not a link: its address is not worked out.
    return [
        (code, language_name(code), "" if code == lang else same_page_url(lang=code), code == lang)
        for code in runtime.spec.languages
    ]


def use_app_languages(runtime: AppRuntime) -> None:
    g.app_languages = tuple(runtime.spec.languages)


def display_value(
    runtime: AppRuntime, table: TableSpec, name: str, value: Any, lang: str, titles: dict[str, dict[int, str]] | None = None
) -> Markup:
    """A stored value as HTML for lists and detail pages; every piece of resident text is escaped."""
    spec = table.fields[name]
    if value is None or value == "" or value == []:
        return Markup("")
    if spec.type == "location":  # public pages show the point on the field's public grid (it may be a home)
        value = PUBLIC.location(runtime.spec, table, name, value)
    if spec.type == "reference":
        return escape((titles or {}).get(name, {}).get(value, ""))
    if spec.type == "image":
        src = url_for(f"{runtime.name}.upload", filename=value)
        alt = runtime.text(spec.label, lang, name)
        return Markup('<img src="{}" alt="{}" loading="lazy" class="photo">').format(src, alt)
    if spec.type == "url":
        return Markup('<a href="{}" rel="nofollow noopener">{}</a>').format(value, value)
    if spec.type == "textarea":
        return Markup("<br>").join(escape(line) for line in str(value).splitlines())
    return escape(field_type(spec.type).display(value, spec, lang))
