"""Staff passwords are hashed with Argon2id at argon2-cffi's default (RFC 9106 low-memory) parameters, and a hash made
with weaker parameters is replaced at the next successful login (the other tests hash cheaply: tests/conftest.py)."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from support import app_engine

from lowcode.staff.accounts import RoleGrant, create_user, verify_login
from lowcode.staff.tables import USERS

PASSWORD = "correct horse battery"
YAML = "title: Demo\ntables:\n  items:\n    fields:\n      name: {type: text}\n"
pytestmark = pytest.mark.real_password_hashing


def stored_hash(engine: sa.Engine) -> str:
    with engine.connect() as conn:
        return str(conn.execute(sa.select(USERS.c.password_hash)).scalar_one())


def test_a_new_password_is_hashed_with_argon2id_at_the_default_cost(make_app: Any) -> None:
    app = make_app(YAML)
    with app.app_context():
        engine = app_engine(app)
        create_user(engine, "clerk", PASSWORD, [RoleGrant("demo", "admin")])
        defaults = PasswordHasher()
        assert stored_hash(engine).startswith(
            f"$argon2id$v=19$m={defaults.memory_cost},t={defaults.time_cost},p={defaults.parallelism}$")
        assert defaults.memory_cost >= 65536 and defaults.time_cost >= 3  # RFC 9106's second recommendation


def test_a_weaker_hash_is_replaced_at_the_next_login(make_app: Any) -> None:
    app = make_app(YAML)
    with app.app_context():
        engine = app_engine(app)
        create_user(engine, "clerk", PASSWORD, [RoleGrant("demo", "admin")])
        weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
        with engine.begin() as conn:
            conn.execute(USERS.update().values(password_hash=weak))
        assert verify_login(engine, "clerk", PASSWORD, "demo") is not None
        assert stored_hash(engine) != weak and not PasswordHasher().check_needs_rehash(stored_hash(engine))
        assert verify_login(engine, "clerk", PASSWORD, "demo") is not None  # the new hash still opens the account
