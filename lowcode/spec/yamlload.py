"""Read YAML without YAML 1.1 surprises and keep the line and column of every node.

Scalars stay text (`02134` stays "02134", `no` stays "no"); the spec models convert them to the type
each key expects. Duplicate keys are reported instead of silently keeping the last one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .fullwidth import find_fullwidth_problems
from .problems import Message, Problem, register_messages

Path = tuple[Any, ...]
NULL_WORDS = {"", "~", "null", "Null", "NULL"}

register_messages(
    {
        "E_YAML_SYNTAX": Message(
            "The YAML cannot be read: {detail}.",
            "YAML として読めません: {detail}。",
            "Check the indentation and the colons on this line and the one above it.",
            "この行と前の行の字下げとコロン(:)を確かめてください。",
        ),
        "E_DUPLICATE_KEY": Message(
            "The key '{key}' appears twice in the same block (first on line {first_line}).",
            "キー '{key}' が同じブロックに2回あります(最初は {first_line} 行目)。",
            "Remove one of them or give it another name.",
            "どちらかを削除するか、別の名前にしてください。",
        ),
        "E_YAML_CHARACTER": Message(
            "The file contains a character YAML does not allow ({code}).",
            "YAML で使えない文字 ({code}) が含まれています。",
            "Delete it; it is often invisible, pasted together with text from another program.",
            "その文字を削除してください。ほかのソフトから貼り付けたときに紛れ込む、見えない文字のことがよくあります。",
        ),
        "E_NOT_UTF8": Message(
            "The file is not saved as UTF-8 (it looks like {encoding}).",
            "ファイルが UTF-8 で保存されていません({encoding} のようです)。",
            "Save it again choosing the UTF-8 encoding (in Notepad: File → Save As → Encoding: UTF-8).",
            "文字コードに UTF-8 を選んで保存し直してください(メモ帳: ファイル → 名前を付けて保存 → 文字コード: UTF-8)。",
        ),
        "E_COMPLEX_KEY": Message(
            "A key must be a plain word, not a list or a block.",
            "キーはリストやブロックではなく、単語で書いてください。",
        ),
        "E_YAML_ALIAS": Message(
            "'*{name}' repeats the block marked '&{name}'; app files do not use repeats (anchors and aliases).",
            "'*{name}' は '&{name}' の付いたブロックを繰り返しています。アプリのファイルでは繰り返し(アンカーとエイリアス)は使えません。",
            "Write the settings out again where they are needed. If the text really starts with '*', put it in quotes.",
            "必要な所に設定をもう一度書いてください。「*」で始まる文字列なら引用符で囲んでください。",
        ),
        "E_EMPTY_FILE": Message(
            "The file is empty.",
            "ファイルが空です。",
            "Start from the file that `lowcode new NAME` writes.",
            "`lowcode new 名前` で作られるファイルから始めてください。",
        ),
    }
)


@dataclass(frozen=True)
class Pos:
    line: int
    column: int


@dataclass
class LocatedYaml:
    """Plain data from a YAML file plus where each piece of it was written."""

    file: str
    data: Any = None
    values: dict[Path, Pos] = field(default_factory=dict)
    keys: dict[Path, Pos] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: Path, *, prefer_key: bool = False) -> Pos:
        """Where `path` was written; falls back to the nearest enclosing node that exists."""
        path = tuple(path)
        while True:
            table = (self.keys, self.values) if prefer_key else (self.values, self.keys)
            for positions in table:
                if path in positions:
                    return positions[path]
            if not path:
                return Pos(1, 1)
            path = path[:-1]

    def problem(self, code: str, path: Path, *, prefer_key: bool = False, suggestions: tuple[str, ...] = (), **params: Any) -> Problem:
        pos = self.position(path, prefer_key=prefer_key)
        return Problem(code, self.file, pos.line, pos.column, params, suggestions)


def decode_yaml_bytes(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a byte-order mark is dropped), or a problem that says which encoding the file seems to be in."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = "Shift_JIS" if _decodes(raw, "cp932") else "an unknown encoding"
        return None, Problem("E_NOT_UTF8", file, line, 1, {"encoding": encoding})


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


class AliasRefused(yaml.MarkedYAMLError):
    """An alias (`*name`) was met: refused, because expanding repeats of repeats costs exponential time and memory."""

    def __init__(self, anchor: str, mark: yaml.Mark) -> None:
        super().__init__(problem=f"alias {anchor!r}", problem_mark=mark)
        self.anchor = anchor


class NoAliasLoader(yaml.BaseLoader):
    """PyYAML's base loader (every scalar stays text) that stops at the first alias.

    Ten levels of ten aliases (a "billion laughs") took minutes and gigabytes to expand; staff files never need them.
    """

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self.anchors:
                raise AliasRefused(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(text: str, file: str) -> LocatedYaml:
    result = LocatedYaml(file)
    result.problems = find_fullwidth_problems(text, file)
    if result.problems:
        return result  # PyYAML would misread the rest of the file: these are the root causes
    try:
        node = yaml.compose(text, Loader=NoAliasLoader)
    except AliasRefused as exc:
        line, col = exc.problem_mark.line + 1, exc.problem_mark.column + 1
        result.problems.append(Problem("E_YAML_ALIAS", file, line, col, {"name": exc.anchor}))
        return result
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = explain_yaml_problem(exc.problem or str(exc))
        result.problems.append(Problem("E_YAML_SYNTAX", file, line, col, {"detail": detail}))
        return result
    except yaml.reader.ReaderError as exc:
        line, col = _line_and_column(text, exc.position)
        result.problems.append(Problem("E_YAML_CHARACTER", file, line, col, {"code": f"U+{exc.character:04X}"}))
        return result
    if node is None:
        result.problems.append(Problem("E_EMPTY_FILE", file, 1, 1))
        return result
    result.data = _convert(node, (), result)
    return result


# PyYAML's problem texts, said plainly in both languages; anything else is shown as PyYAML wrote it.
YAML_PROBLEMS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"mapping values are not allowed here"), {
        "en": "a second ':' on one line (put a text containing ':' in quotes) or a wrong indentation",
        "ja": "1行に「:」が2つあるか(「:」を含む文字列は引用符で囲みます)、字下げがずれています"}),
    (re.compile(r"found character '\\t' that cannot start any token"), {
        "en": "a tab character (indent with spaces only)", "ja": "タブ文字があります(字下げは半角スペースだけで)"}),
    (re.compile(r"expected <block end>, but found"), {
        "en": "the indentation of this line does not match the lines above",
        "ja": "この行の字下げが上の行とそろっていません"}),
    (re.compile(r"could not find expected ':'"), {
        "en": "a line without ':' inside a block of `key: value` lines",
        "ja": "`キー: 値` の並びの中に「:」のない行があります"}),
    (re.compile(r"expected ',' or '[}\]]', but got"), {
        "en": "a list or {…} block is not closed, or a ',' or ':' inside it needs quotes",
        "ja": "[…] や {…} が閉じていないか、中の「,」「:」を引用符で囲む必要があります"}),
    (re.compile(r"found unexpected end of stream|found unexpected end"), {
        "en": "a quote or bracket opened here is never closed", "ja": "ここで開いた引用符か括弧が閉じていません"}),
    (re.compile(r"found undefined alias"), {
        "en": "a word starting with '*' (put it in quotes)", "ja": "「*」で始まる語があります(引用符で囲んでください)"}),
]


def explain_yaml_problem(problem: str) -> dict[str, str] | str:
    for pattern, words in YAML_PROBLEMS:
        if pattern.search(problem):
            return words
    return problem


def _line_and_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _mark(node: yaml.Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, path: Path, out: LocatedYaml) -> Any:
    out.values[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in NULL_WORDS:
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out) for i, item in enumerate(node.value)]
    return _convert_mapping(node, path, out)


def _convert_mapping(node: yaml.MappingNode, path: Path, out: LocatedYaml) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            out.problems.append(Problem("E_COMPLEX_KEY", out.file, *_astuple(_mark(key_node))))
            continue
        key = key_node.value
        if key in data:
            first = out.keys[(*path, key)]
            pos = _mark(key_node)
            out.problems.append(
                Problem("E_DUPLICATE_KEY", out.file, pos.line, pos.column, {"key": key, "first_line": first.line})
            )
            continue
        out.keys[(*path, key)] = _mark(key_node)
        data[key] = _convert(value_node, (*path, key), out)
    return data


def _astuple(pos: Pos) -> tuple[int, int]:
    return pos.line, pos.column
