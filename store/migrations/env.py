"""Alembic environment: the metadata of store/tables.py, on the connection the service passes in.

`store.db.upgrade(engine)` runs this with `config.attributes["connection"]`; the `alembic`
command line (for generating a revision) passes `-x url=sqlite:///...` instead.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import store.council_tables  # noqa: F401  (the outbound tables: council directory, sent referrals)
import store.tables  # noqa: F401  (registers every table on SQLModel.metadata)

target_metadata = SQLModel.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///var/cme.sqlite3")
    with create_engine(url).begin() as conn:
        _run(conn)
