"""Tables built from the spec, and the few queries the pages need. SQLAlchemy Core through Flask-SQLAlchemy."""
from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .fields import field_type
from .spec.models import SYSTEM_COLUMNS, AppSpec, Condition, TableSpec
from .values import strip_controls

REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: people read references out on the phone


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_reference() -> str:
    chars = "".join(secrets.choice(REF_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def sql_table_name(app_name: str, table_name: str) -> str:
    return f"{app_name}__{table_name}"


def build_table(app_name: str, table_name: str, spec: TableSpec, app: AppSpec, metadata: sa.MetaData) -> sa.Table:
    columns: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False, default=utcnow, index=True),
        sa.Column("updated_at", sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow),
    ]
    for name, field in spec.fields.items():
        columns += field_type(field.type).columns(name, field)
    table = sa.Table(sql_table_name(app_name, table_name), metadata, *columns)
    for name, field in spec.fields.items():
        if field.type == "reference" and field.to:
            target = sql_table_name(app_name, field.to)
            table.append_constraint(sa.ForeignKeyConstraint([name], [f"{target}.id"], ondelete="SET NULL"))
        if field.type == "location":
            sa.Index(f"ix_{table.name}_{name}_lonlat", table.c[f"{name}_lon"], table.c[f"{name}_lat"])
    return table


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


class TableStore:
    """Reads and writes one spec table; rows come back as {field: value} dicts plus id, ref and timestamps."""

    def __init__(self, name: str, spec: TableSpec, table: sa.Table) -> None:
        self.name = name
        self.spec = spec
        self.table = table
        self.kinds = {field_name: field_type(field.type) for field_name, field in spec.fields.items()}

    def to_record(self, row: Mapping[Any, Any], fields: Sequence[str] | None = None) -> dict[str, Any]:
        # A plain dict first: SQLAlchemy's RowMapping lookups cost several times more (100,000 rows for a map).
        data = dict(row)
        record = {key: data[key] for key in SYSTEM_COLUMNS if key in data}
        kinds = self.kinds
        for name in fields if fields is not None else kinds:
            record[name] = kinds[name].from_row(name, data)
        return record

    def to_columns(self, values: Mapping[str, Any]) -> dict[str, Any]:
        columns: dict[str, Any] = {}
        for name, value in values.items():
            columns.update(field_type(self.spec.fields[name].type).to_columns(name, value))
        return columns

    def insert(self, conn: sa.Connection, values: Mapping[str, Any]) -> tuple[int, str]:
        reference = new_reference()
        now = utcnow()
        row = {**self.to_columns(values), "ref": reference, "created_at": now, "updated_at": now}
        result = conn.execute(self.table.insert().values(**row))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0]), reference

    def insert_many(self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        now = utcnow()
        payload = [{**self.to_columns(v), "ref": new_reference(), "created_at": now, "updated_at": now} for v in rows]
        if payload:
            conn.execute(self.table.insert(), payload)

    def get(self, conn: sa.Connection, row_id: int, where: Condition | None = None) -> dict[str, Any] | None:
        query = sa.select(self.table).where(self.table.c.id == row_id, *self.conditions(where))
        row = conn.execute(query).mappings().first()
        return self.to_record(row) if row else None

    def value_exists(self, conn: sa.Connection, field_name: str, value: Any) -> bool:
        column = self.table.c[field_name]
        return conn.execute(sa.select(sa.literal(1)).where(column == value).limit(1)).first() is not None

    def version(self, conn: sa.Connection) -> tuple[Any, ...]:
        """Changes whenever a row is added, edited or deleted: caches of derived data are keyed on it."""
        table = self.table
        query = sa.select(sa.func.count(), sa.func.max(table.c.updated_at), sa.func.max(table.c.id))
        return tuple(conn.execute(query).one())

    def count(self, conn: sa.Connection) -> int:
        return int(conn.execute(sa.select(sa.func.count()).select_from(self.table)).scalar_one())

    def conditions(self, condition: Condition | None) -> list[Any]:
        """SQL for a `where:` / filter mapping: each field equals (one of) the given value(s)."""
        clauses = []
        for name, expected in (condition or {}).items():
            clauses.append(self.equals_any(name, expected if isinstance(expected, list) else [expected]))
        return clauses

    def equals_any(self, name: str, values: list[Any]) -> Any:
        field = self.spec.fields[name]
        kind = field_type(field.type)
        column = self.table.c[name]
        values = [strip_controls(v) if isinstance(v, str) else v for v in values]
        if field.type == "multichoice":
            as_text = sa.cast(column, sa.Text)
            return sa.or_(*[as_text.contains(f'"{v}"', autoescape=True) for v in values])
        parsed = [kind.parse_text(v, field) for v in values]
        present = [v for v in parsed if v is not None]
        clauses = [column.in_(present)] if present else []
        if len(present) < len(parsed):
            clauses.append(column.is_(None))
        return sa.or_(*clauses) if clauses else sa.false()

    def search_clause(self, fields: Sequence[str], text: str) -> Any:
        """Every word must appear in one of the fields; substring match, so 横断歩道 is found inside a sentence."""
        words = [w for w in text.split() if w]
        clauses = []
        for word in words:
            variants = {word, unicodedata.normalize("NFKC", word)}
            clauses.append(sa.or_(*[self.table.c[f].icontains(v, autoescape=True) for f in fields for v in variants]))
        return sa.and_(*clauses) if clauses else sa.true()

    def order_by(self, sort: str) -> list[Any]:
        name = sort.removeprefix("-")
        column = self.table.c.get(name, self.table.c.created_at)
        descending = sort.startswith("-")
        tiebreak = self.table.c.id.desc() if descending else self.table.c.id.asc()
        return [column.desc() if descending else column.asc(), tiebreak]

    def page(
        self, conn: sa.Connection, *, clauses: Sequence[Any], sort: str, page: int, page_size: int,
        columns: Sequence[str] | None = None,
    ) -> Page:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(self.table).where(*clauses)).scalar_one())
        page = max(1, min(page, max(1, -(-total // page_size))))
        selected = self.select_columns(columns)
        query = sa.select(*selected).where(*clauses).order_by(*self.order_by(sort))
        rows = conn.execute(query.limit(page_size).offset((page - 1) * page_size)).mappings().all()
        return Page([self.to_record(r, columns) for r in rows], total, page, page_size)

    def select_columns(self, fields: Sequence[str] | None) -> list[Any]:
        if fields is None:
            return list(self.table.c)
        names = ["id", "ref", "created_at", "updated_at"]
        for name in fields:
            names += field_type(self.spec.fields[name].type).column_names(name)
        return [self.table.c[n] for n in dict.fromkeys(names)]
