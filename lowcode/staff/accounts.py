"""Staff accounts over a SQLAlchemy engine: create, list, change password, remove, roles, and verify a login.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile); a hash made with older
parameters is replaced at the next successful login. After `MAX_FAILURES` wrong passwords in a row an account is
locked for `LOCK_MINUTES`, whatever password is then typed. `verify_login` gives the same answer (None) for an
unknown name, a wrong password, a locked or disabled account and an account without a role in the app, and spends
the same hashing time on each, so that a login page cannot tell which names exist.

Nothing here logs a username or a password.
"""
from __future__ import annotations

import datetime as dt
import functools
import secrets
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..storage import utcnow
from ..values import InvalidValue, parse_email
from ..words import N_
from .tables import USER_ROLES, USERS

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte "password" on every try would be a cheap way to load the server
MAX_USERNAME_LENGTH = 100

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A request the accounts cannot carry out; `str()` is the English message (the CLI translates it)."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.template = message
        self.values = values


@dataclass(frozen=True)
class RoleGrant:
    app: str
    role: str
    scope_value: str | None = None


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    disabled: bool
    session_token: str
    roles: tuple[RoleGrant, ...] = ()
    email: str | None = None  # where staff mail goes; None: the username when it is an address

    def roles_in(self, app: str) -> list[RoleGrant]:
        return [grant for grant in self.roles if grant.app == app]


def check_username(username: str) -> str:
    """The name as stored (NFKC: full-width letters typed on a Japanese keyboard are the same name)."""
    name = unicodedata.normalize("NFKC", username).strip()
    if not name or len(name) > MAX_USERNAME_LENGTH or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise AccountError(N_("A user name is 1 to %(max)s characters without spaces."), max=MAX_USERNAME_LENGTH)
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(N_("The password is too short: use at least %(min)s characters."), min=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(N_("The password is too long: use at most %(max)s characters."), max=MAX_PASSWORD_LENGTH)


def create_user(engine: sa.Engine, username: str, password: str, grants: list[RoleGrant],
                email: str | None = None) -> Account:
    name = check_username(username)
    check_password(password)
    address = check_email(email) if email is not None else None
    with engine.begin() as conn:
        if _user_id(conn, name) is not None:
            raise AccountError(N_("The user %(name)s exists already."), name=name)
        user_id = conn.execute(USERS.insert().values(
            username=name, password_hash=_hasher.hash(password), created_at=utcnow(), disabled=False,
            failed_logins=0, session_token=secrets.token_hex(16), email=address,
        ).returning(USERS.c.id)).scalar_one()
        for grant in grants:
            conn.execute(USER_ROLES.insert().values(user_id=user_id, app=grant.app, role=grant.role,
                                                    scope_value=grant.scope_value))
    return _require(engine, name)


def list_users(engine: sa.Engine) -> list[Account]:
    with engine.connect() as conn:
        rows = conn.execute(sa.select(USERS).order_by(USERS.c.username)).mappings().all()
        grants = _grants_by_user(conn, [row["id"] for row in rows])
    return [_account(row, grants.get(row["id"], ())) for row in rows]


def find_user(engine: sa.Engine, username: str) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(USERS).where(USERS.c.username == _stored_name(username))).mappings().first()
        return None if row is None else _account(row, _grants_by_user(conn, [row["id"]]).get(row["id"], ()))


def load_account(engine: sa.Engine, user_id: int) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(USERS).where(USERS.c.id == user_id)).mappings().first()
        return None if row is None else _account(row, _grants_by_user(conn, [row["id"]]).get(row["id"], ()))


def set_password(engine: sa.Engine, username: str, password: str) -> None:
    """A new password; it also unlocks the account and ends its open sessions."""
    check_password(password)
    account = _require(engine, username)
    with engine.begin() as conn:
        conn.execute(USERS.update().where(USERS.c.id == account.id).values(
            password_hash=_hasher.hash(password), failed_logins=0, locked_until=None,
            session_token=secrets.token_hex(16),
        ))


def check_email(email: str) -> str:
    """The address as stored, by the rule of residents' `email` fields (full-width ＠ accepted)."""
    try:
        return parse_email(email)
    except InvalidValue:
        raise AccountError(N_("%(email)s is not an e-mail address (like tanaka@city.example.jp)."),
                           email=email) from None


def set_email(engine: sa.Engine, username: str, email: str | None) -> None:
    """Give the account its own address for staff mail; None removes it."""
    address = check_email(email) if email is not None else None
    account = _require(engine, username)
    with engine.begin() as conn:
        conn.execute(USERS.update().where(USERS.c.id == account.id).values(email=address))


def remove_user(engine: sa.Engine, username: str) -> None:
    account = _require(engine, username)
    with engine.begin() as conn:
        conn.execute(USER_ROLES.delete().where(USER_ROLES.c.user_id == account.id))
        conn.execute(USERS.delete().where(USERS.c.id == account.id))


def add_role(engine: sa.Engine, username: str, grant: RoleGrant) -> None:
    """Grant a role in an app (again: its scope value is replaced)."""
    account = _require(engine, username)
    with engine.begin() as conn:
        key = (USER_ROLES.c.user_id == account.id) & (USER_ROLES.c.app == grant.app) & (USER_ROLES.c.role == grant.role)
        conn.execute(USER_ROLES.delete().where(key))
        conn.execute(USER_ROLES.insert().values(user_id=account.id, app=grant.app, role=grant.role,
                                                scope_value=grant.scope_value))


def remove_role(engine: sa.Engine, username: str, app: str, role: str) -> None:
    account = _require(engine, username)
    if not any(g.app == app and g.role == role for g in account.roles):
        raise AccountError(N_("The user %(name)s has no role %(role)s in %(app)s."), name=account.username, role=role, app=app)
    with engine.begin() as conn:
        conn.execute(USER_ROLES.delete().where((USER_ROLES.c.user_id == account.id) & (USER_ROLES.c.app == app)
                                               & (USER_ROLES.c.role == role)))


def verify_login(engine: sa.Engine, username: str, password: str, app: str, now: dt.datetime | None = None) -> Account | None:
    """The account when the password is right, the account usable and holding a role in `app`; else None."""
    now = now or utcnow()
    password = password[:MAX_PASSWORD_LENGTH + 1]
    with engine.connect() as conn:
        row = conn.execute(sa.select(USERS).where(USERS.c.username == _stored_name(username))).mappings().first()
    if row is None or row["disabled"] or (row["locked_until"] is not None and row["locked_until"] > now):
        _spend_hashing_time(password)
        return None
    if not _password_matches(row["password_hash"], password):
        _count_failure(engine, row["id"], now)
        return None
    _note_success(engine, row["id"], row["password_hash"], password)
    account = load_account(engine, row["id"])
    return account if account is not None and account.roles_in(app) else None


def _password_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _spend_hashing_time(password: str) -> None:
    """Verify against a hash of nothing: an unknown name costs the same time as a wrong password."""
    _password_matches(_dummy_hash(), password)


@functools.cache  # made at the first failed login, not at import (the CLI imports this module)
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def _count_failure(engine: sa.Engine, user_id: int, now: dt.datetime) -> None:
    """One more failure; the MAX_FAILURES-th locks the account and starts the count again."""
    with engine.begin() as conn:
        failures = conn.execute(USERS.update().where(USERS.c.id == user_id)
                                .values(failed_logins=USERS.c.failed_logins + 1)
                                .returning(USERS.c.failed_logins)).scalar_one()
        if failures >= MAX_FAILURES:
            conn.execute(USERS.update().where(USERS.c.id == user_id).values(
                failed_logins=0, locked_until=now + dt.timedelta(minutes=LOCK_MINUTES)))


def _note_success(engine: sa.Engine, user_id: int, stored: str, password: str) -> None:
    values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(stored):  # hashed with older, weaker parameters
        values["password_hash"] = _hasher.hash(password)
    with engine.begin() as conn:
        conn.execute(USERS.update().where(USERS.c.id == user_id).values(**values))


def _stored_name(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip()


def _user_id(conn: sa.Connection, name: str) -> int | None:
    return conn.execute(sa.select(USERS.c.id).where(USERS.c.username == name)).scalar()


def _require(engine: sa.Engine, username: str) -> Account:
    account = find_user(engine, username)
    if account is None:
        raise AccountError(N_("There is no user %(name)s."), name=_stored_name(username))
    return account


def _grants_by_user(conn: sa.Connection, ids: list[int]) -> dict[int, tuple[RoleGrant, ...]]:
    grants: dict[int, list[RoleGrant]] = {}
    if ids:
        query = sa.select(USER_ROLES).where(USER_ROLES.c.user_id.in_(ids)).order_by(USER_ROLES.c.app, USER_ROLES.c.role)
        for row in conn.execute(query).mappings():
            grants.setdefault(row["user_id"], []).append(RoleGrant(row["app"], row["role"], row["scope_value"]))
    return {user_id: tuple(items) for user_id, items in grants.items()}


def _account(row: sa.RowMapping, grants: tuple[RoleGrant, ...]) -> Account:
    return Account(row["id"], row["username"], bool(row["disabled"]), row["session_token"], grants, row["email"])
