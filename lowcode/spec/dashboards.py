"""Dashboards (`dashboards:`): pages of charts that count a table's rows, their YAML shape and their checks.

A chart counts the rows of one table by a choice, status, yes/no, reference, derived (area) or date field, or by the day
rows came in (`created_at`) per week or month; or by a multichoice field, one bar per choice, a row counted under every
choice it holds; or shows the share of rows whose field is one of some keys (countermeasure done), overall or per
group. A public dashboard counts the rows the public sees and may name public fields only: a count by a private field
tells the public about personal data. Pure: no web framework, no database.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from .base import SpecModel, Text
from .conditions import Condition, check_condition_value, check_one_value
from .context import CheckContext, spec_check
from .problems import Message, register_messages
from .schema_ja import DESCRIPTIONS_JA

if TYPE_CHECKING:
    from .models import AppSpec, FieldSpec, TableSpec

Path = tuple[Any, ...]
CREATED_AT = "created_at"
# Fields whose values make a short, known set of groups (a count by free text would be one bar per row). A multichoice
# makes one group per choice, and a row is counted in each of its choices (`counts_every_choice`).
GROUP_TYPES = frozenset({"choice", "boolean", "multichoice"})
TIME_TYPES = frozenset({"date", "datetime"})
SHARE_TYPES = frozenset({"choice", "boolean"})
ChartKind = Literal["bar", "line", "share"]
Period = Literal["week", "month"]


class ShareSpec(SpecModel):
    """Which rows a share chart counts as the part of the whole."""

    field: str = Field(description="A choice or yes/no field, e.g. `status`.")
    in_: list[str] = Field(
        alias="in", min_length=1,
        description="The keys that count as the part, e.g. `[done]`; for a yes/no field `[true]` or `[false]`.",
    )


class ChartSpec(SpecModel):
    """One chart of a dashboard: the rows of a table counted by a field, over time, or as a share."""

    table: str = Field(description="Table whose rows are counted.")
    title: Text | None = Field(None, description="Heading of the chart; defaults to the table and the field's label.")
    by: str | None = Field(
        None,
        description="Count the rows per value of this field: a choice (a status too), yes/no, reference (per school) "
        "or derived (area) field; a multichoice field (a row counts under each choice it holds); or per week or month "
        "of a date field or of `created_at` (the day the row came in).",
    )
    per: Period | None = Field(None, description="For a date `by`: count per `week` (Monday to Sunday) or `month` (default).")
    kind: ChartKind | None = Field(
        None,
        description="`bar`, `line` or `share`; defaults to `line` for a date `by`, `share` with `share:`, else `bar`.",
    )
    share: ShareSpec | None = Field(
        None, description="Show the share of rows whose field is one of these keys (of each group when `by` is given)."
    )
    where: Condition | None = Field(None, description="Only rows with these values are counted, e.g. `{kind: traffic}`.")

    def fields_used(self) -> list[str]:
        """The table's fields the chart reads (it reveals something about each of them)."""
        names = [self.by] if self.by and self.by != CREATED_AT else []
        names += [self.share.field] if self.share else []
        return names + list(self.where or {})


class DashboardSpec(SpecModel):
    """A page of charts counting rows, for residents or for staff."""

    title: Text | None = Field(None, description="Heading of the dashboard page.")
    intro: Text | None = Field(None, description="Paragraph above the charts.")
    access: Literal["public", "staff"] = Field(
        "public",
        description="`public`: anyone sees it, counting the rows and fields the public sees; `staff`: logged-in "
        "staff whose role may view the charts' tables.",
    )
    charts: list[ChartSpec] = Field(min_length=1, description="The charts, from top to bottom.")


def is_time_field(table: TableSpec, name: str | None) -> bool:
    if name == CREATED_AT:
        return True
    field = table.fields.get(name or "")
    return field is not None and field.type in TIME_TYPES


def is_group_field(field: FieldSpec) -> bool:
    return field.type in GROUP_TYPES or field.type == "reference" or (field.derive is not None and field.type in ("text", "choice"))


def counts_every_choice(table: TableSpec, name: str | None) -> bool:
    """A count by a multichoice field: one group per choice, a row in as many groups as it holds choices."""
    field = table.fields.get(name or "")
    return field is not None and field.type == "multichoice"


def chart_period(chart: ChartSpec) -> Period:
    return chart.per or "month"


def chart_kind(chart: ChartSpec, table: TableSpec) -> ChartKind:
    """The kind written, else the one its settings imply: `line` over time, `share` with `share:`, else `bar`."""
    if chart.kind is not None:
        return chart.kind
    if chart.share is not None:
        return "share"
    return "line" if is_time_field(table, chart.by) else "bar"


DESCRIPTIONS_JA.update({
    "Dashboard name → a page of charts (counts, counts over time, shares).":
        "ダッシュボード名 → グラフのページ(件数・時期ごとの件数・割合)。",
    "A page of charts counting rows, for residents or for staff.": "行を数えるグラフのページ。住民向けまたは職員向け。",
    "Heading of the dashboard page.": "ダッシュボードのページの見出し。",
    "Paragraph above the charts.": "グラフの上に表示する文章。",
    "`public`: anyone sees it, counting the rows and fields the public sees; `staff`: logged-in staff whose role may "
    "view the charts' tables.":
        "`public`: 誰でも見られます(公開される行と項目だけを数えます)。`staff`: グラフのテーブルを見られる役割で"
        "ログインした職員だけ。",
    "The charts, from top to bottom.": "グラフ(上から順に)。",
    "One chart of a dashboard: the rows of a table counted by a field, over time, or as a share.":
        "ダッシュボードのグラフ1つ: テーブルの行を項目ごと・時期ごとに数えるか、割合を示します。",
    "Table whose rows are counted.": "行を数えるテーブル。",
    "Heading of the chart; defaults to the table and the field's label.": "グラフの見出し。省略するとテーブルと項目の名前。",
    "Count the rows per value of this field: a choice (a status too), yes/no, reference (per school) or derived (area) "
    "field; a multichoice field (a row counts under each choice it holds); or per week or month of a date field or of "
    "`created_at` (the day the row came in).":
        "この項目の値ごとに行を数えます: 選択肢(状態も)・はい/いいえ・参照(学校ごとなど)・区域などから作られる項目。"
        "複数選択の項目なら選択肢ごと(1行が選んだ選択肢すべてに数えられます)。日付の項目か "
        "`created_at`(受け付けた日)なら週ごと・月ごと。",
    "For a date `by`: count per `week` (Monday to Sunday) or `month` (default).":
        "`by` が日付のとき: `week`(月曜〜日曜)ごと、または `month`(既定)ごとに数えます。",
    "`bar`, `line` or `share`; defaults to `line` for a date `by`, `share` with `share:`, else `bar`.":
        "`bar`(棒)・`line`(折れ線)・`share`(割合)。省略すると日付の `by` では `line`、`share:` があれば `share`、"
        "それ以外は `bar`。",
    "Show the share of rows whose field is one of these keys (of each group when `by` is given).":
        "項目がこれらの値である行の割合を示します(`by` があればグループごと)。",
    "Only rows with these values are counted, e.g. `{kind: traffic}`.": "これらの値の行だけを数えます(例: `{kind: traffic}`)。",
    "Which rows a share chart counts as the part of the whole.": "割合のグラフで「部分」として数える行。",
    "A choice or yes/no field, e.g. `status`.": "選択肢か、はい/いいえの項目(例: `status`)。",
    "The keys that count as the part, e.g. `[done]`; for a yes/no field `[true]` or `[false]`.":
        "部分として数える値(例: `[done]`)。はい/いいえの項目なら `[true]` か `[false]`。",
    "Name of a dashboard.": "ダッシュボードの名前。",
})

register_messages(
    {
        "E_UNKNOWN_DASHBOARD": Message(
            "There is no dashboard '{name}'.", "ダッシュボード '{name}' はありません。",
            "Dashboards: {options}.", "ダッシュボード: {options}。",
        ),
        "E_CHART_BY_TYPE": Message(
            "A chart cannot count rows by '{name}': it is a {type} field, whose values do not make a few groups.",
            "グラフは '{name}' ごとに行を数えられません。{type} 型の項目は、値がいくつかのグループに分かれません。",
            "Count by a choice, multichoice, yes/no, reference, date or derived (area) field, or by `created_at`: "
            "{options}.",
            "選択肢・複数選択・はい/いいえ・参照・日付・区域などから作られる項目か、`created_at` を指定してください: "
            "{options}。",
        ),
        "E_CHART_NEEDS_BY": Message(
            "A {kind} chart needs `by:`, the field whose values it counts the rows by.",
            "{kind} のグラフには、行を数える項目を `by:` で指定する必要があります。",
            "Add e.g. `by: {example}`, or make it a share chart with `share: {{field: …, in: […]}}`.",
            "例えば `by: {example}` を追加するか、`share: {{field: …, in: […]}}` で割合のグラフにしてください。",
        ),
        "E_CHART_PER_NOT_DATE": Message(
            "`per: {per}` counts per week or month, but '{name}' is not a date.",
            "`per: {per}` は週ごと・月ごとに数える設定ですが、'{name}' は日付ではありません。",
            "Remove `per:`, or count by a date field or by `created_at` (the day a row came in).",
            "`per:` を削除するか、日付の項目か `created_at`(受け付けた日)で数えてください。",
        ),
        "E_CHART_LINE_NOT_DATE": Message(
            "A line chart shows counts over time, but '{name}' is not a date.",
            "折れ線グラフは時期ごとの件数を示しますが、'{name}' は日付ではありません。",
            "Use `kind: bar`, or count by a date field or by `created_at`.",
            "`kind: bar` にするか、日付の項目か `created_at` で数えてください。",
        ),
        "E_CHART_SHARE_MISSING": Message(
            "A share chart needs `share:`: which rows count as the part of the whole.",
            "割合のグラフには、部分として数える行を `share:` で指定する必要があります。",
            "Add e.g. `share: {{field: status, in: [done]}}`.", "例えば `share: {{field: status, in: [done]}}` を追加してください。",
        ),
        "E_CHART_SHARE_TYPE": Message(
            "A share is counted over the keys of a choice or yes/no field, but '{name}' is a {type} field.",
            "割合は選択肢か、はい/いいえの項目の値で数えますが、'{name}' は {type} 型の項目です。",
            "Name one of: {options}.", "次のどれかを指定してください: {options}。",
        ),
    }
)


@spec_check
def check_dashboards(app: AppSpec, ctx: CheckContext) -> None:
    for name, dashboard in app.dashboards.items():
        path = ("dashboards", name)  # the name itself is checked with the other names (check.check_names)
        for index, chart in enumerate(dashboard.charts):
            _check_chart(app, ctx, chart, dashboard.access == "public", (*path, "charts", index))


def _check_chart(app: AppSpec, ctx: CheckContext, chart: ChartSpec, public: bool, path: Path) -> None:
    if not ctx.require_name("E_UNKNOWN_TABLE", chart.table, app.tables, (*path, "table")):
        return
    table = app.tables[chart.table]
    by_ok = _check_by(ctx, chart, table, path)
    _check_kind(ctx, chart, table, path, by_ok)
    if chart.share is not None:
        _check_share(ctx, chart.table, table, chart.share, (*path, "share"))
    for field_name, expected in (chart.where or {}).items():
        check_condition_value(ctx, chart.table, table, field_name, expected, (*path, "where", field_name))
    if public:
        _check_public_fields(ctx, chart, table, path)


def _check_by(ctx: CheckContext, chart: ChartSpec, table: TableSpec, path: Path) -> bool:
    """The `by:` field exists and makes groups; True when the chart's kind can then be checked against it."""
    if chart.by is None:
        return True
    options = [CREATED_AT, *(n for n, f in table.fields.items() if is_group_field(f) or f.type in TIME_TYPES)]
    if chart.by != CREATED_AT and not ctx.require_name("E_UNKNOWN_FIELD", chart.by, [*table.fields, CREATED_AT],
                                                        (*path, "by"), table=chart.table):
        return False
    field = table.fields.get(chart.by)
    if field is not None and not (is_group_field(field) or field.type in TIME_TYPES):
        ctx.report("E_CHART_BY_TYPE", (*path, "by"), name=chart.by, type=field.type, options=options)
        return False
    if chart.per is not None and not is_time_field(table, chart.by):
        ctx.report("E_CHART_PER_NOT_DATE", (*path, "per"), per=chart.per, name=chart.by)
    return True


def _check_kind(ctx: CheckContext, chart: ChartSpec, table: TableSpec, path: Path, by_ok: bool) -> None:
    kind = chart_kind(chart, table)
    if kind == "share" and chart.share is None:
        ctx.report("E_CHART_SHARE_MISSING", (*path, "kind"))
    if kind in ("bar", "line") and chart.by is None:
        ctx.report("E_CHART_NEEDS_BY", path, kind=kind, example=CREATED_AT if kind == "line" else "status")
    if by_ok and kind == "line" and chart.by is not None and not is_time_field(table, chart.by):
        ctx.report("E_CHART_LINE_NOT_DATE", (*path, "kind"), name=chart.by)


def _check_share(ctx: CheckContext, table_name: str, table: TableSpec, share: ShareSpec, path: Path) -> None:
    if not ctx.require_name("E_UNKNOWN_FIELD", share.field, table.fields, (*path, "field"), table=table_name):
        return
    field = table.fields[share.field]
    if field.type not in SHARE_TYPES:
        options = [n for n, f in table.fields.items() if f.type in SHARE_TYPES] or "-"
        ctx.report("E_CHART_SHARE_TYPE", (*path, "field"), name=share.field, type=field.type, options=options)
        return
    for index, key in enumerate(share.in_):
        check_one_value(ctx, field, key, (*path, "in", index), "E_BAD_VALUE_FOR_FIELD", share.field)


def _check_public_fields(ctx: CheckContext, chart: ChartSpec, table: TableSpec, path: Path) -> None:
    """A public count by a field tells residents about its values: only public fields may be named (a public field
    derived from a private one is refused by its own check). The message for a private field never suggests making
    personal data public (CheckContext turns E_NOT_PUBLIC into E_PRIVATE_ON_PUBLIC_PAGE)."""
    at = {chart.by: (*path, "by")} if chart.by else {}
    if chart.share is not None:
        at[chart.share.field] = (*path, "share", "field")
    at.update({name: (*path, "where", name) for name in chart.where or {}})
    for name in chart.fields_used():
        field = table.fields.get(name)
        if field is not None and not field.is_public:
            ctx.report("E_NOT_PUBLIC", at[name], name=name, visibility=field.visibility)
