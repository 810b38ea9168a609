"""The context the cross-reference checks write into, and the registry of checks."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .problems import Problem, suggest
from .yamlload import LocatedYaml, Path

if TYPE_CHECKING:
    from .models import AppSpec


# A private field is personal data: its message must never offer `visibility: public` as a fix. Every check that
# finds a non-public field on a public page reports E_NOT_PUBLIC; for a private one, the advice changes here, once.
PRIVATE_VARIANTS = {"E_NOT_PUBLIC": "E_PRIVATE_ON_PUBLIC_PAGE"}


@dataclass
class CheckContext:
    located: LocatedYaml
    app_dir: str
    problems: list[Problem] = field(default_factory=list)

    def report(self, code: str, path: Path, *, prefer_key: bool = False, suggestions: tuple[str, ...] = (), **params: Any) -> None:
        if params.get("visibility") == "private":
            code = PRIVATE_VARIANTS.get(code, code)
        self.problems.append(self.located.problem(code, path, prefer_key=prefer_key, suggestions=suggestions, **params))

    def raw_value(self, path: Path) -> Any:
        """The value as written in the YAML (before the spec models converted it)."""
        data = self.located.data
        for segment in path:
            try:
                data = data[segment]
            except (KeyError, IndexError, TypeError):
                return None
        return data

    def require_name(self, code: str, name: str, options: Iterable[str], path: Path, **params: Any) -> bool:
        """Report `code` with a did-you-mean when `name` is not one of `options`; True when it is."""
        options = list(options)
        if name in options:
            return True
        self.report(code, path, suggestions=suggest(name, options), name=name, options=options or "-", **params)
        return False


Check = Callable[["AppSpec", CheckContext], None]
CHECKS: list[Check] = []


def spec_check(func: Check) -> Check:
    """Register a cross-reference check; every spec module adds its own the same way."""
    CHECKS.append(func)
    return func
