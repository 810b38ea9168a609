"""No import cycle inside lowcode/: every module can be read, and moved, without its importers coming along.

The graph is built from the source with ast, so an import hidden inside a function (the usual way to dodge a cycle)
counts like any other. Imports under `if TYPE_CHECKING:` are left out: they never run, they only name types.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import lowcode

ROOT = Path(lowcode.__file__).parent

Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_of(path: Path, name: str) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def walk_runtime(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below `node`, skipping the bodies of `if TYPE_CHECKING:` (their `else:` does run)."""
    for child in ast.iter_child_nodes(node):
        if is_type_checking_block(child):
            for orelse in child.orelse:  # type: ignore[attr-defined]
                yield orelse
                yield from walk_runtime(orelse)
            continue
        yield child
        yield from walk_runtime(child)


def imported_names(node: ast.AST, package: str) -> Iterator[str]:
    """The absolute dotted names an import statement asks for, both `from x import y` readings included."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        base = node.module or ""
        if node.level:
            anchor = package.split(".")
            anchor = anchor[: len(anchor) - (node.level - 1)]
            base = ".".join([*anchor, base] if base else anchor)
        yield base
        yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve(name: str, modules: set[str]) -> str | None:
    """The lowcode module a dotted name lands in: the longest prefix that is one of ours."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def build_import_graph(root: Path = ROOT) -> Graph:
    """Module → the modules of the same package it imports, at any depth of its code."""
    paths = {module_name(p, root): p for p in root.rglob("*.py")}
    modules = set(paths)
    graph: Graph = {name: set() for name in modules}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in walk_runtime(tree):
            for wanted in imported_names(node, package_of(path, name)):
                target = resolve(wanted, modules)
                # A package's own __init__ is not an edge: importing lowcode.x runs lowcode/__init__ anyway.
                if target is not None and target not in (name, root.name):
                    graph[name].add(target)
    return graph


def find_cycle(graph: Graph) -> list[str] | None:
    """One cycle as a path [a, b, …, a], or None; depth-first search with three colours."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)) is not None:
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def test_there_is_no_import_cycle_inside_lowcode() -> None:
    cycle = find_cycle(build_import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_graph_counts_late_imports_and_leaves_out_type_only_ones(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .b import B\nelse:\n    import pkg.c\n"
        "def f():\n    from .sub import d\n    from .sub.e import thing\n"
    )
    for name in ("b.py", "c.py", "sub/d.py", "sub/e.py"):
        (package / name).write_text("from .. import a\n" if name == "sub/e.py" else "")
    graph = build_import_graph(package)
    assert graph["pkg.a"] == {"pkg.c", "pkg.sub", "pkg.sub.d", "pkg.sub.e"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.e", "pkg.a"]


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"a"}}, ["a", "a"]),
        ({"a": {"b"}, "b": set(), "x": {"y"}, "y": {"x"}}, ["x", "y", "x"]),
    ],
)
def test_find_cycle(graph: Graph, expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_geometry_sits_below_the_spec_maps_and_places() -> None:
    graph = build_import_graph()
    geo = {name for name in graph if name.startswith("lowcode.geo")}
    assert {(name, target) for name in geo for target in graph[name] if target not in geo} == set()
    users = {name.split(".")[1] for name, targets in graph.items() if targets & geo and name not in geo}
    assert {"spec", "maps", "places"} <= users
