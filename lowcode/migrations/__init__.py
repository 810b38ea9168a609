"""Planned, previewed migrations: what changed between an app's YAML and its database, and applying it safely.

`planner` compares (nothing is written), `apply` changes the database in one transaction with Alembic's operations,
`words` says a plan in plain Japanese or English, `startup` keeps an app whose database does not match its YAML on
its maintenance page. Values of removed fields and tables go to the archive table (`tables`), never away.
"""
