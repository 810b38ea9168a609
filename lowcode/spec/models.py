"""The typed objects an app's YAML becomes. Everything downstream reads these, never raw dicts."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, GetJsonSchemaHandler, model_validator
from pydantic_core import PydanticCustomError, core_schema

from .base import LANGUAGES, SpecModel, Text
from .conditions import Condition, Scalar
from .dashboards import DashboardSpec
from .dates import RelativeDateValue
from .fieldtypes import BUILTIN_TYPES, known_field_types
from .maps import MapSpec, ServiceAreaSpec, TileServerSpec
from .matching import MatchingSpec
from .places import AreaSpec, DeriveSpec, GeocoderSpec
from .row_links import RowLinkSpec
from .titles import title_field_of  # noqa: F401  (re-exported: the engine imports it from models)
from .workflow import RoleSpec, WorkflowSpec


def require_known_type(name: str) -> str:
    """A type the registry knows (built-in or plug-in); the error is the one a `Literal` gives, with the options."""
    options = known_field_types()
    if name not in options:
        raise PydanticCustomError("literal_error", "Input should be one of {expected}", {"expected": ", ".join(options), "options": options})
    return name


class ListKnownTypes:
    """The JSON Schema lists the types known when it is made, plug-ins included (editors complete them)."""

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {**handler(schema), "enum": self.options()}

    def options(self) -> list[str]:
        return known_field_types()


# A plug-in may add types (`lowcode.field_types`), so a type is text checked against the registry, not a Literal.
FieldTypeName = Annotated[str, AfterValidator(require_known_type), ListKnownTypes()]
Visibility = Literal["public", "staff", "private"]
Language = Literal[LANGUAGES]  # type: ignore[valid-type]  # the catalogues present: adding one adds a language

SYSTEM_COLUMNS = ("id", "ref", "created_at", "updated_at")


class ChoiceSpec(SpecModel):
    """One option of a choice or multichoice field."""

    key: str = Field(description="Stored value: a short word in lowercase letters, digits and `_`.")
    label: Text | None = Field(None, description="What people see; defaults to the key.")
    color: str | None = Field(None, description="Colour on maps and badges, e.g. `#d33` or `red`.")
    public: bool = Field(
        False, description="For a status of a table's `workflow:`: rows in it appear on public pages, maps and the GeoJSON API."
    )
    closed: bool = Field(False, description="For a status of a table's `workflow:`: the matter is finished (done, declined).")

    @model_validator(mode="before")
    @classmethod
    def accept_plain_word(cls, value: Any) -> Any:
        """`- walk` in a list of choices means `- {key: walk}`: the check asks for a key where the word is not one."""
        return {"key": value} if isinstance(value, str) else value

    def text(self, lang: str) -> str:
        return self.label.get(lang) if self.label else self.key


def allow_plain_choices(schema: dict[str, Any]) -> None:
    """Editors accept `- walk` in `choices:` as the loader does (see `ChoiceSpec.accept_plain_word`)."""
    for arm in schema.get("anyOf", []):
        if arm.get("type") == "array":
            arm["items"] = {"anyOf": [arm["items"], {"type": "string"}]}


class FieldSpec(SpecModel):
    """A column of a table and the form input that fills it."""

    type: FieldTypeName = Field(description="Kind of value: " + ", ".join(BUILTIN_TYPES) + ".")
    label: Text | None = Field(None, description="Name shown next to the input and in lists; defaults to the field name.")
    help: Text | None = Field(None, description="One sentence under the input that helps people fill it.")
    placeholder: Text | None = Field(None, description="Example shown inside an empty input.")
    required: bool = Field(False, description="The form cannot be sent without it.")
    unique: bool = Field(False, description="No two rows may have the same value.")
    default: Scalar | list[Scalar] | None = Field(None, description="Value filled in when the form opens.")
    min: float | dt.date | RelativeDateValue | None = Field(
        None,
        description="Smallest number; for a date the earliest day, `YYYY-MM-DD` or counted from the day the form is "
        "filled in: `today`, `today-7`; for multichoice, fewest picks.",
    )
    max: float | dt.date | RelativeDateValue | None = Field(
        None, description="Largest number; for a date the latest day (`YYYY-MM-DD`, `today`, `today+30`); for multichoice, most picks."
    )
    min_length: int | None = Field(None, ge=0, description="Fewest characters.")
    max_length: int | None = Field(
        None, ge=1,
        description="Most characters. Without it: text 200, textarea 4,000, email 254, url 2,000 (phone 30, postal code 20).",
    )
    pattern: str | None = Field(None, description="Regular expression the whole value must match.")
    pattern_message: Text | None = Field(None, description="Message shown when `pattern` does not match.")
    choices: list[ChoiceSpec] | None = Field(
        None,
        description="Options of a choice or multichoice field; a plain word (`- walk`) is a choice with that key.",
        json_schema_extra=allow_plain_choices,
    )
    to: str | None = Field(None, description="For `reference`: the table whose row this field points to.")
    max_size_mb: float | None = Field(None, gt=0, description="For `image`: largest upload in megabytes (default 10).")
    max_side_px: int | None = Field(
        None, ge=320, le=8192,
        description="For `image`: longest side in pixels a photo is stored with; larger photos are shrunk (default 2048).",
    )
    fills: str | None = Field(
        None, description="For `postal_code`: a text field of the same table that is filled with the address found."
    )
    show_if: Condition | None = Field(
        None,
        description="Show (and store) this field only when other fields have these values, "
        "e.g. `{category: other}` or `{category: [a, b]}`.",
    )
    visibility: Visibility = Field(
        "public",
        description="`public`: residents see it; `staff`: only staff pages; `private`: personal data, never leaves staff pages.",
    )
    derive: DeriveSpec | None = Field(None, description="Fill this field from another one (area lookup).")
    reading: str | None = Field(
        None,
        description="For `text`: another text field of the same table holding this one's reading in kana (読み仮名), "
        "e.g. `town_kana`. Searches also match the reading (ひらがな or カタカナ) and sorting by this field follows "
        "the reading (あいうえお order). Fill it from Japan Post's data with `derive: {from: town, town_kana: true}`.",
    )
    public_precision_m: float | None = Field(
        None, ge=0,
        description="For `location`: public pages, maps and the GeoJSON API show the point on a grid of this many "
        "metres (staff pages show it exactly); `0` shows it as stored. Default: 100 where a public form asks for "
        "the point (it may be a resident's home), else as stored.",
    )
    renamed_from: str | None = Field(
        None,
        description="The field's former name, when it was renamed in a live app: `lowcode migrate` renames the "
        "column and keeps every value (without it, the old field is archived and the new one starts empty).",
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    def choice(self, key: str) -> ChoiceSpec | None:
        return next((c for c in self.choices or () if c.key == key), None)


class SeedSpec(SpecModel):
    """Rows loaded from a file in the app's `data/` folder the first time the app starts."""

    file: str = Field(description="Path inside the app folder, e.g. `data/schools.csv` (.csv or .geojson).")
    columns: dict[str, str] = Field(
        default_factory=dict, description="Field name → column (or GeoJSON property) name, where they differ."
    )
    lat: str = Field("lat", description="CSV column with the latitude.")
    lon: str = Field("lon", description="CSV column with the longitude.")
    encoding: Literal["utf-8", "shift_jis", "cp932"] = Field("utf-8", description="Character encoding of a CSV file.")
    created_at: str | None = Field(
        None,
        description="Column (or GeoJSON property) with when each row was made, e.g. `reported_at` holding "
        "`2025-06-12 08:15` (Japan time, or ISO 8601 with an offset): old records keep their dates, so counts per "
        "month are right. Not in the future; an empty cell, or no `created_at:`, dates the row when it is loaded.",
    )


class TableSpec(SpecModel):
    """A data table: its fields and, optionally, rows to start with."""

    label: Text | None = Field(None, description="Name of the table as people say it.")
    description: Text | None = Field(None, description="What the rows are.")
    fields: dict[str, FieldSpec] = Field(description="Field name → field. Names: lowercase letters, digits, `_`.")
    title_field: str | None = Field(None, description="Field that names a row in lists and links; defaults to the first text field.")
    seed: SeedSpec | None = Field(None, description="Rows loaded on first start.")
    workflow: WorkflowSpec | None = Field(
        None, description="Statuses the rows go through and the transitions staff make (review, moderation)."
    )
    renamed_from: str | None = Field(
        None,
        description="The table's former name, when it was renamed in a live app: `lowcode migrate` renames the "
        "database table and keeps every row.",
    )


class FormSpec(SpecModel):
    """A form that adds a row to a table."""

    table: str = Field(description="Table the form adds rows to.")
    title: Text | None = Field(None, description="Heading of the form page.")
    intro: Text | None = Field(None, description="Paragraph above the form.")
    fields: list[str] | None = Field(None, description="Fields in the form, in order; defaults to every field of the table.")
    access: Literal["public", "staff"] = Field("public", description="Who may submit: `public` (anyone) or `staff`.")
    submit_label: Text | None = Field(None, description="Text of the send button.")
    success: Text | None = Field(None, description="Message shown after sending, above the reference number.")
    confirm: bool = Field(
        False, description="Show the answers on a confirmation page (確認画面) before they are sent; only that page sends them."
    )


class ListSpec(SpecModel):
    """A public list of rows with search, filters and a detail page per row."""

    table: str = Field(description="Table whose rows are listed.")
    title: Text | None = Field(None, description="Heading of the list page.")
    intro: Text | None = Field(None, description="Paragraph above the list.")
    columns: list[str] | None = Field(None, description="Fields shown as columns; defaults to the first public fields.")
    search: list[str] = Field(default_factory=list, description="Text fields the search box looks in.")
    filters: list[str] = Field(default_factory=list, description="Choice, boolean, date or reference fields to filter by.")
    sort: str = Field("-created_at", description="Default order: a field name, `-` in front for newest/largest first.")
    page_size: int = Field(20, ge=1, le=100, description="Rows per page (1–100).")
    where: Condition | None = Field(None, description="Only rows with these values are listed, e.g. `{status: [open, done]}`.")
    detail: bool = Field(True, description="Each row links to a detail page.")
    detail_fields: list[str] | None = Field(None, description="Fields on the detail page; defaults to every public field.")
    link: RowLinkSpec | None = Field(None, description="A link on each row to a form, with some of its fields filled from the row.")


class NavItemSpec(SpecModel):
    """One link in the navigation and on the home page: to a form, a list, a map or a web address."""

    form: str | None = Field(None, description="Name of a form.")
    list: str | None = Field(None, description="Name of a list.")
    map: str | None = Field(None, description="Name of a map.")
    dashboard: str | None = Field(None, description="Name of a dashboard.")
    url: str | None = Field(None, description="A web address.")
    label: Text | None = Field(None, description="Link text; defaults to the target's title.")
    description: Text | None = Field(None, description="One line under the link on the home page.")


class HomeSpec(SpecModel):
    """The app's first page."""

    intro: Text | None = Field(None, description="Paragraphs at the top; blank lines separate paragraphs.")
    links: list[NavItemSpec] | None = Field(None, description="Big links on the home page; defaults to the navigation.")


class AppSpec(SpecModel):
    """One resident service: the whole of an `app.yaml`."""

    title: Text = Field(description="Name of the service.")
    description: Text | None = Field(None, description="One or two sentences about the service.")
    languages: list[Language] = Field(["ja", "en"], min_length=1, description="Languages of the pages; the first is the default.")
    contact: Text | None = Field(None, description="Who to contact, shown at the foot of every page.")
    attribution: Text | None = Field(None, description="Data sources and licences, shown at the foot of every page.")
    tables: dict[str, TableSpec] = Field(description="Table name → table.")
    forms: dict[str, FormSpec] = Field(default_factory=dict, description="Form name → form.")
    lists: dict[str, ListSpec] = Field(default_factory=dict, description="List name → list page.")
    maps: dict[str, MapSpec] = Field(default_factory=dict, description="Map name → map page.")
    dashboards: dict[str, DashboardSpec] = Field(
        default_factory=dict, description="Dashboard name → a page of charts (counts, counts over time, shares)."
    )
    home: HomeSpec = Field(default_factory=HomeSpec, description="The first page.")
    nav: list[NavItemSpec] | None = Field(None, description="Navigation links; defaults to every public form, list, map and dashboard.")
    service_area: ServiceAreaSpec | None = Field(None, description="Where points may lie.")
    basemap: str | TileServerSpec = Field(
        "osm",
        description="Background map of the location picker in forms and of every map without its own `basemap`: "
        "`osm`, `gsi_std`, `gsi_pale`, `none` (closed networks without a tile server) or `{url: …, attribution: …}`.",
    )
    geocoder: GeocoderSpec | None = Field(None, description="How addresses become points.")
    areas: dict[str, AreaSpec] = Field(default_factory=dict, description="Area set name → areas (districts, 町会).")
    matching: dict[str, MatchingSpec] = Field(
        default_factory=dict,
        description="Matching name → which helpers suit each request, ranked with the reasons (staff propose them).",
    )
    roles: dict[str, RoleSpec] = Field(
        default_factory=dict,
        description="Role name → what staff accounts with that role may do. A role `admin` that may do everything "
        "exists even when not written.",
    )

    @property
    def default_language(self) -> str:
        return self.languages[0]


def field_label(name: str, spec: FieldSpec, lang: str) -> str:
    return spec.label.get(lang) if spec.label else name


def nav_items(app: AppSpec) -> list[NavItemSpec]:
    if app.nav is not None:
        return app.nav
    items = [NavItemSpec(form=name) for name, f in app.forms.items() if f.access == "public"]
    items += [NavItemSpec(list=name) for name in app.lists]
    items += [NavItemSpec(map=name) for name in app.maps]
    items += [NavItemSpec(dashboard=name) for name, d in app.dashboards.items() if d.access == "public"]
    return items


def condition_holds(condition: Condition | None, values: dict[str, Any]) -> bool:
    """True when every field named in `condition` has (one of) the given value(s)."""
    for name, expected in (condition or {}).items():
        options = expected if isinstance(expected, list) else [expected]
        actual = values.get(name)
        actual_list = actual if isinstance(actual, list) else [actual]
        if not any(_same(a, o) for a in actual_list for o in options):
            return False
    return True


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(actual) == _as_bool(expected)
    return str(actual) == str(expected) if actual is not None else expected is None


def _as_bool(value: Any) -> bool:
    return value is True or str(value).lower() in {"true", "yes", "1", "on"}
