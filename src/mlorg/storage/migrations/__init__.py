"""Alembic migrations of every mlorg table; run them with :func:`mlorg.storage.migrate.upgrade`."""
