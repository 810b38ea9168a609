"""Which events make which mails, rendered in the reader's language and queued in the caller's transaction.

- A new submission → every staff account holding a role in the app that may view the table (within its row scope),
  at the account's own address (`lowcode user email`), else at its username when that is an address. The mail names the table and the
  reference number only: personal data stays in the staff pages.
- A workflow transition with a message → the resident, at the value of the table's first `email` field, when they
  left one (`notify_transition`, called by whoever changes the status).

Templates: `mail/<name>.<lang>.txt` under templates/, overridable in an app's own `templates/mail/`; the first line
is `Subject: …`, then the body. Plain text (no HTML escaping: it is not HTML).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from jinja2 import Environment, StrictUndefined

from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..spec.workflow import role_spec
from ..staff.tables import USER_ROLES, USERS
from ..templating import AppTemplateLoader, app_template, default_template_folder
from ..values import SERVICE_TIME_ZONE
from .outbox import enqueue

ADDRESS_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def notify_new_submission(conn: sa.Connection, runtime: AppRuntime, table: str, row: Mapping[str, Any]) -> int:
    """Queue a mail to each staff member responsible for this new row; returns how many were queued."""
    lang = runtime.spec.default_language
    values = {"table_label": table_label(runtime, table, lang), "ref": row.get("ref", ""),
              "sent_at": local_time_text(row.get("created_at"))}
    subject, body = render_mail(runtime, "new_submission", lang, values)
    addresses = staff_addresses(conn, runtime, table, row)
    for address in addresses:
        enqueue(conn, app=runtime.name, to=address, subject=subject, body=body, lang=lang)
    return len(addresses)


def notify_transition(
    conn: sa.Connection, runtime: AppRuntime, table: str, row: Mapping[str, Any], message: str | Mapping[str, str],
    *, status: str | None = None, lang: str | None = None,
) -> bool:
    """Queue the message of a transition to the resident, when the row holds their address. `status`: the new
    status's key when it is public (it is then named in the mail). Returns whether a mail was queued."""
    address = resident_address(runtime.spec.tables[table], row)
    if address is None or not message:
        return False
    lang = lang or runtime.spec.default_language
    values = {"ref": row.get("ref", ""), "message": text_in(message, lang), "status": status_label(runtime, table, status, lang),
              "contact": runtime.text(runtime.spec.contact, lang) if runtime.spec.contact else ""}
    subject, body = render_mail(runtime, "transition", lang, values)
    enqueue(conn, app=runtime.name, to=address, subject=subject, body=body, lang=lang)
    return True


def resident_address(table: TableSpec, row: Mapping[str, Any]) -> str | None:
    """The value of the table's first `email` field (the address the resident left), if it looks like one."""
    name = next((n for n, f in table.fields.items() if f.type == "email"), None)
    value = row.get(name) if name else None
    return value if isinstance(value, str) and ADDRESS_RE.fullmatch(value) else None


def staff_addresses(conn: sa.Connection, runtime: AppRuntime, table: str, row: Mapping[str, Any]) -> list[str]:
    query = (sa.select(USERS.c.username, USERS.c.email, USER_ROLES.c.role, USER_ROLES.c.scope_value)
             .join(USER_ROLES, USER_ROLES.c.user_id == USERS.c.id)
             .where(USER_ROLES.c.app == runtime.name, USERS.c.disabled.is_(False)))
    found = []
    for username, email, role_name, scope_value in conn.execute(query):
        address = staff_address(username, email)
        if address is not None and responsible(runtime, table, row, role_name, scope_value):
            found.append(address)
    return sorted(set(found))


def staff_address(username: str, email: str | None) -> str | None:
    """The account's own address (`lowcode user email`), else its username when that is an address."""
    if email:
        return email
    return username if ADDRESS_RE.fullmatch(username) else None


def responsible(runtime: AppRuntime, table: str, row: Mapping[str, Any], role_name: str, scope_value: str | None) -> bool:
    """The role may view the table, and the row is within its scope (a school's account, its school's rows)."""
    role = role_spec(runtime.spec, role_name)
    if role is None or not role.actions(table):
        return False
    field = role.scope.get(table)
    return field is None or (scope_value not in (None, "") and str(row.get(field)) == scope_value)


def render_mail(runtime: AppRuntime, name: str, lang: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of `mail/<name>.<lang>.txt` (the app's own copy first)."""
    env = runtime.once(("mail_env",), lambda: mail_environment(runtime))
    text = env.get_template(app_template(runtime.name, f"mail/{name}.{lang}.txt")).render(
        app_title=runtime.text(runtime.spec.title, lang), **values)
    first, _, body = text.partition("\n")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"


def mail_environment(runtime: AppRuntime) -> Environment:
    loader = AppTemplateLoader(default_template_folder(), {runtime.name: runtime.template_folder})
    return Environment(loader=loader, autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True)


def table_label(runtime: AppRuntime, table: str, lang: str) -> str:
    return runtime.text(runtime.spec.tables[table].label, lang, table)


def status_label(runtime: AppRuntime, table: str, status: str | None, lang: str) -> str:
    if status is None:
        return ""
    workflow = runtime.spec.tables[table].workflow
    field = runtime.spec.tables[table].fields.get(workflow.field) if workflow else None
    choice = next((c for c in (field.choices or ()) if c.key == status), None) if field else None
    return runtime.text(choice.label, lang, status) if choice else status


def text_in(message: str | Mapping[str, str], lang: str) -> str:
    if isinstance(message, str):
        return message
    return next((str(v) for v in (message.get(lang), *message.values()) if v), "")


def local_time_text(value: Any) -> str:
    """A stored (naive UTC) time in the city's time zone, written the same in every language (2026-06-03 09:30)."""
    if not isinstance(value, dt.datetime):
        return ""
    return value.replace(tzinfo=dt.UTC).astimezone(SERVICE_TIME_ZONE).strftime("%Y-%m-%d %H:%M")
