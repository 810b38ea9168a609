"""Refuse `pattern:` values whose matching time can explode (catastrophic backtracking).

Python's `re` backtracks: `(a+)+$` against thirty `a`s and a `b` tries every way to split the `a`s, which cost a
worker 8 s per request. The shapes that do this are a repeat of a group that itself holds a repeat of varying
length (`(a+)+`, `(\\w+\\s?)*`), and a repeat of alternatives that start alike (`(a|ab)*`). Both are refused when the
app is checked, so they never reach a request. A group that starts or ends with a fixed character the inner
repeat cannot match (`[a-z]+(-[a-z]+)*`) splits the text in one way only, and stays allowed.
"""
from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
}


def can_backtrack_explosively(pattern: str) -> bool:
    """True when matching `pattern` can take exponential time on a crafted value."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return False  # reported as an invalid pattern by its own check
    return _explosive(list(parsed))


def _explosive(items: list[Any]) -> bool:
    for op, arg in items:
        if op in REPEATS:
            _low, high, body = arg
            body = list(body)
            if high > 1 and (_overlapping_branches(body) or _ambiguous_inner_repeat(body)):
                return True
            if _explosive(body):
                return True
        elif any(_explosive(child) for child in _children(op, arg)):
            return True
    return False


def _children(op: Any, arg: Any) -> list[list[Any]]:
    if op is sre.SUBPATTERN:
        return [list(arg[-1])]
    if op is sre.BRANCH:
        return [list(branch) for branch in arg[1]]
    return []


def _ambiguous_inner_repeat(body: list[Any]) -> bool:
    """The repeated group holds a repeat of varying length, and nothing fixed marks where one round ends."""
    inner = _variable_repeats(body)
    if not inner:
        return False
    flat = _flatten(body)
    edges = [item for item in (flat[0], flat[-1]) if item[0] is sre.LITERAL]
    return not any(all(_single_char(r) and not _matches(r, edge[1]) for r in inner) for edge in edges)


def _variable_repeats(items: list[Any]) -> list[Any]:
    found = []
    for op, arg in items:
        if op in REPEATS:
            low, high, body = arg
            if low != high and high > 1:
                found.append(list(body))
            found += _variable_repeats(list(body))
        else:
            for child in _children(op, arg):
                found += _variable_repeats(child)
    return found


def _flatten(items: list[Any]) -> list[Any]:
    """The items of a group with plain sub-groups opened up, to see its first and last piece."""
    flat: list[Any] = []
    for op, arg in items:
        flat += _flatten(list(arg[-1])) if op is sre.SUBPATTERN else [(op, arg)]
    return flat or [(None, None)]


def _single_char(body: list[Any]) -> bool:
    return len(body) == 1 and body[0][0] in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY)


def _matches(body: list[Any], code: int) -> bool:
    """Whether the one-character item `body` matches the character `code`."""
    op, arg = body[0]
    char = chr(code)
    if op is sre.LITERAL:
        return bool(arg == code)
    if op is sre.NOT_LITERAL:
        return bool(arg != code)
    if op is sre.ANY:
        return char != "\n"
    return _class_matches(arg, code)


def _class_matches(members: list[Any], code: int) -> bool:
    negate = bool(members) and members[0][0] is sre.NEGATE
    hit = False
    for op, arg in members[1:] if negate else members:
        if op is sre.LITERAL:
            hit = hit or arg == code
        elif op is sre.RANGE:
            hit = hit or arg[0] <= code <= arg[1]
        elif op is sre.CATEGORY:
            hit = hit or re.fullmatch(CATEGORIES.get(arg, r"[\s\S]"), chr(code)) is not None
        else:
            hit = True  # anything unusual: assume it may match
    return hit != negate


def _overlapping_branches(body: list[Any]) -> bool:
    """A repeated choice where two alternatives begin with the same piece, as in `(a|ab)*`."""
    flat = _flatten(body)
    if flat[0][0] is not sre.BRANCH:
        return False
    firsts = [_flatten(list(branch))[0] for branch in flat[0][1][1]]
    return any(f[0] is sre.ANY for f in firsts) or len({repr(f) for f in firsts}) < len(firsts)
