"""Tables built from the spec, and the few queries the pages need. SQLAlchemy Core through Flask-SQLAlchemy."""
from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .fields import field_type
from .fields.base import FieldType
from .places.kana import fold_kana
from .search import WordTerms
from .spec.models import SYSTEM_COLUMNS, AppSpec, Condition, TableSpec
from .tracking import DIGEST_LENGTH, TRACK_COLUMN
from .values import strip_controls

# The engine's own key/value rows: which seed files were loaded, each table's version counter.
META = sa.Table(
    "lowcode_meta",
    sa.MetaData(),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

MAX_KEPT_QUERIES = 64  # page queries kept per table (one per sort order and column list)
# A workflow table's engine column naming the staff account (username) a row is assigned to; never on a public page:
# read only when a caller names it among `system` columns (the staff queue), never by to_record.
ASSIGNEE_COLUMN = "assigned_to"
REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: people read references out on the phone


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# Each of the 256 byte values → the letter its low 5 bits pick: 32 letters, so every letter is equally likely.
REF_LETTERS = bytes(ord(REF_ALPHABET[byte & 31]) for byte in range(256))


def new_reference() -> str:
    # eight random bytes made letters in one `translate` (eight secrets.choice calls were a tenth of a 100,000-row
    # import, a join over the bytes still a twentieth)
    chars = secrets.token_bytes(8).translate(REF_LETTERS).decode()
    return f"{chars[:4]}-{chars[4:]}"


def sql_table_name(app_name: str, table_name: str) -> str:
    return f"{app_name}__{table_name}"


def build_table(app_name: str, table_name: str, spec: TableSpec, app: AppSpec, metadata: sa.MetaData) -> sa.Table:
    columns: list[Any] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False, default=utcnow, index=True),
        sa.Column("updated_at", sa.DateTime, nullable=False, default=utcnow, onupdate=utcnow),
        # The resident's private link, hashed (lowcode/tracking.py); NULL for seed rows. Not in SYSTEM_COLUMNS:
        # no page reads it, only the tracking page's lookup.
        sa.Column(TRACK_COLUMN, sa.String(DIGEST_LENGTH), nullable=True, unique=True),
    ]
    if spec.workflow is not None:  # the staff member a row is assigned to (lowcode/records/assignment.py)
        columns.append(sa.Column(ASSIGNEE_COLUMN, sa.String(100), nullable=True, index=True))
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
        # Field → the field holding its reading (kana); readings are stored folded to hiragana.
        self.readings = {n: f.reading for n, f in spec.fields.items() if f.reading and f.reading in spec.fields}
        self.reading_fields = frozenset(self.readings.values())
        # Fields written as one column of their own name, the value as it is (no method call per value: an
        # import writes 100,000 rows of them).
        self.written_as_is = frozenset(n for n, k in self.kinds.items() if type(k).to_columns is FieldType.to_columns
                                       and n not in self.reading_fields)
        # Fields stored as one column of their own name and read back unchanged (text, numbers, dates, choices).
        self.plain_fields = frozenset(
            n for n, k in self.kinds.items() if type(k).from_row is FieldType.from_row and k.column_names(n) == [n]
        )
        self.count_all = sa.select(sa.func.count()).select_from(table)
        self._page_queries: dict[tuple[str, tuple[str, ...] | None, tuple[str, ...]], sa.Select[Any]] = {}

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
        as_is = self.written_as_is
        for name, value in values.items():
            if name in as_is:
                columns[name] = value
                continue
            if name in self.reading_fields and isinstance(value, str):
                value = fold_kana(value)  # one script, so that readings sort in あいうえお order by code point
            columns.update(self.kinds[name].to_columns(name, value))
        return columns

    def insert(self, conn: sa.Connection, values: Mapping[str, Any], system: Mapping[str, Any] | None = None) -> tuple[int, str]:
        """`system`: engine columns other than the fields (the tracking digest)."""
        reference = new_reference()
        now = utcnow()
        row = {**self.to_columns(values), **(system or {}), "ref": reference, "created_at": now, "updated_at": now}
        result = conn.execute(self.table.insert().values(**row))
        assert result.inserted_primary_key is not None
        self.bump_version(conn)
        return int(result.inserted_primary_key[0]), reference

    def insert_many(
        self, conn: sa.Connection, rows: Sequence[Mapping[str, Any]], made: Sequence[dt.datetime | None] = ()
    ) -> None:
        """`made`: each row's own creation time (a seed file's dates), None or missing for now."""
        now = utcnow()
        times = [*made, *[None] * (len(rows) - len(made))]
        payload = [{**self.to_columns(v), "ref": new_reference(), "created_at": t or now, "updated_at": t or now}
                   for v, t in zip(rows, times)]
        if payload:
            conn.execute(self.table.insert(), payload)
            self.bump_version(conn)

    def update(self, conn: sa.Connection, row_id: int, values: Mapping[str, Any]) -> bool:
        """Change some fields of one row; False when there is no such row."""
        row = {**self.to_columns(values), "updated_at": utcnow()}
        changed = conn.execute(self.table.update().where(self.table.c.id == row_id).values(**row)).rowcount > 0
        if changed:
            self.bump_version(conn)
        return changed

    def delete(self, conn: sa.Connection, row_id: int) -> bool:
        deleted = conn.execute(self.table.delete().where(self.table.c.id == row_id)).rowcount > 0
        if deleted:
            self.bump_version(conn)
        return deleted

    @property
    def version_key(self) -> str:
        return f"version:{self.table.name}"

    def bump_version(self, conn: sa.Connection) -> None:
        """Count one more write, in the caller's transaction: caches keyed on version() see every engine write,
        even one that keeps the row count, the largest id and the newest updated_at."""
        next_value = sa.cast(sa.cast(META.c.value, sa.BigInteger) + 1, sa.Text)
        bumped = conn.execute(META.update().where(META.c.key == self.version_key).values(value=next_value)).rowcount
        if not bumped:  # a table created before version counters existed
            conn.execute(META.insert().values(key=self.version_key, value="1"))

    def get(
        self, conn: sa.Connection, row_id: int, where: Condition | None = None, clauses: Sequence[Any] = ()
    ) -> dict[str, Any] | None:
        """The row, when it matches `where` and `clauses` (an audience's row rule)."""
        query = sa.select(self.table).where(self.table.c.id == row_id, *self.conditions(where), *clauses)
        row = conn.execute(query).mappings().first()
        return self.to_record(row) if row else None

    def value_exists(self, conn: sa.Connection, field_name: str, value: Any, exclude_id: int | None = None) -> bool:
        """Some row (other than `exclude_id`: the row being edited keeps its own unique value) holds `value`."""
        column = self.table.c[field_name]
        query = sa.select(sa.literal(1)).where(column == value)
        if exclude_id is not None:
            query = query.where(self.table.c.id != exclude_id)
        return conn.execute(query.limit(1)).first() is not None

    def version(self, conn: sa.Connection) -> tuple[Any, ...]:
        """Changes whenever the engine adds, edits or deletes a row: caches of derived data are keyed on it."""
        value = conn.execute(sa.select(META.c.value).where(META.c.key == self.version_key)).scalar()
        return (self.table.name, value or "0")

    def create_version_row(self, conn: sa.Connection) -> None:
        """Made at start-up, so that concurrent first writes only ever update it."""
        if conn.execute(sa.select(META.c.key).where(META.c.key == self.version_key)).first() is None:
            conn.execute(META.insert().values(key=self.version_key, value="0"))

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

    def search_clause(
        self, fields: Sequence[str], words: Sequence[WordTerms], readings: Mapping[str, str] | None = None
    ) -> Any:
        """Every word must appear in one of the fields (or, written in kana, in their readings); substring match,
        so 横断歩道 is found inside a sentence. The caller bounds the words (lowcode.search) and chooses the fields
        and `readings` (field → its reading field; default all) its audience may see."""
        known = self.readings if readings is None else readings
        clauses = []
        for word in words:
            terms = [self.table.c[f].icontains(text, autoescape=True) for f in fields for text in word.texts]
            readings_used = {known[f] for f in fields if f in known} if word.reading else set()
            terms += [self.table.c[r].contains(word.reading, autoescape=True) for r in sorted(readings_used)]
            clauses.append(sa.or_(*terms))
        return sa.and_(*clauses) if clauses else sa.true()

    def order_by(self, sort: str) -> list[Any]:
        name = sort.removeprefix("-")
        descending = sort.startswith("-")
        columns = self.sort_columns(name) if name in self.table.c else [self.table.c.created_at]
        columns.append(self.table.c.id)
        return [c.desc() if descending else c.asc() for c in columns]

    def sort_columns(self, name: str) -> list[Any]:
        """What sorting by `name` orders by: its reading first where it has one (あいうえお order), then itself."""
        column = self.table.c[name]
        reading = self.readings.get(name)
        if reading is None:
            return [column]
        return [sa.func.coalesce(sa.func.nullif(self.table.c[reading], ""), column), column]

    def page(
        self, conn: sa.Connection, *, clauses: Sequence[Any], sort: str, page: int, page_size: int,
        columns: Sequence[str] | None = None, system: Sequence[str] = SYSTEM_COLUMNS,
    ) -> Page:
        """One page of rows: `columns` fields (all when None) and the `system` columns (a public list needs only id)."""
        count = self.count_all.where(*clauses) if clauses else self.count_all
        total = int(conn.execute(count).scalar_one())
        page = max(1, min(page, max(1, -(-total // page_size))))
        query = self.page_query(sort, columns, system)
        result = conn.execute(query.where(*clauses) if clauses else query,
                              {"lc_limit": page_size, "lc_offset": (page - 1) * page_size})
        return Page(self.to_records(result, columns), total, page, page_size)

    def page_query(self, sort: str, columns: Sequence[str] | None, system: Sequence[str] = SYSTEM_COLUMNS) -> sa.Select[Any]:
        """A page's SELECT (limit and offset bound at execution), built once per sort and columns: building it and
        SQLAlchemy's cache key for it cost more than running it (issue 7, item 39: list pages per second)."""
        key = (sort, None if columns is None else tuple(columns), tuple(system))
        query = self._page_queries.get(key)
        if query is None:
            query = (
                sa.select(*self.select_columns(columns, system)).order_by(*self.order_by(sort))
                .limit(sa.bindparam("lc_limit", type_=sa.Integer)).offset(sa.bindparam("lc_offset", type_=sa.Integer))
            )
            if len(self._page_queries) < MAX_KEPT_QUERIES:  # callers choose sorts from a list; stay bounded anyway
                self._page_queries[key] = query
        return query

    def to_records(self, result: sa.Result[Any], fields: Sequence[str] | None) -> list[dict[str, Any]]:
        """The rows of a SELECT of select_columns(fields) as records; when every field is its own plain column the
        row is the record already (to_record on each of 50 rows cost as much as the query)."""
        keys = list(result.keys())
        rows = result.all()
        if fields is None:
            return [self.to_record(dict(zip(keys, row))) for row in rows]
        if self.plain_fields.issuperset(fields):
            return [dict(zip(keys, row)) for row in rows]
        return self.mixed_records(keys, rows, fields)

    def mixed_records(self, keys: list[str], rows: Sequence[Any], fields: Sequence[str]) -> list[dict[str, Any]]:
        """What to_record makes of each row, with the field kinds looked up once, not once per row and field: a
        map layer's 50,000 points went through to_record in half the time of the whole GeoJSON body (issue 8)."""
        system = [key for key in (*SYSTEM_COLUMNS, ASSIGNEE_COLUMN) if key in keys]
        readers = [(name, None if name in self.plain_fields else self.kinds[name].from_row) for name in fields]
        records = []
        for row in rows:
            data = dict(zip(keys, row))
            record = {key: data[key] for key in system}
            for name, read in readers:
                record[name] = data[name] if read is None else read(name, data)
            records.append(record)
        return records

    def select_columns(self, fields: Sequence[str] | None, system: Sequence[str] = SYSTEM_COLUMNS) -> list[Any]:
        if fields is None:
            return list(self.table.c)
        names = list(system)
        for name in fields:
            names += field_type(self.spec.fields[name].type).column_names(name)
        return [self.table.c[n] for n in dict.fromkeys(names)]
