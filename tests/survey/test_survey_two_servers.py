"""A production layout in miniature: two `mlorg serve` processes on one PostgreSQL database share
rounds, answers, sign-in sessions and the sign-in throttle (issue 13, item 5)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from .survey_helpers import EXAMPLE, INVITATIONS, PASSWORD, cookieless_jar, csrf_of, free_port
from .survey_pg import fresh_database

CODE = "import sys; from mlorg.cli import main; sys.argv[0] = 'mlorg'; main()"


@contextmanager
def _serve(url: str, *, set_password: bool) -> Iterator[str]:
    port = free_port()
    env = {**os.environ}
    env.pop("MLORG_ADMIN_PASSWORD", None)
    if set_password:
        env["MLORG_ADMIN_PASSWORD"] = PASSWORD
    proc = subprocess.Popen(
        [sys.executable, "-c", CODE, "serve", "--database-url", url, "--port", str(port), "--insecure-cookies"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"mlorg serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def test_two_server_processes_share_rounds_answers_sessions_and_throttle(pg_server: str) -> None:
    with (
        fresh_database(pg_server) as url,
        _serve(url, set_password=True) as a,
        _serve(url, set_password=False) as b,
    ):
        admin_a = httpx.Client(base_url=a, follow_redirects=False, timeout=60)
        login = admin_a.get("/admin/login")
        res = admin_a.post("/admin/login", data={"csrf_token": csrf_of(login.text), "password": PASSWORD})
        assert res.status_code == 303
        # The session cookie from A is valid on B: sessions live in the database.
        admin_b = httpx.Client(base_url=b, follow_redirects=False, timeout=60, cookies=admin_a.cookies)
        assert admin_b.get("/admin").status_code == 200
        # A round created through B is listed by A; its links work on both.
        res = admin_b.post(
            "/admin/rounds",
            data={
                "csrf_token": csrf_of(admin_b.get("/admin").text),
                "title": "Shared",
                "spec_text": EXAMPLE.read_text(),
                "invitations": INVITATIONS,
            },
            files={"spec_file": ("", b"")},
        )
        assert res.status_code == 201, res.text
        round_id = re.search(r'action="/admin/rounds/([0-9a-f]+)/close"', res.text).group(1)  # type: ignore[union-attr]
        assert f"/admin/rounds/{round_id}" in admin_a.get("/admin").text
        link = re.search(r'data-team="recs">.*?href="(/s/[^"]+)"', res.text, re.S)
        assert link
        # Answers: a form rendered by one process is accepted by the other (one signing secret).
        with httpx.Client(timeout=60, cookies=cookieless_jar()) as people:
            for render, send in ((a, b), (b, a), (a, a), (b, b)):
                token = csrf_of(people.get(render + link.group(1)).text)
                sent = people.post(send + link.group(1), data={"csrf_token": token, "westrum_info_sought": "5"})
                assert sent.status_code == 303
        for admin in (admin_a, admin_b):
            assert '<span id="total">4</span>' in admin.get(f"/admin/rounds/{round_id}").text
        # Failed sign-ins counted by A slow this client down on B too.
        with httpx.Client(base_url=a, timeout=60) as guess_a, httpx.Client(base_url=b, timeout=60) as guess_b:
            statuses = []
            for i in range(8):
                guess = guess_a if i % 2 else guess_b
                page = guess.get("/admin/login")
                statuses.append(
                    guess.post(
                        "/admin/login", data={"csrf_token": csrf_of(page.text), "password": f"no {i}"}
                    ).status_code
                )
        assert statuses[:6] == [401] * 6 and 429 in statuses[6:], statuses
        admin_a.close()
        admin_b.close()
