"""Checks for `reading:` (a text field's 読み仮名 in another field of the same table)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .context import CheckContext, spec_check
from .problems import Message, register_messages
from .yamlload import Path

if TYPE_CHECKING:
    from .models import AppSpec, TableSpec

register_messages(
    {
        "E_UNKNOWN_READING_FIELD": Message(
            "The reading of '{field}' is the field '{name}', which the table '{table}' does not have.",
            "'{field}' の読み(reading)の項目 '{name}' はテーブル '{table}' にありません。",
            "Add a text field '{name}' to '{table}' for the reading (kana), or name one of: {options}.",
            "'{table}' に読み仮名用の text 型の項目 '{name}' を加えるか、次のどれかを書いてください: {options}。",
        ),
        "E_READING_FIELD_TYPE": Message(
            "The reading of '{field}' must be a text field, but '{name}' is a {type} field.",
            "'{field}' の読み(reading)は text 型の項目にしてください。'{name}' は {type} 型です。",
            "Name a text field that holds the reading in kana (text fields of '{table}': {options}).",
            "読み仮名の入った text 型の項目を書いてください('{table}' の text 型の項目: {options})。",
        ),
        "E_READING_OF_ITSELF": Message(
            "The field '{field}' names itself as its reading.",
            "項目 '{field}' の読み(reading)に自分自身が書かれています。",
            "Add a separate text field for the reading, e.g. `{field}_kana: {{type: text}}`, and write `reading: {field}_kana`.",
            "読み仮名用に別の項目(例: `{field}_kana: {{type: text}}`)を作り、`reading: {field}_kana` と書いてください。",
        ),
    }
)


@spec_check
def check_readings(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        for field_name, field in table.fields.items():
            if field.reading is not None and field.type == "text":
                path = ("tables", table_name, "fields", field_name, "reading")
                check_reading(ctx, table_name, table, field_name, path)


def check_reading(ctx: CheckContext, table_name: str, table: TableSpec, field_name: str, path: Path) -> None:
    name = table.fields[field_name].reading or ""
    texts = [n for n, f in table.fields.items() if f.type == "text" and n != field_name]
    if name == field_name:
        ctx.report("E_READING_OF_ITSELF", path, field=field_name)
    elif name not in table.fields:
        ctx.require_name("E_UNKNOWN_READING_FIELD", name, texts, path, field=field_name, table=table_name)
    elif table.fields[name].type != "text":
        kind = table.fields[name].type
        ctx.report("E_READING_FIELD_TYPE", path, field=field_name, name=name, type=kind, table=table_name, options=texts or "-")
