"""Alembic migrations of the workspace store, run programmatically by `marine.store.db.migrate`."""
