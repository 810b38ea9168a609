"""Staff accounts: who may log in to which app with which role (issue 9, "Accounts and roles").

- `tables`: the two system tables, created at start-up with the other engine tables.
- `accounts`: create, list, change password, remove, grant and withdraw roles, and verify a login (Argon2 hashes,
  lockout after repeated failures). Plain functions over a SQLAlchemy engine: the CLI and the pages share them.
- `auth`: the Flask-Login wiring, `current_staff()`, `require_staff(...)` and the logged-in account's audiences.
- `overview`: the tables an account may view, with counts (the staff home).
- `commands`: `lowcode user …`.

What each role may do comes from the app's YAML through `lowcode/roles.py`.
"""
