"""Checks for `renamed_from:` (a field's or table's former name, read by `lowcode migrate`).

Only the YAML is known here: whether the old name exists in the database is said by the migration plan.
"""
from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .context import CheckContext, spec_check
from .problems import Message, register_messages

if TYPE_CHECKING:
    from .models import AppSpec

# The words for "table" and "field" in each language (the same as lowcode/spec/check.py's KIND_WORDS).
KIND_WORDS = {"table": {"en": "table", "ja": "テーブル"}, "field": {"en": "field", "ja": "項目"}}

register_messages(
    {
        "W_RENAMED_FROM_IN_USE": Message(
            "'{name}' says it was renamed from '{old}', but '{old}' is still a {kind} of this app: the rename would "
            "take the values of the other one.",
            "'{name}' は '{old}' から名前を変えたと書かれていますが、'{old}' はまだこのアプリの{kind}です。"
            "名前を変えると、もう一方の値を持っていってしまいます。",
            "Remove `renamed_from: {old}`, or rename (or remove) the {kind} '{old}'.",
            "`renamed_from: {old}` を消すか、{kind} '{old}' の名前を変える(または消す)かしてください。",
            severity="warning",
        ),
        "W_RENAMED_FROM_ITSELF": Message(
            "'{name}' says it was renamed from itself.",
            "'{name}' は自分自身から名前を変えたと書かれています。",
            "Remove `renamed_from: {name}`: the name is unchanged.",
            "名前は変わっていないので、`renamed_from: {name}` を消してください。",
            severity="warning",
        ),
    }
)


@spec_check
def check_renamed_from(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        at_table = ("tables", table_name, "renamed_from")
        _check_one(ctx, table_name, table.renamed_from, app.tables, at_table, KIND_WORDS["table"])
        for field_name, field in table.fields.items():
            at = ("tables", table_name, "fields", field_name, "renamed_from")
            _check_one(ctx, field_name, field.renamed_from, table.fields, at, KIND_WORDS["field"])


def _check_one(
    ctx: CheckContext, name: str, old: str | None, current: Collection[str], at: tuple[object, ...], kind: dict[str, str]
) -> None:
    if old is None:
        return
    if old == name:
        ctx.report("W_RENAMED_FROM_ITSELF", at, name=name)
    elif old in current:
        ctx.report("W_RENAMED_FROM_IN_USE", at, name=name, old=old, kind=kind)
