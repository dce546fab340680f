"""Survey, storage and web test helpers: databases (SQLite always, PostgreSQL when available), a
migrated engine, a signed-in admin client and a live uvicorn server."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .survey_pg import ENV, NoPostgres, free_port, fresh_database, local_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "yarnit.yaml"
PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# yarnit.yaml gives no headcount for these teams; a round needs a count for each team it surveys.
INVITATIONS = "recs: 40\nleadership: 6\nengineering: 30\n"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    import os

    env = os.environ.get(ENV)
    if env:
        yield env
        return
    try:
        with local_server() as url:
            yield url
    except NoPostgres as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def pg_migrated(pg_server: str) -> Iterator[str]:
    """The name of a database migrated to the newest revision once per test process, for cloning.

    A test that takes ``engine`` gets a copy (``CREATE DATABASE ... TEMPLATE``, about a tenth of a second
    faster than migrating an empty database each time, over some 150 tests); ``engine`` still runs the
    migrations on it, which then find nothing to do. Tests of the migrations themselves take only
    ``db_url`` and get an empty database.
    """
    from mlorg.storage.migrate import upgrade

    with fresh_database(pg_server) as url:
        upgrade(url)
        yield url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every storage and web test runs on SQLite, and on PostgreSQL whenever a server can be had.

    The database is empty, unless the test also takes ``engine`` (see ``pg_migrated``).
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mlorg.sqlite3'}"
        return
    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_migrated") if "engine" in request.fixturenames else None
    with fresh_database(server, template) as url:
        yield url


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash admin passwords with argon2id at its smallest cost in these tests.

    At the production cost (64 MiB, three passes) a hash or a check takes about 0.15 s by design, and
    almost every web test sets the password and signs in once: over a minute of each test run. The same
    code runs, with the same algorithm; a hash records its cost, so a check reads it from the hash.
    ``tests/test_web_security.py`` keeps the production cost itself under test.
    """
    from argon2 import PasswordHasher

    from mlorg.web import security

    monkeypatch.setattr(security, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade

    upgrade(db_url)
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)


@dataclass
class AdminSetup:
    client: object
    round_id: str
    links: dict[str, str]  # team id -> /s/<token>


def make_app(engine, **config):  # type: ignore[no-untyped-def]
    from mlorg.web.app import WebConfig, create_app
    from mlorg.web.store import set_admin_password

    set_admin_password(engine, PASSWORD)
    return create_app(engine, WebConfig(secure_cookies=False, **config))


def sign_in(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/admin/login")
    res = client.post("/admin/login", data={"csrf_token": csrf_of(page.text), "password": PASSWORD})
    assert res.status_code == 303, res.text


def create_round(client, spec_text: str | None = None, title: str = "Culture check") -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Create a round through the admin form; return its id and each team's link path."""
    admin = client.get("/admin")
    res = client.post(
        "/admin/rounds",
        data={
            "csrf_token": csrf_of(admin.text),
            "title": title,
            "spec_text": spec_text if spec_text is not None else EXAMPLE.read_text(),
            "instruments": ["westrum", "ml_org"],
            "invitations": INVITATIONS if spec_text is None else "",
        },
        files={"spec_file": ("", b"")},
    )
    assert res.status_code == 201, res.text
    round_id = re.search(r'action="/admin/rounds/([0-9a-f]+)/close"', res.text).group(1)  # type: ignore[union-attr]
    dash = res  # the links are shown once, on the page that answers the creation
    links = dict(
        re.findall(
            r'<tr><td>[^<]+</td><td class="num" data-team="([^"]+)">\d+</td><td class="num">[^<]*</td>'
            r'<td class="num">[^<]*</td>\s*<td><a class="share" href="(/s/[^"]+)"',
            dash.text,
        )
    )
    assert links, "dashboard lists no team links"
    return round_id, links


@pytest.fixture
def admin(engine) -> AdminSetup:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    round_id, links = create_round(client)
    return AdminSetup(client, round_id, links)


def answer_count(engine) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from mlorg.storage.survey_tables import SurveyAnswer

    with Session(engine) as s:
        return int(s.scalar(select(func.count()).select_from(SurveyAnswer)) or 0)


def forget_answers(client) -> None:  # type: ignore[no-untyped-def]
    """Drop the browser's "already answered" cookies, so one test client can act as many respondents."""
    for name in [n for n in client.cookies if "mlorg_answered_" in n]:
        del client.cookies[name]


def cookieless_jar():  # type: ignore[no-untyped-def]
    """A cookie jar that keeps nothing: an httpx client with it is a fresh browser on every request."""
    from http.cookiejar import CookieJar, DefaultCookiePolicy

    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class LiveServer:
    """uvicorn serving an app in a background thread on a free loopback port, as `mlorg serve` would."""

    def __init__(self, app, deadlines=None) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        from mlorg.web.server import server_config

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The configuration `mlorg serve` runs with (h11 with request deadlines), on a free port.
        config = server_config(app, "127.0.0.1", self.port, deadlines=deadlines, backlog=2048, timeout_keep_alive=120)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                return self
            time.sleep(0.05)
        raise RuntimeError("uvicorn did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
