"""Bring a database's schema up to date by running the packaged Alembic migrations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from mlorg.storage.base import default_url, make_engine

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no file lock; concurrent first runs may need a retry
    fcntl = None  # type: ignore[assignment]

#: Key of the PostgreSQL advisory lock held while migrating ("mlorgmig" in ASCII).
MIGRATION_LOCK = 0x6D6C6F72676D6967


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at the migrations shipped inside the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("mlorg.storage").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", (url or default_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head", *, engine: Engine | None = None) -> None:
    """Apply every migration up to ``revision`` (default: all) to the database at ``url``.

    Several processes may start on a new database at once (ten ``mlorg snapshot`` runs, several
    ``mlorg serve`` workers): one migrates while the others wait, then find nothing left to do.
    PostgreSQL serialises them with a transaction-scoped advisory lock (its DDL is transactional, so
    the waiters see the finished schema); SQLite, whose DDL alembic runs outside a transaction,
    with an exclusive lock on a file beside the database.
    """
    owned = engine is None
    eng = engine or make_engine(url)
    try:
        with _file_lock(eng), eng.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            cfg = alembic_config(str(eng.url.render_as_string(hide_password=False)))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        if owned:
            eng.dispose()


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock on ``DATABASE.migrate-lock`` for a SQLite file; nothing otherwise."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or fcntl is None:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(f"{database}.migrate-lock", flags, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
