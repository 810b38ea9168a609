"""Matching (`matching:`): which rows of a helpers table suit each row of a requests table, its YAML and its checks.

A matching names the two tables and the criteria, each a kind with one field on each side and a weight: category
overlap, distance (with a maximum and a decay), dates or weekdays, capacity (people needed vs offered) and the same
area. The engine (lowcode/matching/) ranks the helpers; this module only describes and checks. Pure.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from .base import SpecModel, Text
from .conditions import Condition, check_condition_value
from .context import CheckContext, spec_check
from .problems import Message, register_messages
from .schema_ja import DESCRIPTIONS_JA

if TYPE_CHECKING:
    from .models import AppSpec, TableSpec

Path = tuple[Any, ...]
CriterionKind = Literal["category", "distance", "dates", "capacity", "same_area"]
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Python's date.weekday() order
# The field types each kind compares, the same on both sides.
KIND_TYPES: dict[str, tuple[str, ...]] = {
    "category": ("choice", "multichoice"),
    "distance": ("location",),
    "dates": ("date", "multichoice"),
    "capacity": ("integer", "number"),
    "same_area": ("text", "choice", "reference"),  # a reference: to the same table on both sides
}
DISTANCE_ONLY = ("max_km", "decay_km")


class CriterionSpec(SpecModel):
    """One part of a match's score: a field of the request compared with a field of the helper."""

    kind: CriterionKind = Field(
        description="`category` (shared choices), `distance` (km between two locations), `dates` (a date or "
        "weekdays the helper is available), `capacity` (people offered against people needed) or `same_area` "
        "(the same district or area)."
    )
    request_field: str = Field(description="Field of the requests table.")
    helper_field: str = Field(description="Field of the helpers table.")
    weight: float = Field(1.0, gt=0, description="How much this part counts against the others.")
    max_km: float | None = Field(None, gt=0, description="For `distance`: helpers farther than this are not proposed.")
    decay_km: float | None = Field(
        None, gt=0, description="For `distance`: every this many km halve the part's score; defaults to a third of `max_km`."
    )

    def half_life_km(self) -> float:
        return self.decay_km or (self.max_km or 1.0) / 3


class ProposalsSpec(SpecModel):
    """Staff confirm a proposal; both sides accept or decline; contacts are shown to each side once both accept."""

    request_contact: list[str] = Field(
        default_factory=list, description="Fields of the request the helper sees once both sides accepted."
    )
    helper_contact: list[str] = Field(
        default_factory=list, description="Fields of the helper the request's side sees once both sides accepted."
    )
    helper_email: str | None = Field(
        None, description="`email` field of the helper: the helper is asked there, with a private link to answer."
    )
    request_email: str | None = Field(
        None, description="`email` field of the request: its side is asked there too (else it answers as staff)."
    )


class MatchingSpec(SpecModel):
    """Ranks the helpers for each request, with the reasons, for staff to propose."""

    title: Text | None = Field(None, description="Heading of the staff page of this matching.")
    requests: str = Field(description="Table of the requests (what is needed, where, when).")
    helpers: str = Field(description="Table of the helpers (what they offer, where, when).")
    criteria: list[CriterionSpec] = Field(min_length=1, description="The parts of the score, each with a weight.")
    top: int = Field(5, ge=1, le=50, description="How many helpers to propose per request.")
    requests_where: Condition | None = Field(
        None, description="Only requests with these values are matched, e.g. `{status: open}`."
    )
    helpers_where: Condition | None = Field(
        None, description="Only helpers with these values are proposed, e.g. `{status: active}`."
    )
    proposals: ProposalsSpec | None = Field(
        None, description="Lets staff propose a helper for a request: both answer, then see each other's contact."
    )


register_messages(
    {
        "E_MATCH_FIELD_TYPE": Message(
            "A `{kind}` criterion compares {allowed} fields, but '{name}' is a {type} field.",
            "`{kind}` の条件は {allowed} 型の項目を比べますが、'{name}' は {type} 型の項目です。",
            "Name one of: {options}.", "次のどれかを指定してください: {options}。",
        ),
        "E_MATCH_NEEDS_MAX_KM": Message(
            "A `distance` criterion needs `max_km:`, the farthest a helper may be.",
            "`distance` の条件には、助っ人までの最大距離 `max_km:` が必要です。",
            "Add e.g. `max_km: 5`.", "例えば `max_km: 5` を追加してください。",
        ),
        "E_MATCH_OPTION_NOT_FOR_KIND": Message(
            "`{option}:` is for a `distance` criterion, not for `{kind}`.",
            "`{option}:` は `distance` の条件の設定で、`{kind}` には使えません。",
            "Remove it, or make the criterion `kind: distance`.", "削除するか、`kind: distance` の条件にしてください。",
        ),
        "E_PROPOSAL_EMAIL_TYPE": Message(
            "`{key}:` names the address proposals are sent to, but '{name}' is a {type} field, not an `email` one.",
            "`{key}:` は提案を送るアドレスの項目ですが、'{name}' は `email` 型ではなく {type} 型の項目です。",
            "Name an `email` field of '{table}': {options}.", "'{table}' の `email` 型の項目を指定してください: {options}。",
        ),
        "E_MATCH_AREA_REFERENCE": Message(
            "A `same_area` criterion with a reference compares references to one table, but '{request}' is "
            "{request_is} and '{helper}' is {helper_is}.",
            "参照項目を比べる `same_area` の条件は両方とも同じテーブルへの参照でなければなりませんが、'{request}' は "
            "{request_is}、'{helper}' は {helper_is} です。",
            "Make both `type: reference` with the same `to:` (e.g. `to: {to}`).",
            "両方を同じ `to:` の `type: reference` にしてください(例: `to: {to}`)。",
        ),
        "E_MATCH_WEEKDAY_KEYS": Message(
            "'{name}' is compared with a date, so its choices must be weekdays, but '{key}' is not one.",
            "'{name}' は日付と比べるので選択肢は曜日でなければなりませんが、'{key}' は曜日ではありません。",
            "Use the keys {options}.", "キー {options} を使ってください。",
        ),
    }
)


@spec_check
def check_matching(app: AppSpec, ctx: CheckContext) -> None:
    for name, matching in app.matching.items():
        path = ("matching", name)  # the name itself is checked with the other names (check.check_names)
        tables = {side: _known_table(app, ctx, getattr(matching, side), (*path, side)) for side in ("requests", "helpers")}
        for index, criterion in enumerate(matching.criteria):
            _check_criterion(ctx, matching, criterion, tables, (*path, "criteria", index))
        for side, where in (("requests", matching.requests_where), ("helpers", matching.helpers_where)):
            table = tables[side]
            if table is None:
                continue
            for field_name, expected in (where or {}).items():
                check_condition_value(ctx, getattr(matching, side), table, field_name, expected,
                                      (*path, f"{side}_where", field_name))
        if matching.proposals is not None:
            _check_proposals(ctx, matching, matching.proposals, tables, (*path, "proposals"))


def _known_table(app: AppSpec, ctx: CheckContext, name: str, path: Path) -> TableSpec | None:
    return app.tables[name] if ctx.require_name("E_UNKNOWN_TABLE", name, app.tables, path) else None


def _check_criterion(ctx: CheckContext, matching: MatchingSpec, criterion: CriterionSpec,
                     tables: dict[str, TableSpec | None], path: Path) -> None:
    if criterion.kind == "distance" and criterion.max_km is None:
        ctx.report("E_MATCH_NEEDS_MAX_KM", path)
    for option in DISTANCE_ONLY if criterion.kind != "distance" else ():
        if getattr(criterion, option) is not None:
            ctx.report("E_MATCH_OPTION_NOT_FOR_KIND", (*path, option), prefer_key=True, option=option, kind=criterion.kind)
    types = {}
    for side, key in (("requests", "request_field"), ("helpers", "helper_field")):
        table, field_name = tables[side], getattr(criterion, key)
        if table is not None:
            types[side] = _field_type(ctx, criterion.kind, getattr(matching, side), table, field_name, (*path, key))
    if criterion.kind == "same_area" and "reference" in types.values() and None not in types.values():
        _check_same_reference(ctx, criterion, tables, path)
    if criterion.kind == "dates" and set(types.values()) == {"date", "multichoice"}:
        side = "requests" if types["requests"] == "multichoice" else "helpers"
        key = "request_field" if side == "requests" else "helper_field"
        _check_weekdays(ctx, tables[side], getattr(criterion, key), (*path, key))


def _field_type(ctx: CheckContext, kind: str, table_name: str, table: TableSpec, name: str, path: Path) -> str | None:
    """The field's type when it exists and suits the kind, else None (and the problem reported)."""
    if not ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, path, table=table_name):
        return None
    allowed = KIND_TYPES[kind]
    field = table.fields[name]
    if field.type not in allowed:
        options = [n for n, f in table.fields.items() if f.type in allowed] or "-"
        ctx.report("E_MATCH_FIELD_TYPE", path, kind=kind, allowed="/".join(allowed), name=name, type=field.type,
                   options=options)
        return None
    return field.type


def _check_same_reference(ctx: CheckContext, criterion: CriterionSpec, tables: dict[str, TableSpec | None],
                          path: Path) -> None:
    """Two references name the same area only when they point into the same table (two 校下 ids, not a 校下 id and
    a 町会 id that happen to be equal)."""
    request_table, helper_table = tables["requests"], tables["helpers"]
    if request_table is None or helper_table is None:
        return
    request = request_table.fields[criterion.request_field]
    helper = helper_table.fields[criterion.helper_field]
    if request.type == helper.type == "reference" and request.to == helper.to:
        return

    def shown(field: Any) -> str:
        return f"reference→{field.to}" if field.type == "reference" else field.type

    ctx.report("E_MATCH_AREA_REFERENCE", (*path, "helper_field"), request=criterion.request_field,
               request_is=shown(request), helper=criterion.helper_field, helper_is=shown(helper),
               to=request.to if request.type == "reference" else helper.to)


PROPOSAL_KEYS = (("requests", "request_contact", "request_email"), ("helpers", "helper_contact", "helper_email"))


def _check_proposals(ctx: CheckContext, matching: MatchingSpec, proposals: ProposalsSpec,
                     tables: dict[str, TableSpec | None], path: Path) -> None:
    """Each contact field exists in its side's table; each address key names an `email` field of it."""
    for side, contact_key, email_key in PROPOSAL_KEYS:
        table, table_name = tables[side], getattr(matching, side)
        if table is None:
            continue
        for index, name in enumerate(getattr(proposals, contact_key)):
            ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, (*path, contact_key, index), table=table_name)
        email = getattr(proposals, email_key)
        if email is None or not ctx.require_name("E_UNKNOWN_FIELD", email, table.fields, (*path, email_key),
                                                 table=table_name):
            continue
        if table.fields[email].type != "email":
            options = [n for n, f in table.fields.items() if f.type == "email"] or "-"
            ctx.report("E_PROPOSAL_EMAIL_TYPE", (*path, email_key), key=email_key, name=email,
                       type=table.fields[email].type, table=table_name, options=options)


def _check_weekdays(ctx: CheckContext, table: TableSpec | None, name: str, path: Path) -> None:
    field = table.fields[name] if table is not None else None
    for choice in field.choices or () if field is not None else ():
        if choice.key not in WEEKDAY_KEYS:
            ctx.report("E_MATCH_WEEKDAY_KEYS", path, name=name, key=choice.key, options=list(WEEKDAY_KEYS))
            return


DESCRIPTIONS_JA.update({
    "Matching name → which helpers suit each request, ranked with the reasons (staff propose them).":
        "マッチング名 → 依頼ごとに合う助っ人を理由つきで順位づけします(職員が提案します)。",
    "Ranks the helpers for each request, with the reasons, for staff to propose.":
        "依頼ごとに助っ人を理由つきで順位づけし、職員が提案できるようにします。",
    "Heading of the staff page of this matching.": "このマッチングの職員用ページの見出し。",
    "Table of the requests (what is needed, where, when).": "依頼のテーブル(何が・どこで・いつ必要か)。",
    "Table of the helpers (what they offer, where, when).": "助っ人のテーブル(何を・どこで・いつ手伝えるか)。",
    "The parts of the score, each with a weight.": "点数を作る条件(それぞれに重み)。",
    "How many helpers to propose per request.": "依頼ごとに提案する助っ人の数。",
    "Only requests with these values are matched, e.g. `{status: open}`.":
        "この値をもつ依頼だけをマッチングします(例: `{status: open}`)。",
    "Only helpers with these values are proposed, e.g. `{status: active}`.":
        "この値をもつ助っ人だけを提案します(例: `{status: active}`)。",
    "One part of a match's score: a field of the request compared with a field of the helper.":
        "マッチの点数の一部: 依頼の項目と助っ人の項目を比べます。",
    "`category` (shared choices), `distance` (km between two locations), `dates` (a date or weekdays the helper is "
    "available), `capacity` (people offered against people needed) or `same_area` (the same district or area).":
        "`category`(共通の選択肢)・`distance`(2地点間の km)・`dates`(日付か、助っ人が手伝える曜日)・"
        "`capacity`(必要な人数に対する参加できる人数)・`same_area`(同じ校下や区域)。",
    "Field of the requests table.": "依頼のテーブルの項目。",
    "Field of the helpers table.": "助っ人のテーブルの項目。",
    "How much this part counts against the others.": "ほかの条件と比べたこの条件の重み。",
    "For `distance`: helpers farther than this are not proposed.": "`distance` の場合: これより遠い助っ人は提案しません。",
    "For `distance`: every this many km halve the part's score; defaults to a third of `max_km`.":
        "`distance` の場合: この km ごとに点数が半分になります。省略すると `max_km` の3分の1。",
    "Staff confirm a proposal; both sides accept or decline; contacts are shown to each side once both accept.":
        "職員が提案を確定し、双方が受けるか断るかを答えます。双方が受けたら、互いの連絡先が見えます。",
    "Lets staff propose a helper for a request: both answer, then see each other's contact.":
        "職員が依頼に助っ人を提案できるようにします。双方が答え、受けたら互いの連絡先が見えます。",
    "Fields of the request the helper sees once both sides accepted.":
        "双方が受けたあとに助っ人に見せる、依頼の項目。",
    "Fields of the helper the request's side sees once both sides accepted.":
        "双方が受けたあとに依頼側に見せる、助っ人の項目。",
    "`email` field of the helper: the helper is asked there, with a private link to answer.":
        "助っ人の `email` 型の項目: ここへ、回答用の非公開リンクつきで提案を送ります。",
    "`email` field of the request: its side is asked there too (else it answers as staff).":
        "依頼の `email` 型の項目: 依頼側にもここへ提案を送ります(省略すると職員として回答します)。",
})
