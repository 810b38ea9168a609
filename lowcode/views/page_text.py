"""The page chrome's words (`_()` in templates) from one catalogue lookup per page, not one per word.

Flask-Babel's template `_` finds the request's translations again for every string, through several context-local
lookups, and Jinja's alias then calls it through two `Context.call`s: the dozen words of a list page cost as much
as its 50 rows (issue 7, item 39). A page's context carries these instead; they translate exactly as Jinja's
new-style gettext does (autoescaped, always %-formatted), and templates rendered without them keep Flask-Babel's.
"""
from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

# Catalogue → its template functions, which keep its words without variables as Markup (made once per worker).
_MADE: WeakKeyDictionary[Any, dict[str, Any]] = WeakKeyDictionary()


def page_gettext() -> dict[str, Any]:
    """`_`, `gettext` and `ngettext` for one page's template context, bound to the request's catalogue."""
    translations = get_translations()
    made = _MADE.get(translations)
    if made is None:
        made = _MADE[translations] = make_gettext(translations)
    return made


def make_gettext(translations: Any) -> dict[str, Any]:
    plain_words: dict[str, Markup] = {}

    @pass_context
    def gettext(context: Context, string: str, **variables: Any) -> str:
        if variables or not context.eval_ctx.autoescape:
            return _format(context, translations.ugettext(string), variables)
        word = plain_words.get(string)
        if word is None:
            word = plain_words[string] = Markup(_format(context, translations.ugettext(string), {}))
        return word

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return _format(context, translations.ungettext(singular, plural, num), variables)

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _format(context: Context, text: str, variables: dict[str, Any]) -> str:
    # As jinja2.ext's new-style gettext: always a format string, so "%%" means the same with and without variables.
    if context.eval_ctx.autoescape:
        return Markup(text) % variables
    return text % variables
