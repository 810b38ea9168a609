"""Find the full-width characters a Japanese keyboard slips into YAML's structure, before PyYAML misreads them.

A full-width space (U+3000) in the indentation, a full-width colon `：` after a key, or a full-width space
after the colon look right on screen, but PyYAML reads them as part of a word and reports something else,
often a line later. Naming the character at its own line and column is the useful message.
Text inside values (`label: 受付：平日`, a paragraph starting with 全角スペース in a `|` block) is left alone.
"""
from __future__ import annotations

import re

from .problems import Message, Problem, register_messages

register_messages(
    {
        "E_FULLWIDTH_INDENT": Message(
            "A full-width space (全角スペース) is in the indentation of this line.",
            "この行の字下げに全角スペースがあります。",
            "Indent with half-width spaces only: delete it and type ordinary spaces (two per level).",
            "字下げは半角スペースだけで書きます。全角スペースを消して、半角スペース(1段につき2つ)を入れてください。",
        ),
        "E_FULLWIDTH_COLON": Message(
            "'{key}' is followed by a full-width colon '：'.",
            "'{key}' の後ろのコロンが全角の「：」です。",
            "Write a half-width colon and a half-width space: `{key}: …`.",
            "半角のコロンと半角スペースにしてください: `{key}: …`。",
        ),
        "E_FULLWIDTH_SPACE_AFTER_COLON": Message(
            "A full-width space (全角スペース) follows the ':' after '{key}'.",
            "'{key}' の「:」の後ろが全角スペースです。",
            "Replace it with a half-width space: `{key}: …`.",
            "半角スペースにしてください: `{key}: …`。",
        ),
    }
)

IDEOGRAPHIC_SPACE = "\u3000"
# Where YAML expects a key: at the start of a line (after indentation and an optional `- `), or after `{` or `,`.
KEY = r"(?:^[ \u3000]*(?:-[ \u3000]+)?|[{,][ \u3000]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*)"
FULLWIDTH_COLON = re.compile(KEY + r"[ \u3000]*(?P<mark>：)")
SPACE_AFTER_COLON = re.compile(KEY + r":(?P<mark>\u3000)")
# A line that opens a literal or folded block (`intro: |`, `- >-`): the lines below it are text, not structure.
BLOCK_START = re.compile(r"(?:^|[:\-][ \u3000]+)[|>][-+0-9]*[ \t]*(?:#.*)?$")
STRUCTURE = re.compile(r"^(?:-(?:[ \u3000]|$)|[A-Za-z_][A-Za-z0-9_]*[ \u3000]*[:：])")


def find_fullwidth_problems(text: str, file: str) -> list[Problem]:
    """Every full-width space or colon that stands where YAML needs a half-width one, at its line and column."""
    problems: list[Problem] = []
    block_indent: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            continue  # inside a `|` or `>` block: free text
        block_indent = None
        problem = _problem_in_line(line, number, file)
        if problem is not None:
            problems.append(problem)
        elif BLOCK_START.search(_without_comment(line)):
            block_indent = indent
    return problems


def _problem_in_line(line: str, number: int, file: str) -> Problem | None:
    body = line.lstrip(" " + IDEOGRAPHIC_SPACE)
    leading = line[: len(line) - len(body)]
    if IDEOGRAPHIC_SPACE in leading and STRUCTURE.match(body):
        return Problem("E_FULLWIDTH_INDENT", file, number, leading.index(IDEOGRAPHIC_SPACE) + 1)
    code_part = _without_quotes(line)
    for code, pattern in (("E_FULLWIDTH_COLON", FULLWIDTH_COLON), ("E_FULLWIDTH_SPACE_AFTER_COLON", SPACE_AFTER_COLON)):
        match = pattern.search(code_part)
        if match:
            return Problem(code, file, number, match.start("mark") + 1, {"key": match.group("key")})
    return None


def _without_quotes(line: str) -> str:
    """The line with quoted text blanked out (same length), so colons inside quotes are not taken for structure."""
    return re.sub(r"\"[^\"]*\"|'[^']*'", lambda m: " " * len(m.group()), line)


def _without_comment(line: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", _without_quotes(line)).rstrip()
