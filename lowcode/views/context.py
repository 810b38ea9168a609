"""What every app page's template receives: the app, the language, navigation and value formatting."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, request, url_for
from flask_babel import get_locale
from markupsafe import Markup, escape

from ..fields import field_type
from ..runtime import AppRuntime
from ..spec.models import NavItemSpec, TableSpec, nav_items
from ..templating import app_template


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
    else:
        url, target, default = item.url or "#", None, item.url or ""
    label = runtime.text(item.label, lang) or runtime.text(target, lang, default)
    return Link(url, label, runtime.text(item.description, lang), request.path == url)


def page_context(runtime: AppRuntime, **extra: Any) -> dict[str, Any]:
    lang = current_lang()
    return {
        "runtime": runtime,
        "app": runtime.spec,
        "lang": lang,
        "t": lambda text, default="": runtime.text(text, lang, default),
        "nav": [nav_link(runtime, item, lang) for item in nav_items(runtime.spec)],
        "layout": app_template(runtime.name, "base.html"),
        "language_links": language_links(runtime, lang),
        **extra,
    }


def language_links(runtime: AppRuntime, lang: str) -> list[tuple[str, str, str, bool]]:
    names = {"ja": "日本語", "en": "English"}
    values: dict[str, Any] = {**(request.view_args or {}), **{k: v for k, v in request.args.items() if k != "lang"}}
    endpoint = request.endpoint or f"{runtime.name}.home"
    return [
        (code, names[code], url_for(endpoint, **values, lang=code), code == lang)
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
