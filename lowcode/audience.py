"""Who may see what: the one rule every channel asks before a field, a row, a title or a point leaves the database.

An `Audience` answers for one kind of reader: which fields of which rows it may see or change. Its API (kept small:
the records layer, views, maps, references and uploads call only these):

- `can_see_field(table, name, row_id=None)`, `visible_fields(table, row_id=None)`, `only_visible(table, names)`:
  fields (a derived field only when its source is seen too, all the way back). `row_id` matters only for the
  resident's own row; without it the answer holds for every row the audience sees.
- `can_change_field(table, name, row_id=None)`, `changeable_fields(table, row_id=None)`: fields it may edit on a
  stored row (never a derived one: it is computed from its source).
- `row_conditions(app, table_name)`: the rows it sees, as `where:` mappings to OR together (None: every row; `()`:
  none), plus `own_row_id(app, table_name)`: the one more row a resident's private link shows.
- `title_field(table)`, `row_title(row_id, title)`: what names a row; `location(app, table, name, point)` and
  `location_precision_m(...)`: the point as it may see it; `sees_reference_numbers`.

The audiences: `PUBLIC` is anyone on the internet: public fields (and not one derived from a field it may not see),
the rows the app's lists and maps show, no reference numbers (受付番号: the number a resident quotes to the city),
locations snapped to a grid. `resident_audience(app, table, row_id)`: the resident holding a submission's private
link (issue 9) sees what the public sees, plus every field but `staff` ones of that ONE row. `staff_audience(app,
role, account_value)`: a staff `Role` with per-table `TablePermission`s (view, change, see private fields, rows
scoped to the account's value — issue 9's `roles:` YAML fills them). `STAFF` sees and changes everything, exactly.
Pure: spec objects in, answers out; no web framework, no database (callers turn row rules into SQL:
lowcode/references.py `visible_rows_clause`).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .spec.models import AppSpec, Condition, Scalar, TableSpec, title_field_of
from .spec.privacy import form_field_list

Point = tuple[float, float]
# Where residents type or pick a point themselves ("use my location" may be their home), the public sees a grid.
DEFAULT_PUBLIC_PRECISION_M = 100.0
METRES_PER_DEGREE = 111_320.0


ALL_VISIBILITIES = frozenset({"public", "staff", "private"})
NOT_PRIVATE = frozenset({"public", "staff"})


@dataclass(frozen=True)
class TableAccess:
    """What an audience may do with one table: see it at all, which fields (by visibility) it sees and changes,
    and, for a scoped staff role, the only rows it sees."""

    view: bool
    visibilities: frozenset[str]
    changes: frozenset[str] = frozenset()
    scope: Condition | None = None
    actions: frozenset[str] = frozenset()  # a role's other actions on the table: create, export, import, manage_areas


@dataclass(frozen=True)
class OwnRow:
    """The one row a resident's private link opens (issue 9 brings the link; the rule is here now)."""

    table: TableSpec
    table_name: str
    row_id: int
    visibilities: frozenset[str] = frozenset({"public", "private"})  # their own answers, not the office's notes
    changes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FieldGrant:
    """Named fields of ONE row an audience sees besides its own rule: a proposal's counterpart contact, once both
    sides accepted (`proposal_contact_grant`). Only with that row's id: a list or a map never shows them."""

    table: TableSpec
    row_id: int
    fields: frozenset[str]


@dataclass(frozen=True)
class TablePermission:
    """What a staff role may do with one table; issue 9's `roles:` YAML fills these."""

    view: bool = True
    change: bool = False
    see_private: bool = False  # personal data; `staff` fields are seen by every role that may view the table
    scope_field: str | None = None  # only rows whose field equals the account's value (a school's own reports)
    actions: frozenset[str] = frozenset()  # besides view/change/see_private: create, export, import, manage_areas


@dataclass(frozen=True)
class Role:
    """A staff role: a permission per table it names, `other_tables` for the rest (None: it may not see them).
    `every_transition`: it may take every workflow transition (`all: true`, `admin`); else those naming it."""

    name: str
    tables: tuple[tuple[str, TablePermission], ...] = ()
    other_tables: TablePermission | None = None
    every_transition: bool = False

    def permission(self, table_name: str) -> TablePermission | None:
        return dict(self.tables).get(table_name, self.other_tables)


@dataclass(frozen=True)
class Audience:
    """The answers for one kind of reader (see the module docstring for the API every channel uses)."""

    name: str  # callers key per-worker caches of field answers on it: one name, one set of field answers
    visibilities: frozenset[str]
    sees_reference_numbers: bool
    sees_every_row: bool
    sees_exact_locations: bool
    changes: frozenset[str] = frozenset()
    # A staff role's answers, bound to one app's tables (by identity: a TableSpec does not know its name).
    tables: tuple[tuple[TableSpec, TableAccess], ...] = ()
    own_row: OwnRow | None = None
    role: Role | None = None  # the staff role it answers for (workflow transitions ask it); None for the public
    grants: tuple[FieldGrant, ...] = ()  # named fields of single rows (`with_grant`)
    _default_access: TableAccess = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Made once: every field question of every list page asks for it.
        object.__setattr__(self, "_default_access", TableAccess(bool(self.visibilities), self.visibilities, self.changes))

    def access(self, table: TableSpec) -> TableAccess:
        """Its answers for one table: a role's own permission for it, else the audience's answers for any table."""
        for spec, access in self.tables:
            if spec is table:
                return access
        return self._default_access

    def may(self, table: TableSpec, action: str) -> bool:
        """Whether it may `view` the table, `edit` or `see_private` in it, or `create`, `export`, `import`,
        `manage_areas` (a staff role's; the public fills forms by their `access:`, not by this answer)."""
        access = self.access(table)
        if not access.view:
            return False
        if action == "view":
            return True
        if action == "edit":
            return bool(access.changes)
        if action == "see_private":
            return "private" in access.visibilities
        return action in access.actions

    def _own(self, table: TableSpec, row_id: int | None) -> OwnRow | None:
        own = self.own_row
        return own if own is not None and row_id is not None and own.table is table and own.row_id == row_id else None

    def _seen(self, table: TableSpec, row_id: int | None) -> frozenset[str]:
        own = self._own(table, row_id)
        access = self.access(table)
        if own is not None:
            return own.visibilities
        return access.visibilities if access.view else frozenset()

    def can_see_field(self, table: TableSpec, name: str, row_id: int | None = None) -> bool:
        """A field it may see, and (for a derived field) one whose source it may see too, all the way back; or a
        field a grant names for that very row."""
        if row_id is not None and any(g.table is table and g.row_id == row_id and name in g.fields for g in self.grants):
            return True
        return _field_chain_within(table, name, self._seen(table, row_id))

    def visible_fields(self, table: TableSpec, row_id: int | None = None) -> list[str]:
        return [name for name in table.fields if self.can_see_field(table, name, row_id)]

    def only_visible(self, table: TableSpec, names: Iterable[str]) -> list[str]:
        return [name for name in names if self.can_see_field(table, name)]

    def can_change_field(self, table: TableSpec, name: str, row_id: int | None = None) -> bool:
        """A field it may edit on a stored row: seen, of a visibility it may change, and not derived (computed).
        An `area` also needs `manage_areas`: a boundary moves the derived area of other tables' rows."""
        own = self._own(table, row_id)
        changes = own.changes if own is not None else self.access(table).changes
        spec = table.fields.get(name)
        return (spec is not None and spec.derive is None and spec.visibility in changes
                and self.can_see_field(table, name, row_id)
                and (spec.type != "area" or self.may(table, "manage_areas")))

    def changeable_fields(self, table: TableSpec, row_id: int | None = None) -> list[str]:
        return [name for name in table.fields if self.can_change_field(table, name, row_id)]

    def title_field(self, table: TableSpec) -> str | None:
        """The field that names a row for this reader; None when the title field is not one it may see."""
        title = title_field_of(table)
        return title if title and self.can_see_field(table, title) else None

    def row_title(self, row_id: int, title: object) -> str:
        """What names a row: its title, else `#id` (never the reference number, which stays off public pages)."""
        return str(title) if title not in (None, "") else f"#{row_id}"

    def row_conditions(self, app: AppSpec, table_name: str) -> tuple[Condition, ...] | None:
        """The rows it may see as `where:` mappings to OR together; None for every row, `()` for none.

        The public sees the rows the app's lists and map layers of that table show: if one shows every row, all
        of them; if each has a `where:`, the rows matching any of them (closed schools left out of the school list
        are then not offered in forms either). A table no list or map shows is named only in forms and lists that
        refer to it, and all its rows are offered: its `visibility` settings decide what is public. A scoped staff
        role sees the rows of its scope; a role without the table, none.
        """
        table = app.tables[table_name]
        access = self.access(table)
        if not access.view:
            return ()
        if access.scope is not None:
            return (access.scope,)
        if self.sees_every_row:
            return None
        return within_public_statuses(table, self._shown_rows(app, table_name))

    def _shown_rows(self, app: AppSpec, table_name: str) -> tuple[Condition, ...] | None:
        """The rows the app's lists and maps of the table show (before the workflow's public statuses)."""
        wheres = [spec.where for spec in app.lists.values() if spec.table == table_name]
        wheres += [layer.where for spec in app.maps.values() for layer in spec.layers if layer.table == table_name]
        if not wheres or any(not where for where in wheres):
            return None
        return tuple(where for where in wheres if where)

    def own_row_id(self, app: AppSpec, table_name: str) -> int | None:
        """The row its private link opens, seen besides `row_conditions` (a report its list does not show yet)."""
        own = self.own_row
        return own.row_id if own is not None and own.table_name == table_name else None

    def location_precision_m(self, app: AppSpec, table: TableSpec, name: str) -> float | None:
        """Grid size in metres this reader sees the field's points on; None for the stored point."""
        if self.sees_exact_locations:
            return None
        spec = table.fields[name]
        if spec.public_precision_m is not None:
            return spec.public_precision_m or None  # 0: as stored (a bus stop, a school)
        return DEFAULT_PUBLIC_PRECISION_M if asked_in_public_form(app, table, name) else None

    def location(self, app: AppSpec, table: TableSpec, name: str, point: Point | None) -> Point | None:
        precision = self.location_precision_m(app, table, name)
        return point if point is None or precision is None else snap_to_grid(point, precision)


PUBLIC = Audience("public", frozenset({"public"}), sees_reference_numbers=False, sees_every_row=False,
                  sees_exact_locations=False)
EVERY_ACTION = frozenset({"create", "export", "import", "manage_areas"})
# What STAFF is, as a role: every table, every field, every row, every transition (issue 9's `roles:` narrow it).
STAFF_ROLE = Role("staff", other_tables=TablePermission(view=True, change=True, see_private=True, actions=EVERY_ACTION),
                  every_transition=True)
STAFF = Audience("staff", ALL_VISIBILITIES, sees_reference_numbers=True, sees_every_row=True,
                 sees_exact_locations=True, changes=ALL_VISIBILITIES, role=STAFF_ROLE)


def resident_audience(app: AppSpec, table_name: str, row_id: int) -> Audience:
    """The resident holding the private link of one submission: the public's view, plus that row's own answers."""
    own = OwnRow(app.tables[table_name], table_name, row_id)
    return Audience("resident", PUBLIC.visibilities, sees_reference_numbers=False, sees_every_row=False,
                    sees_exact_locations=False, own_row=own)


def staff_audience(app: AppSpec, role: Role, account_value: Scalar | None = None) -> Audience:
    """A staff member with `role`; `account_value` is what the role's `scope_field`s are matched against."""
    tables = tuple((table, _table_access(role.permission(name), account_value)) for name, table in app.tables.items())
    return Audience(f"staff:{role.name}", frozenset(), sees_reference_numbers=True, sees_every_row=True,
                    sees_exact_locations=True, tables=tables, role=role)


def _table_access(permission: TablePermission | None, account_value: Scalar | None) -> TableAccess:
    if permission is None or not permission.view:
        return TableAccess(False, frozenset())
    if permission.scope_field and account_value in (None, ""):
        return TableAccess(False, frozenset())  # scoped to an account that has no value: nothing of it is theirs
    seen = ALL_VISIBILITIES if permission.see_private else NOT_PRIVATE
    scope: Condition | None = {permission.scope_field: account_value} if permission.scope_field else None
    return TableAccess(True, seen, seen if permission.change else frozenset(), scope, permission.actions)


PROPOSAL_CONTACT_STATUSES = frozenset({"accepted", "dispatched", "reported"})  # both sides accepted (and after)


def proposal_contact_grant(status: str, table: TableSpec, row_id: int, fields: Iterable[str]) -> FieldGrant | None:
    """The counterpart's contact a proposal's side sees: the named fields of that one row, only once both sides
    accepted; None while proposed, and after a decline or a withdrawal (lowcode/matching/proposal_table.py)."""
    named = frozenset(name for name in fields if name in table.fields)
    return FieldGrant(table, row_id, named) if status in PROPOSAL_CONTACT_STATUSES and named else None


def with_grant(audience: Audience, grant: FieldGrant | None, table_name: str) -> Audience:
    """The audience plus a grant (unchanged for None). Its name changes with it: callers cache answers by name."""
    if grant is None:
        return audience
    name = f"{audience.name}+{table_name}#{grant.row_id}:{','.join(sorted(grant.fields))}"
    return replace(audience, name=name, grants=(*audience.grants, grant))


def within_public_statuses(table: TableSpec, rule: tuple[Condition, ...] | None) -> tuple[Condition, ...] | None:
    """A row rule narrowed to the workflow's public statuses: a report still in review (moderation) or declined
    reaches no public page, map, GeoJSON, option or photo, whatever a list's `where:` says."""
    workflow = table.workflow
    if workflow is None:
        return rule
    public: list[Scalar] = list(workflow.public_statuses(table))
    if not public:
        return ()
    if rule is None:
        return ({workflow.field: public},)
    narrowed = (_with_statuses(where, workflow.field, public) for where in rule)
    return tuple(where for where in narrowed if where is not None)


def _with_statuses(where: Condition, field_name: str, public: list[Scalar]) -> Condition | None:
    """`where` AND status in `public`; None when no row can match both (a list of a non-public status)."""
    if field_name not in where:
        return {**where, field_name: list(public)}
    wanted = where[field_name]
    wanted_list = wanted if isinstance(wanted, list) else [wanted]
    both: list[Scalar] = [status for status in public if status in {str(value) for value in wanted_list}]
    return {**where, field_name: both} if both else None


def _field_chain_within(table: TableSpec, name: str, visibilities: frozenset[str]) -> bool:
    """True when the field, and each field it is derived from, has one of `visibilities`."""
    seen: set[str] = set()
    while name in table.fields and name not in seen:
        spec = table.fields[name]
        if spec.visibility not in visibilities:
            return False
        if spec.derive is None:
            return True
        seen.add(name)
        name = spec.derive.source
    return False  # an unknown name, or a derive cycle (validate reports both)


def asked_in_public_form(app: AppSpec, table: TableSpec, name: str) -> bool:
    """True when a public form lets residents fill the field: its values are what residents typed or picked."""
    return any(
        form.access == "public" and app.tables.get(form.table) is table and name in form_field_list(form, table)
        for form in app.forms.values()
    )


def widen_bounds(bounds: tuple[float, float, float, float], metres: float | None) -> tuple[float, float, float, float]:
    """A bounding box grown by one grid cell: the rows whose snapped point may fall inside `bounds`.

    The box is then applied again to the snapped points, so that shrinking it around a point reveals only its cell.
    """
    if metres is None:
        return bounds
    west, south, east, north = bounds
    lat_margin = metres / METRES_PER_DEGREE
    lon_margin = lat_margin / max(math.cos(math.radians(min(max(abs(south), abs(north)) + lat_margin, 89.0))), 0.01)
    return west - lon_margin, south - lat_margin, east + lon_margin, north + lat_margin


def snap_to_grid(point: Point, metres: float) -> Point:
    """The centre of the grid cell holding the point: the same cell for every request, so averaging reveals nothing.

    Latitude rows are `metres` tall; each row's cells are `metres` wide at the row's centre latitude.
    """
    return grid_snapper(metres)(point)


def grid_snapper(metres: float) -> Callable[[Point], Point]:
    """snap_to_grid for many points on one grid (a map layer's): each latitude row's cell width is worked out once."""
    lat_step = metres / METRES_PER_DEGREE
    rows: dict[int, tuple[float, float]] = {}  # row number → (its centre latitude, rounded; its cells' width)

    def snap(point: Point) -> Point:
        lon, lat = point
        row = math.floor(lat / lat_step)
        known = rows.get(row)
        if known is None:
            snapped_lat = (row + 0.5) * lat_step
            known = rows[row] = round(snapped_lat, 6), lat_step / max(math.cos(math.radians(snapped_lat)), 0.01)
        lon_step = known[1]
        return round((math.floor(lon / lon_step) + 0.5) * lon_step, 6), known[0]

    return snap
