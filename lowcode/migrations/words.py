"""A plan in plain words, in Japanese or English (the CLI's `--lang`, like `lowcode validate`)."""
from __future__ import annotations

from collections.abc import Callable

from ..words import words_for
from .steps import (
    AddField,
    AddTable,
    ChangeType,
    Plan,
    RemoveField,
    RemoveTable,
    RenameField,
    RenameSuggestion,
    RenameTable,
    Step,
    UnknownChoices,
    UnknownRenameSource,
)

Translate = Callable[[str], str]


def describe_plan(plan: Plan, lang: str) -> list[str]:
    _ = words_for(lang)
    if plan.is_empty and not plan.notices:
        return [_("%(app)s: the database matches the YAML; nothing to change.") % {"app": plan.app}]
    lines = [_("%(app)s: %(count)s change(s) to the database:") % {"app": plan.app, "count": len(plan.changes)}]
    lines += ["  - " + describe_step(step, _) for step in plan.changes]
    if plan.notices:
        lines.append(_("To check:"))
        lines += ["  - " + describe_step(step, _) for step in plan.notices]
    return lines


def describe_step(step: Step, _: Translate) -> str:
    describe = DESCRIBERS[type(step)]
    return describe(step, _)


def _add_table(step: AddTable, _: Translate) -> str:
    if step.restored:
        return _("Add the table '%(table)s' and bring back its %(rows)s archived row(s).") % {
            "table": step.table, "rows": step.restored}
    return _("Add the table '%(table)s'.") % {"table": step.table}


def _rename_table(step: RenameTable, _: Translate) -> str:
    return _("Rename the table '%(old)s' to '%(new)s' (every row is kept).") % {"old": step.old, "new": step.new}


def _remove_table(step: RemoveTable, _: Translate) -> str:
    return _("Remove the table '%(table)s': its %(rows)s row(s) are kept in the archive (lowcode_archive).") % {
        "table": step.table, "rows": step.rows}


def _add_field(step: AddField, _: Translate) -> str:
    if step.restored:
        return _("Add the field '%(field)s' to '%(table)s' and bring back its %(count)s archived value(s).") % {
            "field": step.field, "table": step.table, "count": step.restored}
    return _("Add the field '%(field)s' to '%(table)s' (empty in existing rows).") % {"field": step.field, "table": step.table}


def _rename_field(step: RenameField, _: Translate) -> str:
    return _("Rename the field '%(old)s' of '%(table)s' to '%(new)s' (every value is kept).") % {
        "old": step.old, "new": step.new, "table": step.table}


def _remove_field(step: RemoveField, _: Translate) -> str:
    return _("Remove the field '%(field)s' from '%(table)s': its %(count)s value(s) are kept in the archive and come "
             "back if the field is added again.") % {"field": step.field, "table": step.table, "count": step.values}


def _change_type(step: ChangeType, _: Translate) -> str:
    if step.rows < 0:  # a plan made without reading rows (start-up's log)
        return _("Change the type of '%(table)s.%(field)s' from %(old)s to %(new)s.") % {
            "table": step.table, "field": step.field, "old": step.old_type, "new": step.new_type}
    text = _("Change the type of '%(table)s.%(field)s' from %(old)s to %(new)s (%(rows)s row(s) with a value).") % {
        "table": step.table, "field": step.field, "old": step.old_type, "new": step.new_type, "rows": step.rows}
    if not step.bad:
        return text
    more = step.bad - len(step.bad_refs)
    refs = ", ".join(step.bad_refs) + (_(" and %(count)s more") % {"count": more} if more > 0 else "")
    return text + " " + _(
        "%(count)s row(s) would not convert: %(refs)s. Correct them first, or apply with --force: their old "
        "values go to the archive and the field is left empty in those rows."
    ) % {"count": step.bad, "refs": refs}


def _unknown_choices(step: UnknownChoices, _: Translate) -> str:
    counts = ", ".join(f"'{key}' ({rows})" for key, rows in step.counts)
    if step.is_status:
        return _("Rows of '%(table)s' are in statuses the workflow no longer has: %(counts)s. They keep them until "
                 "staff move them.") % {"table": step.table, "counts": counts}
    return _("Rows of '%(table)s' still use choices of '%(field)s' that the YAML no longer has: %(counts)s. Their "
             "values are kept as they are.") % {"table": step.table, "field": step.field, "counts": counts}


def _rename_suggestion(step: RenameSuggestion, _: Translate) -> str:
    return _("Did you rename '%(old)s' to '%(new)s'? Then write `renamed_from: %(old)s` under '%(new)s' in "
             "'%(table)s', and its values move with it.") % {"old": step.old, "new": step.new, "table": step.table}


def _unknown_rename_source(step: UnknownRenameSource, _: Translate) -> str:
    params = {"old": step.old, "table": step.table, "field": step.field}
    if step.field is None:
        text = _("The table '%(table)s' says `renamed_from: %(old)s`, but the database has no table '%(old)s': "
                 "'%(table)s' starts empty.") % params
    else:
        text = _("'%(table)s.%(field)s' says `renamed_from: %(old)s`, but the database has no field '%(old)s' in "
                 "'%(table)s': '%(field)s' starts empty.") % params
    if step.suggestions:
        text += " " + _("Did you mean %(names)s?") % {"names": ", ".join(f"'{s}'" for s in step.suggestions)}
    return text


DESCRIBERS: dict[type[Step], Callable[..., str]] = {
    AddTable: _add_table, RenameTable: _rename_table, RemoveTable: _remove_table, AddField: _add_field,
    RenameField: _rename_field, RemoveField: _remove_field, ChangeType: _change_type, UnknownChoices: _unknown_choices,
    RenameSuggestion: _rename_suggestion, UnknownRenameSource: _unknown_rename_source,
}
