"""Logging staff in: Flask-Login wiring, the logged-in account, the guard staff pages call, and its Audience.

One session cookie serves every app of the installation; an account acts in an app only through the roles it
holds there (`require_staff`). The session stores the account's id with its `session_token`, which a password
change replaces: every session opened with the old password then ends. A login lasts at most
`LOWCODE_STAFF_SESSION_HOURS` (default 8) from the moment of logging in, however active.

Flask-Login's after-request hook (remember-me cookies, which are not used) is not installed: public pages must
not pay for staff sessions, nor read the session they would otherwise not touch.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ..audience import Audience
from ..roles import app_roles, role_audience
from ..runtime import AppRuntime
from ..security import setting
from .accounts import Account, RoleGrant, load_account

DEFAULT_SESSION_HOURS = 8.0
_SINCE = "staff_since"  # when the account logged in (seconds since the epoch), for the absolute lifetime


@dataclass(frozen=True)
class StaffUser(UserMixin):
    """The Flask-Login user: the account as read at the start of this request."""

    account: Account

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_token}"


def init_staff_login(flask_app: Flask, engine_of: Callable[[], sa.Engine]) -> LoginManager:
    manager = LoginManager()
    flask_app.login_manager = manager  # type: ignore[attr-defined]  # what LoginManager.init_app does, minus its hook
    hours = float(setting(flask_app, "LOWCODE_STAFF_SESSION_HOURS") or DEFAULT_SESSION_HOURS)
    flask_app.config.setdefault("LOWCODE_STAFF_SESSION_HOURS", hours)
    flask_app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=hours)

    @manager.user_loader
    def load_user(user_id: str) -> StaffUser | None:
        return load_staff_user(engine_of(), user_id)

    return manager


def load_staff_user(engine: sa.Engine, stored_id: str) -> StaffUser | None:
    """The account of the session, unless its password changed, it was disabled or the login is too old."""
    number, _, token = stored_id.partition(":")
    if not number.isdigit() or login_expired():
        return None
    account = load_account(engine, int(number))
    if account is None or account.disabled or account.session_token != token:
        return None
    return StaffUser(account)


def login_expired() -> bool:
    since = session.get(_SINCE)
    hours = float(current_app.config["LOWCODE_STAFF_SESSION_HOURS"])
    return not isinstance(since, (int, float)) or time.time() - since > hours * 3600


def log_in(account: Account) -> None:
    """Start a staff session in a fresh cookie: nothing of the session before login survives (fixation)."""
    session.clear()
    login_user(StaffUser(account))
    session[_SINCE] = time.time()
    session.permanent = True


def log_out() -> None:
    logout_user()
    session.clear()


def current_staff() -> Account | None:
    """The logged-in account, or None."""
    user = current_user._get_current_object()
    return user.account if isinstance(user, StaffUser) else None


def staff_grants(runtime: AppRuntime, account: Account | None) -> list[RoleGrant]:
    """The account's roles in this app that the app still defines (a role removed from the YAML grants nothing)."""
    if account is None:
        return []
    roles = app_roles(runtime.spec)
    return [grant for grant in account.roles_in(runtime.name) if grant.role in roles]


def staff_audiences(runtime: AppRuntime, account: Account) -> list[Audience]:
    """One Audience per role the account holds in the app (the pages of the next session combine them)."""
    return [role_audience(runtime.spec, grant.role, grant.scope_value) for grant in staff_grants(runtime, account)]


def require_staff(runtime: AppRuntime, table: str | None = None, action: str = "view") -> Response | None:
    """None when the logged-in account may act here; else the answer to give instead.

    Not logged in (or no role in this app): 302 to the app's login page, coming back here afterwards. Logged in
    but none of its roles may do `action` on `table` (`Audience.may`: view, edit, see_private, create, export,
    import, manage_areas): 403.
    """
    account = current_staff()
    if not staff_grants(runtime, account):
        return redirect(url_for(f"{runtime.name}.staff_login", next=request.full_path.rstrip("?")))
    assert account is not None
    spec = runtime.spec.tables.get(table) if table is not None else None
    if table is not None and (spec is None or not any(audience.may(spec, action)
                                                      for audience in staff_audiences(runtime, account))):
        return Response(status=403)
    return None


def safe_next(runtime: AppRuntime, target: str | None) -> str:
    """Where to go after login: `target` only when it is a path of this app, else the staff home.

    Refused: other hosts (`https://evil`, `//evil`, `/\\evil`, which browsers read as a host too), other apps'
    paths, and anything with control characters.
    """
    home = url_for(f"{runtime.name}.staff_home")
    if not target or any(ord(ch) < 32 or ch == "\\" for ch in target):
        return home
    parts = urlsplit(target)
    prefix = f"/{runtime.name}/"
    if parts.scheme or parts.netloc or target.startswith("//") or not target.startswith(prefix):
        return home
    return target
