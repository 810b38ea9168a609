"""A live app's folder and database, changed the way IT staff change it: write new YAML, run `lowcode migrate`."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner, Result
from support import write_app

from lowcode.app import create_app
from lowcode.cli import main


@dataclass
class LiveApp:
    folder: Path
    instance: Path
    database: str
    served: list[Any] = field(default_factory=list)

    def serve(self, **config: Any) -> Any:
        """The Flask app of every app folder, as a restarted server builds it (closed at the end of the test)."""
        app = create_app(self.folder.parent, {"TESTING": True, "INSTANCE_PATH": str(self.instance),
                                              "DATABASE_URL": self.database, **config})
        self.served.append(app)
        return app

    def close(self) -> None:
        for app in self.served:
            with app.app_context():
                app.extensions["lowcode"].db.engine.dispose()

    @property
    def env(self) -> dict[str, str | None]:
        return {"DATABASE_URL": self.database, "LOWCODE_INSTANCE": str(self.instance), "LC_ALL": None,
                "LC_MESSAGES": None, "LANG": "C.UTF-8"}

    def start(self, yaml: str, rows: Mapping[str, list[dict[str, Any]]] | None = None) -> Any:
        """Serve `yaml` (as `lowcode run` would) and add `rows` through the engine; the Flask app is returned."""
        write_app(self.folder, yaml)
        app = create_app(self.folder.parent, {"TESTING": True, "INSTANCE_PATH": str(self.instance),
                                              "DATABASE_URL": self.database})
        state = app.extensions["lowcode"]
        runtime = state.runtimes["demo"]
        with app.app_context():
            engine = state.db.engine
            with engine.begin() as conn:
                for table, values in (rows or {}).items():
                    for row in values:
                        runtime.stores[table].insert(conn, row)
            engine.dispose()
        return app

    def edit(self, yaml: str) -> None:
        write_app(self.folder, yaml)

    def migrate(self, *args: str, lang: str = "en") -> Result:
        return CliRunner().invoke(main, ["migrate", str(self.folder.parent), "--lang", lang, *args], env=self.env)

    def rows(self, table: str) -> list[dict[str, Any]]:
        engine = sa.create_engine(self.database)
        try:
            with engine.connect() as conn:
                found = sa.Table(f"demo__{table}", sa.MetaData(), autoload_with=conn)
                return [dict(r) for r in conn.execute(sa.select(found).order_by(found.c.id)).mappings()]
        finally:
            engine.dispose()

    def sql(self, query: str) -> list[Any]:
        engine = sa.create_engine(self.database)
        try:
            with engine.connect() as conn:
                return list(conn.execute(sa.text(query)).all())
        finally:
            engine.dispose()
