"""Building blocks shared by every spec model: the frozen base class and localised text."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from ..words import page_languages

# The languages a label may be written in: one per Babel catalogue, then English (adding a catalogue adds one).
LANGUAGES = page_languages()


class SpecModel(BaseModel):
    """Base of every spec object: unknown keys are mistakes, and a loaded spec never changes."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Text:
    """A label written either as one string or per language (`{ja: …, en: …}`)."""

    __slots__ = ("_by_lang",)

    def __init__(self, by_lang: Mapping[str, str]) -> None:
        self._by_lang = dict(by_lang)

    @classmethod
    def parse(cls, value: Any) -> Text:
        if isinstance(value, Text):
            return value
        if isinstance(value, str):
            return cls({"*": value})
        if isinstance(value, Mapping) and any(v is None for v in value.values()):
            # `{en: Hello, world}` in YAML: the comma ends the text and `world` becomes a key without a value.
            raise PydanticCustomError("text_split", "a comma inside {…} split the text")
        if isinstance(value, Mapping) and value and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return cls(value)
        raise PydanticCustomError("text_type", "text must be a string or a mapping of language to string")

    @property
    def languages(self) -> list[str]:
        return [lang for lang in self._by_lang if lang != "*"]

    def get(self, lang: str, fallbacks: Iterable[str] = LANGUAGES) -> str:
        """The text in `lang`, else in the first fallback language that has one."""
        if "*" in self._by_lang:
            return self._by_lang["*"]
        for candidate in (lang, *fallbacks):
            if candidate in self._by_lang:
                return self._by_lang[candidate]
        return next(iter(self._by_lang.values()))

    def as_data(self) -> str | dict[str, str]:
        return self._by_lang.get("*") or dict(self._by_lang)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and other._by_lang == self._by_lang

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._by_lang.items())))

    def __repr__(self) -> str:
        return f"Text({self.as_data()!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda t: t.as_data())
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string"} for lang in LANGUAGES},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ]
        }


def text_or_default(text: Text | None, default: str) -> Text:
    return text if text is not None else Text({"*": default})
