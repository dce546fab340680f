"""Sign-in throttling: failed attempts per account and per client, kept in the database.

Every attempt is counted *before* the password is checked, in one transaction that holds the
throttle rows (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time), so
requests sent in parallel, to one process or to several behind a proxy, cannot slip past the
count. A correct password clears both rows. After ``free`` failures in a row, each further one
doubles the wait (1 s, 2 s, 4 s, ... up to 15 minutes) before the next attempt is even checked;
failures older than a day are forgotten. The client limit is tighter than the account's, so one
guessing client is slowed long before the admin's own sign-in is.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from mlorg.storage.survey_tables import LoginThrottle

CLIENT_FREE = 5
ACCOUNT_FREE = 10
MAX_WAIT = 15 * 60.0
FORGET_AFTER = 24 * 3600.0

clock = time.time  # seconds since the epoch; tests set a fixed clock to step through the waits


@dataclass(frozen=True)
class Limit:
    """A throttle key and how many failures in a row it may have before waits begin."""

    key: str
    free: int


def wait_after(failures: int, free: int) -> float:
    """Seconds to wait after ``failures`` failures in a row: none up to ``free``, then doubling."""
    if failures <= free:
        return 0.0
    return min(MAX_WAIT, 2.0 ** min(failures - free - 1, 30))


def begin_attempt(engine: Engine, limits: Sequence[Limit], now: float | None = None) -> float:
    """Count an attempt against every limit; 0 if it may be checked, else the seconds still to wait.

    A refused attempt (still waiting) changes nothing, so waiting out the delay always works.
    """
    now = clock() if now is None else now
    keys = sorted({lim.key for lim in limits})
    free = {lim.key: lim.free for lim in limits}
    with Session(engine) as s, s.begin():
        for key in keys:
            _ensure_row(s, key)
        rows = {r.key: r for r in s.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)).with_for_update())}
        wait = max((rows[k].blocked_until - now for k in keys), default=0.0)
        if wait > 0:
            s.rollback()
            return wait
        for key in keys:
            row = rows[key]
            row.failures = 1 if now - row.last_failure > FORGET_AFTER else row.failures + 1
            row.last_failure = now
            row.blocked_until = now + wait_after(row.failures, free[key])
    return 0.0


def succeeded(engine: Engine, limits: Sequence[Limit]) -> None:
    """A correct password: forget the failures of every limit it was counted against."""
    with Session(engine) as s, s.begin():
        s.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([lim.key for lim in limits])))


def clear_all(engine: Engine) -> None:
    """Forget every failure (a new admin password is set from the command line)."""
    with Session(engine) as s, s.begin():
        s.execute(delete(LoginThrottle))


def _ensure_row(s: Session, key: str) -> None:
    """Insert the key's row unless it exists: a write first, so SQLite takes its write lock here."""
    values = {"key": key, "failures": 0, "last_failure": 0.0, "blocked_until": 0.0}
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        s.execute(pg_insert(LoginThrottle).values(**values).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        s.execute(sqlite_insert(LoginThrottle).values(**values).on_conflict_do_nothing())
