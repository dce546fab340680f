"""A PostgreSQL server for the storage and web tests.

``MLORG_TEST_POSTGRES_URL`` (a server URL with a role that may create databases) is used when set.
Otherwise a throwaway server is started from the local PostgreSQL binaries (``initdb``/``pg_ctl``
on PATH, in /usr/local/bin or /usr/lib/postgresql/*/bin) on a free loopback port in a temporary
directory, as the ``postgres`` user when the tests run as root. Only when no binaries exist at
all is the caller told to skip, with the reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "MLORG_TEST_POSTGRES_URL"


class NoPostgres(Exception):
    """No PostgreSQL server or binaries are available; the message says why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_bindir() -> Path | None:
    candidates = [
        shutil.which("initdb"),
        "/usr/local/bin/initdb",
        *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")),
    ]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            real = Path(c).resolve().parent
            if (real / "pg_ctl").exists():
                return real
    return None


@contextmanager
def local_server() -> Iterator[str]:
    """Start a throwaway server; yield its admin URL (``postgresql+psycopg://...``); stop and delete it."""
    bindir = find_bindir()
    if bindir is None:
        raise NoPostgres(
            f"no PostgreSQL: {ENV} is unset and no initdb/pg_ctl was found on PATH, in /usr/local/bin or "
            "/usr/lib/postgresql/*/bin (apt-get install postgresql, or run .ci/postgres.sh)"
        )
    root = Path(tempfile.mkdtemp(prefix="mlorg-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise NoPostgres("running as root and there is no 'postgres' user to run the server as") from None
        os.chown(root, user.pw_uid, user.pw_gid)
        runuser = shutil.which("runuser")
        prefix = [runuser, "-u", "postgres", "--"] if runuser else ["su", "postgres", "-s", "/bin/sh", "-c"]
        if not runuser:
            raise NoPostgres("running as root and runuser is missing")
    data, log = root / "data", root / "server.log"
    port = free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        opts = f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off -c full_page_writes=off -c max_connections=300"
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", opts, "start")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"could not start a local PostgreSQL server: {detail[0]}") from None
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str, template: str | None = None) -> Iterator[str]:
    """Create a database on the server for one test, empty or a copy of ``template``; drop it afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(server_url)
    name = f"mlorg_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
