"""The checks of a list's `link:` (lowcode/spec/row_links.py): a public form, fields the form asks, filled from
fields the list shows, of a type that fits. Pure."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .context import CheckContext, spec_check
from .privacy import form_field_list
from .problems import Message, register_messages

if TYPE_CHECKING:
    from .models import AppSpec, FieldSpec

TEXT_TYPES = ("text", "textarea")


register_messages(
    {
        "E_ROW_LINK_NOT_PUBLIC_FORM": Message(
            "The list links to the form '{name}', which only staff may open.",
            "一覧からフォーム '{name}' にリンクしていますが、このフォームは職員しか開けません。",
            "Link to a public form: {options}.", "公開のフォームにリンクしてください: {options}。",
        ),
        "E_ROW_LINK_NOT_IN_FORM": Message(
            "The form '{form}' does not ask for '{name}', so the link cannot fill it.",
            "フォーム '{form}' には '{name}' の欄がないので、リンクで入れられません。",
            "Fill one of the form's fields: {options}.", "フォームの欄から選んでください: {options}。",
        ),
        "E_ROW_LINK_NOT_SHOWN": Message(
            "'{name}' fills the form but the list does not show it: a link passes on only what the row shows.",
            "'{name}' でフォームを埋めようとしていますが、一覧に表示されていない項目です。リンクで渡せるのは行に表示している値だけです。",
            "Add it to the list's `columns:`, or fill from one of them: {options}.",
            "一覧の `columns:` に加えるか、表示している項目から選んでください: {options}。",
        ),
        "E_ROW_LINK_TYPE": Message(
            "'{source}' ({source_type}) cannot fill '{name}' ({type}) of the form.",
            "'{source}'({source_type} 型)では、フォームの '{name}'({type} 型)を埋められません。",
            "Fill it from a field of the same type (a reference to the same table): {options}.",
            "同じ型(同じテーブルへの参照)の項目から埋めてください: {options}。",
        ),
    }
)


def fills(source: FieldSpec, target: FieldSpec) -> bool:
    """A row's value can fill a form field of the same type (references: to the same table), or any text field
    from a text field."""
    if source.type in TEXT_TYPES and target.type in TEXT_TYPES:
        return True
    return source.type == target.type and (source.type != "reference" or source.to == target.to)


@spec_check
def check_row_links(app: AppSpec, ctx: CheckContext) -> None:
    for list_name, spec in app.lists.items():
        link, table = spec.link, app.tables.get(spec.table)
        if link is None or table is None:
            continue
        path: tuple[Any, ...] = ("lists", list_name, "link")
        if not ctx.require_name("E_UNKNOWN_FORM", link.form, app.forms, (*path, "form")):
            continue
        form = app.forms[link.form]
        if form.access != "public":
            public = [n for n, f in app.forms.items() if f.access == "public"] or "-"
            ctx.report("E_ROW_LINK_NOT_PUBLIC_FORM", (*path, "form"), name=link.form, options=public)
            continue
        form_table = app.tables.get(form.table)
        if form_table is None:
            continue
        asked = [n for n in form_field_list(form, form_table) if n in form_table.fields]
        shown = [n for n in (spec.columns if spec.columns is not None else table.fields)
                 if n in table.fields and table.fields[n].visibility == "public"]
        for name, source in link.fill.items():
            at = (*path, "fill", name)
            if name not in asked:
                ctx.report("E_ROW_LINK_NOT_IN_FORM", at, prefer_key=True, form=link.form, name=name, options=asked or "-")
                continue
            if not ctx.require_name("E_UNKNOWN_FIELD", source, table.fields, at, table=spec.table):
                continue
            if source not in shown:
                ctx.report("E_ROW_LINK_NOT_SHOWN", at, name=source, options=list(shown) or "-")
                continue
            if not fills(table.fields[source], form_table.fields[name]):
                fitting = [n for n in shown if n in table.fields and fills(table.fields[n], form_table.fields[name])]
                ctx.report("E_ROW_LINK_TYPE", at, source=source, source_type=table.fields[source].type, name=name,
                           type=form_table.fields[name].type, options=fitting or "-")
