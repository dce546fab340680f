"""Ten ``mlorg snapshot`` processes started at once on a new database all succeed (issue 13, item 8).

Each process creates the schema if it is missing; without a migration lock four of ten used to
fail with ``table admin_account already exists``. Real processes, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RUNS = 10


def test_concurrent_snapshots_on_a_new_database_all_succeed(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "MLORG_DATABASE_URL": db_url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "mlorg", "snapshot", "--label", f"run-{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for i in range(RUNS)
    ]
    results = [(p.wait(), *p.communicate()) for p in procs]
    failures = [err for code, _out, err in results if code != 0]
    assert failures == []
    assert sorted(out.split()[2] for _code, out, _err in results) == sorted(f"#{i}" for i in range(1, RUNS + 1))
