"""Sign-in throttling and the new-password rule (issue 13, item 4), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest

from mlorg.errors import UsageError
from mlorg.web import store, throttle

from .survey_helpers import PASSWORD, csrf_of, make_app


def _attempt(client, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/admin/login")
    return client.post("/admin/login", data={"csrf_token": csrf_of(page.text), "password": password})


def test_wrong_passwords_from_one_client_are_slowed_then_refused_outright(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    now = [time.time()]
    monkeypatch.setattr(throttle, "clock", lambda: now[0])  # a machine slower than the 1 s wait stays exact
    client = TestClient(make_app(engine), follow_redirects=False)
    statuses = [_attempt(client, f"wrong password {i}").status_code for i in range(20)]
    assert statuses[: throttle.CLIENT_FREE + 1] == [401] * (throttle.CLIENT_FREE + 1)
    assert set(statuses[throttle.CLIENT_FREE + 1 :]) == {429}, statuses
    res = _attempt(client, PASSWORD)
    assert res.status_code == 429, "while waiting, even the right password is not checked"
    assert "Too many failed sign-ins" in res.text and "Wait 1 second" in res.text
    assert "`" not in res.text, "a page shows the command as code, not between literal backticks"
    assert "set a new password with <code>mlorg serve --init-admin</code>." in res.text
    assert res.headers["retry-after"] == "1"
    now[0] += 1.0
    assert _attempt(client, PASSWORD).status_code == 303, "waiting out the delay always works"
    signed_out = TestClient(client.app, follow_redirects=False)  # same client address, no session
    assert _attempt(signed_out, "wrong again").status_code == 401, "a success forgets the failures"


def test_waits_double_up_to_a_cap() -> None:
    waits = [throttle.wait_after(n, 5) for n in range(1, 40)]
    assert waits[:5] == [0.0] * 5
    assert waits[5:9] == [1.0, 2.0, 4.0, 8.0]
    assert max(waits) == throttle.MAX_WAIT == 900.0


def test_the_account_is_throttled_across_many_clients(engine, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(throttle, "clock", lambda: 1_000_000.0)
    store.set_admin_password(engine, PASSWORD)
    results = []
    for i in range(throttle.ACCOUNT_FREE + 3):
        try:
            results.append(store.sign_in(engine, "wrong password", client=f"client{i}"))
        except store.Throttled as exc:
            results.append(exc.wait)
    assert results[: throttle.ACCOUNT_FREE + 1] == [None] * (throttle.ACCOUNT_FREE + 1)
    assert all(isinstance(r, float) and r > 0 for r in results[throttle.ACCOUNT_FREE + 1 :]), results
    with pytest.raises(store.Throttled):
        store.sign_in(engine, PASSWORD, client="a-new-client")
    store.set_admin_password(engine, PASSWORD)  # resetting the password from the command line lifts it
    assert store.sign_in(engine, PASSWORD, client="a-new-client") is not None


def test_parallel_attempts_cannot_slip_past_the_count(engine) -> None:  # type: ignore[no-untyped-def]
    """Attempts are counted before the password is checked, under a row lock: 40 at once, same instant."""
    limits = [throttle.Limit("client:x", throttle.CLIENT_FREE)]
    now = time.time()
    waits: list[float] = []
    barrier = threading.Barrier(40)

    def go() -> None:
        barrier.wait()
        waits.append(throttle.begin_attempt(engine, limits, now=now))

    threads = [threading.Thread(target=go) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits).count(0.0) == throttle.CLIENT_FREE + 1
    assert len(waits) == 40


def test_throttle_state_is_shared_by_every_engine_on_the_database(db_url: str, engine) -> None:  # type: ignore[no-untyped-def]
    """Two server processes are two engines on one database: failures counted by one bind the other."""
    from mlorg.storage.base import make_engine

    other = make_engine(db_url)
    try:
        limits = [throttle.Limit("client:y", 2)]
        now = time.time()
        assert [throttle.begin_attempt(e, limits, now=now) for e in (engine, other, engine)] == [0.0, 0.0, 0.0]
        assert throttle.begin_attempt(other, limits, now=now) > 0
    finally:
        other.dispose()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "too easy to guess"),
        ("qwertyuiopasdf", "too easy to guess"),
        ("Password123!", "too easy to guess"),
        (" " * 12, "only spaces"),
        ("\u200b" * 12, "invisible"),
        ("correct horse\u200bbattery staple", "invisible"),
        ("correct\u2028horse battery", "invisible"),
        ("short1!", "at least 10"),
    ],
)
def test_weak_or_invisible_admin_passwords_are_refused(engine, run_cli, monkeypatch, password: str, why: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match=why):
        store.set_admin_password(engine, password)
    assert not store.admin_exists(engine)
    monkeypatch.setenv("MLORG_ADMIN_PASSWORD", password)
    res = run_cli("serve", "--database-url", str(engine.url.render_as_string(hide_password=False)))
    assert res.code == 2 and why in res.stderr and "Traceback" not in res.stderr


def test_a_strong_password_is_accepted(engine) -> None:  # type: ignore[no-untyped-def]
    store.set_admin_password(engine, "mlorg survey admin, winter round")
    assert store.admin_exists(engine)
