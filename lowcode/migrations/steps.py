"""The typed steps of a migration plan. Changes alter the database; notices only inform (and never block)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class Step:
    order: ClassVar[int] = 0  # applied in this order: renames first, so that later steps use the new names
    changes_database: ClassVar[bool] = True
    is_addition: ClassVar[bool] = False  # safe without asking: start-up applies pure additions itself

    def as_json(self) -> dict[str, Any]:
        return {"kind": type(self).__name__, **asdict(self)}


@dataclass(frozen=True)
class RenameTable(Step):
    order: ClassVar[int] = 1
    old: str
    new: str


@dataclass(frozen=True)
class RenameField(Step):
    order: ClassVar[int] = 2
    table: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeType(Step):
    """The column is rebuilt for the new type; `bad_refs` (first few) name rows whose value would not convert.
    `rows` is -1 when the plan was made without reading rows (start-up). `rewrite` is False when the new type keeps
    the same kind of column (text → email): only the values are checked, and the refused ones archived."""

    order: ClassVar[int] = 3
    table: str
    field: str
    old_type: str
    new_type: str
    rows: int
    bad: int
    bad_refs: tuple[str, ...] = ()
    rewrite: bool = True


@dataclass(frozen=True)
class RemoveField(Step):
    order: ClassVar[int] = 4
    table: str
    field: str
    columns: tuple[str, ...]
    values: int  # rows with a value, which go to the archive


@dataclass(frozen=True)
class RemoveTable(Step):
    order: ClassVar[int] = 5
    table: str
    rows: int


@dataclass(frozen=True)
class AddTable(Step):
    order: ClassVar[int] = 6
    table: str
    restored: int = 0  # archived rows of a removed table of this name that come back

    @property
    def is_addition(self) -> bool:  # type: ignore[override]
        return self.restored == 0


@dataclass(frozen=True)
class AddField(Step):
    order: ClassVar[int] = 7
    table: str
    field: str
    restored: int = 0  # archived values of a removed field of this name that come back

    @property
    def is_addition(self) -> bool:  # type: ignore[override]
        return self.restored == 0  # bringing values back is a change to preview, not a silent start-up job


@dataclass(frozen=True)
class Notice(Step):
    changes_database: ClassVar[bool] = False


@dataclass(frozen=True)
class UnknownChoices(Notice):
    """Rows still hold choices (or, for a workflow's field, statuses) the YAML no longer has: key → rows."""

    table: str
    field: str
    counts: tuple[tuple[str, int], ...]
    is_status: bool = False


@dataclass(frozen=True)
class RenameSuggestion(Notice):
    table: str
    old: str
    new: str


@dataclass(frozen=True)
class UnknownRenameSource(Notice):
    """`renamed_from:` names something the database does not have: the field or table starts empty."""

    table: str
    field: str | None
    old: str
    suggestions: tuple[str, ...] = ()


@dataclass
class Plan:
    app: str
    steps: list[Step] = field(default_factory=list)

    @property
    def changes(self) -> list[Step]:
        return sorted((s for s in self.steps if s.changes_database), key=lambda s: s.order)

    @property
    def notices(self) -> list[Step]:
        return [s for s in self.steps if not s.changes_database]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    @property
    def only_additions(self) -> bool:
        """Nothing but new tables and empty new fields: start-up applies these itself, as it always has."""
        return all(s.is_addition for s in self.changes)

    @property
    def unconvertible(self) -> list[ChangeType]:
        return [s for s in self.changes if isinstance(s, ChangeType) and s.bad]

    def as_json(self) -> list[dict[str, Any]]:
        return [s.as_json() for s in self.changes]
