"""Problems found in an app's YAML: one value type, one catalogue of messages in Japanese and English."""
from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Message:
    """One catalogue entry: what is wrong and how to fix it, in each language."""

    en: str
    ja: str
    hint_en: str = ""
    hint_ja: str = ""
    severity: Severity = "error"


CATALOGUE: dict[str, Message] = {}


def register_messages(messages: Mapping[str, Message]) -> None:
    """Add codes to the catalogue; each spec module registers its own."""
    for code, message in messages.items():
        if code in CATALOGUE and CATALOGUE[code] != message:
            raise ValueError(f"problem code {code} registered twice")
        CATALOGUE[code] = message


@dataclass(frozen=True)
class Problem:
    code: str
    file: str
    line: int
    column: int
    params: Mapping[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] = ()

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    def message(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        return _fill(entry.ja if lang == "ja" else entry.en, self.params, lang)

    def hint(self, lang: str = "en") -> str:
        entry = CATALOGUE[self.code]
        hint = _fill(entry.hint_ja if lang == "ja" else entry.hint_en, self.params, lang)
        if self.suggestions:
            hint = (hint + " " if hint else "") + did_you_mean_text(self.suggestions, lang)
        return hint

    def render(self, lang: str = "en") -> str:
        text = f"{self.file}:{self.line}:{self.column} [{self.code}] {self.message(lang)}"
        hint = self.hint(lang)
        return f"{text} {hint}" if hint else text

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message(lang),
            "hint": self.hint(lang),
            "suggestions": list(self.suggestions),
        }


def _fill(template: str, params: Mapping[str, Any], lang: str) -> str:
    return template.format(**{k: _show(v, lang) for k, v in params.items()})


def _show(value: Any, lang: str) -> str:
    if isinstance(value, Mapping) and "en" in value:
        return str(value.get(lang, value["en"]))  # a word that itself needs translating, e.g. {en: field, ja: 項目}
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def did_you_mean_text(suggestions: Iterable[str], lang: str) -> str:
    names = "、".join(suggestions) if lang == "ja" else " or ".join(f"'{s}'" for s in suggestions)
    return f"もしかして: {names}" if lang == "ja" else f"Did you mean {names}?"


def suggest(word: str, options: Iterable[str]) -> tuple[str, ...]:
    """Close matches for a misspelt name, best first (click and pyxform do the same)."""
    options = list(options)
    matches = difflib.get_close_matches(word, options, n=2, cutoff=0.6)
    if not matches:
        lowered = {o.lower(): o for o in options}
        matches = [lowered[m] for m in difflib.get_close_matches(word.lower(), list(lowered), n=2, cutoff=0.6)]
    return tuple(matches)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code))
