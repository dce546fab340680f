"""The database both the survey app and snapshots use: SQLite by default, PostgreSQL by URL.

The default is a SQLite file in the user's data directory, opened in WAL mode so readers do
not block the writer. ``MLORG_DATABASE_URL`` or ``--database-url`` selects another database.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase

from mlorg.errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL


class Base(DeclarativeBase):
    """Declarative base of every table mlorg stores."""


def default_url() -> str:
    """``MLORG_DATABASE_URL`` if set, else a SQLite file in the user's data directory."""
    env = os.environ.get("MLORG_DATABASE_URL")
    if env:
        return env
    path = Path(user_data_dir("mlorg", appauthor=False)) / "mlorg.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def describe(url: str) -> str:
    """The database a URL names, as a person reads it: a SQLite file's path, or the server's URL with
    the password masked (it never reaches a terminal or a log)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "a database URL that cannot be read"
    if parsed.get_backend_name() == "sqlite":
        where = parsed.database
        return f"SQLite file {where}" if where and where != ":memory:" else "an in-memory SQLite database"
    return parsed.render_as_string(hide_password=True)


#: The databases mlorg's schema and migrations are written and tested for.
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def check_url(url: str) -> URL:
    """Parse a database URL, refusing with a clear message what would otherwise fail deep inside a driver.

    The message shows the URL with its password hidden and names the part that is wrong.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from mlorg.render.escape import one_line

    shown = one_line(re.sub(r"://[^@/\s]*@", "://***@", url))
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"database URL '{shown}' is not a URL such as sqlite:///path/to/file or postgresql://user@host/name"
        ) from None
    except ValueError:  # SQLAlchemy converts the port with int()
        port = re.search(r"@?[^@/]*:([^@/:]*)(?:/|$)", url.split("://", 1)[-1])
        what = f"port '{one_line(port.group(1))}'" if port else "its port"
        raise UsageError(f"database URL '{shown}': {what} is not a number; give a port from 1 to 65535") from None
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise UsageError(f"database URL '{shown}': port {parsed.port} is not from 1 to 65535")
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise UsageError(
            f"database URL '{shown}': mlorg keeps its data in SQLite or PostgreSQL; "
            "give sqlite:///path/to/file or postgresql://user@host/name"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):
        # gone when the process exits, and private to one connection (the survey app's writer has its own)
        raise UsageError(
            f"database URL '{shown}' names an in-memory database, which keeps nothing; "
            "name a file: sqlite:///path/to/file"
        )
    return parsed


def database_error(url: str | None, exc: BaseException) -> UsageError:
    """The one message for a database that cannot be opened: which database (its password hidden), and the
    first line of what the driver said, without SQLAlchemy's ``(module.Error)`` prefix or a password."""
    from mlorg.render.escape import printable

    if isinstance(exc, OSError) and exc.strerror:  # the file's own error, not the name of a lock file beside it
        first = exc.strerror
    else:
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
    first = re.sub(r"^\([\w.]+\) ", "", first)
    first = re.sub(r"://[^@/\s]*@", "://***@", first) or type(exc).__name__
    return UsageError(f"cannot open the database ({printable(describe(url or default_url()))}): {printable(first)}")


def make_engine(url: str | None = None, *, pool_size: int | None = None) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and enforced foreign keys.

    ``pool_size`` fixes how many connections the engine keeps, with no overflow (the survey app's
    answer writer has one connection of its own).
    """
    url = url or default_url()
    check_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if pool_size is not None:
        kwargs.update(pool_size=pool_size, max_overflow=0)
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:  # the dialect's driver (psycopg for postgresql://)
        raise UsageError(
            f"the database driver is not installed ({exc.name}); for PostgreSQL: pip install 'mlorg[postgres]'"
        ) from None
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn: Any, _record: Any) -> None:
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine
