"""Alembic environment: always online, on the connection handed over by `db.migrate`."""

from __future__ import annotations

from alembic import context

from marine.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the workspace migrations run through marine.store.db.migrate(engine) "
        "(or `marine workspace init`), which passes the database connection"
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
