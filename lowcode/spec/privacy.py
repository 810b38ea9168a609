"""Checks that no setting lets a private value reach the public by a side door: a reference's title, a derived
field, a uniqueness answer. The engine refuses these channels too (lowcode/audience.py); the checks say why and how
to fix it while the YAML is being written.
"""
from __future__ import annotations

from collections.abc import Iterator

from .context import CheckContext, spec_check
from .models import AppSpec, FieldSpec, FormSpec, TableSpec
from .problems import Message, register_messages

# From the most to the least open: a field may not be more open than the field it is derived from.
VISIBILITY_RANK = {"public": 0, "staff": 1, "private": 2}

register_messages(
    {
        "E_PRIVATE_TITLE": Message(
            "The title field '{name}' of the table '{table}' is {visibility}, but '{field}' of '{source}' "
            "shows that title to residents (in a public form's choices, in lists and on detail pages).",
            "テーブル '{table}' のタイトル項目 '{name}' は {visibility} ですが、'{source}' の '{field}' が"
            "そのタイトルを住民に見せてしまいます(公開フォームの選択肢・一覧・詳細ページ)。",
            "Set `title_field:` to a public field that names a row without personal data (such as a school name), "
            "or take '{field}' off public forms and pages.",
            "個人情報を含まずに行を表す公開の項目(学校名など)を `title_field:` にするか、"
            "'{field}' を公開のフォームとページから外してください。",
        ),
        "E_DERIVED_FROM_PRIVATE": Message(
            "The {visibility} field '{field}' is derived from '{name}', which is {source_visibility}: "
            "whoever may see '{field}' learns about '{name}'.",
            "{visibility} の項目 '{field}' は {source_visibility} の項目 '{name}' から作られるため、"
            "'{field}' を見られる人に '{name}' が分かってしまいます。",
            "Set `visibility: {source_visibility}` on '{field}' too, or derive it from a public field.",
            "'{field}' も `visibility: {source_visibility}` にするか、公開の項目から作ってください。",
        ),
        "E_UNIQUE_PRIVATE": Message(
            "The {visibility} field '{field}' has `unique: true` and is in the public form '{form}': the form's "
            "\"already registered\" answer would tell anyone whether a value (an e-mail address, say) is on file.",
            "{visibility} の項目 '{field}' は `unique: true` で、公開フォーム '{form}' に含まれています。"
            "「登録済みです」という答えから、ある値(メールアドレスなど)が登録されているかが誰にでも分かってしまいます。",
            "Remove `unique: true` (staff can find duplicates on staff pages), or ask for '{field}' only in a "
            "staff form (`access: staff`).",
            "`unique: true` を外す(重複は職員ページで確認できます)か、'{field}' を職員用フォーム"
            "(`access: staff`)だけで入力するようにしてください。",
        ),
    }
)


def form_field_list(form: FormSpec, table: TableSpec) -> list[str]:
    """The form's fields in order: as listed, or every field that is neither derived from another nor the status of
    the table's workflow (a submission starts in the workflow's `initial` status, never one the writer picks)."""
    if form.fields is not None:
        return list(form.fields)
    status = table.workflow.field if table.workflow is not None else None
    return [n for n, f in table.fields.items() if f.derive is None and n != status]


def public_form_fields(app: AppSpec) -> Iterator[tuple[str, str, str]]:
    """(form, table, field) for every field residents fill in a public form."""
    for form_name, form in app.forms.items():
        table = app.tables.get(form.table)
        if form.access != "public" or table is None:
            continue
        for name in form_field_list(form, table):
            if name in table.fields:
                yield form_name, form.table, name


@spec_check
def check_reference_titles(app: AppSpec, ctx: CheckContext) -> None:
    """A reference shows the title of the row it points to: that title must be one residents may see."""
    in_public_forms = {(table, name) for _, table, name in public_form_fields(app)}
    for target_name, target in app.tables.items():
        title = target.title_field
        if title is None or title not in target.fields or target.fields[title].is_public:
            continue
        exposed = next(_public_references(app, target_name, in_public_forms), None)
        if exposed is not None:
            ctx.report("E_PRIVATE_TITLE", ("tables", target_name, "title_field"), name=title, table=target_name,
                       visibility=target.fields[title].visibility, field=exposed[1], source=exposed[0])


def _public_references(app: AppSpec, target: str, in_public_forms: set[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    for table_name, table in app.tables.items():
        for name, field in table.fields.items():
            if field.type == "reference" and field.to == target and (field.is_public or (table_name, name) in in_public_forms):
                yield table_name, name


@spec_check
def check_derived_visibility(app: AppSpec, ctx: CheckContext) -> None:
    """A derived field shows something of its source: the row's own field, and with `lookup` the copied field."""
    for table_name, table in app.tables.items():
        for name, field in table.fields.items():
            if field.derive is None:
                continue
            path = ("tables", table_name, "fields", name, "derive")
            for key, source_name, source in _derive_sources(app, table, name, field):
                if _more_open(field, source):
                    ctx.report("E_DERIVED_FROM_PRIVATE", (*path, key), field=name, visibility=field.visibility,
                               name=source_name, source_visibility=source.visibility)


def _derive_sources(app: AppSpec, table: TableSpec, name: str, field: FieldSpec) -> Iterator[tuple[str, str, FieldSpec]]:
    """(YAML key, name as written in messages, field) of what a derived field is computed from."""
    derive = field.derive
    assert derive is not None
    if derive.source in table.fields:
        yield "from", derive.source, table.fields[derive.source]
    lookup = app.tables.get(derive.lookup or "")
    value = derive.value or name
    if lookup is not None and value in lookup.fields:
        yield ("value" if derive.value else "lookup"), f"{derive.lookup}.{value}", lookup.fields[value]


@spec_check
def check_unique_in_public_forms(app: AppSpec, ctx: CheckContext) -> None:
    reported: set[tuple[str, str]] = set()
    for form_name, table_name, name in public_form_fields(app):
        field = app.tables[table_name].fields[name]
        if field.unique and not field.is_public and (table_name, name) not in reported:
            reported.add((table_name, name))
            ctx.report("E_UNIQUE_PRIVATE", ("tables", table_name, "fields", name, "unique"),
                       field=name, visibility=field.visibility, form=form_name)


def _more_open(field: FieldSpec, than: FieldSpec) -> bool:
    return VISIBILITY_RANK[field.visibility] < VISIBILITY_RANK[than.visibility]
