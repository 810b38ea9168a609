"""Recognise a top-level setting (`forms:`, `lists:`…) written with indentation, inside another block.

Indented under `tables:`, `forms:` reads as a table named "forms", and the messages that follow ("'tables.forms'
needs 'fields'") send people looking in the wrong place. Said plainly instead: move it to the start of the line.
"""
from __future__ import annotations

import copy
from functools import cache
from typing import Any

from pydantic import BaseModel

from .base import SpecModel
from .problems import Message, Problem, register_messages
from .yamlload import LocatedYaml, Path

register_messages(
    {
        "E_TOP_KEY_INDENTED": Message(
            "'{key}' is a top-level setting, but it is indented inside '{where}'.",
            "'{key}' はいちばん外側の設定ですが、'{where}' の中に字下げされています。",
            "Move `{key}:` to the start of the line (no spaces before it), and indent the lines under it by two spaces.",
            "`{key}:` を行の先頭(前にスペースなし)に移し、その下の行を半角スペース2つで字下げしてください。",
        ),
    }
)

# Blocks whose keys are names the staff choose (a table, a field), with the setting every entry needs.
NAMED_BLOCKS: tuple[tuple[Path, str], ...] = ((("tables",), "fields"), (("tables", "*", "fields"), "type"))


@cache
def top_level_only_keys(root: type[BaseModel]) -> frozenset[str]:
    """Keys of the whole file that no inner block has, e.g. `forms`, `lists`, `nav` (not `title`)."""
    inner: set[str] = set()
    for model in _subclasses(SpecModel):
        if model is not root:
            inner |= {info.alias or name for name, info in model.model_fields.items()}
    return frozenset({info.alias or name for name, info in root.model_fields.items()} - inner)


def _subclasses(cls: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def is_misplaced_top_key(key: Any, path: Path, root: type[BaseModel]) -> bool:
    return bool(path) and isinstance(key, str) and key in top_level_only_keys(root)


def take_out_misplaced_top_keys(located: LocatedYaml, root: type[BaseModel]) -> list[Problem]:
    """Report top-level keys sitting among table or field names, and drop them so they cause nothing else."""
    if not isinstance(located.data, dict):
        return []
    problems: list[Problem] = []
    data = copy.deepcopy(located.data)
    for block_path, needed in NAMED_BLOCKS:
        for path, block in _blocks(data, block_path, ()):
            for key in [k for k, v in block.items() if is_misplaced_top_key(k, (*path, k), root)]:
                if isinstance(block[key], dict) and needed in block[key]:
                    continue  # a real table or field that happens to share the name
                where = ".".join(str(p) for p in path)
                problems.append(located.problem("E_TOP_KEY_INDENTED", (*path, key), prefer_key=True, key=key, where=where))
                del block[key]
    if problems:
        located.data = data
    return problems


def _blocks(data: Any, pattern: Path, path: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The mappings at `pattern` (`*` matches any key), each with its path."""
    if not isinstance(data, dict):
        return []
    if not pattern:
        return [(path, data)]
    head, rest = pattern[0], pattern[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    found = []
    for key in keys:
        found += _blocks(data[key], rest, (*path, key))
    return found
