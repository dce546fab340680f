"""Reliability under load and under a crash: no answer lost, none counted twice."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time

import httpx

from mlorg.web import store

from .survey_helpers import EXAMPLE, LiveServer, answer_count, cookieless_jar, csrf_of, free_port, make_app

SUBMISSIONS = 200


def _round(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    spec = re.sub(r"headcount: \d+", "headcount: 1000", EXAMPLE.read_text())  # room for every load answer
    invitations = {"recs": 1000, "leadership": 1000, "engineering": 1000}
    created = store.create_round(engine, "Load", spec, "yarnit.yaml", ["westrum"], invitations)
    return {team: f"/s/{token}" for team, token in created.tokens.items()}


async def _submit_all(base: str, links: dict[str, str]) -> list[int]:
    teams = sorted(links)
    limits = httpx.Limits(max_connections=SUBMISSIONS, max_keepalive_connections=SUBMISSIONS)
    # Every request is a different respondent's browser: no "already answered" cookie is kept.
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120, cookies=cookieless_jar()) as client:
        paths = [links[teams[i % len(teams)]] for i in range(SUBMISSIONS)]
        pages = await asyncio.gather(*(client.get(p) for p in paths))
        forms = [
            (p, {"csrf_token": csrf_of(page.text), "westrum_info_sought": str(1 + i % 7), "westrum_new_ideas": "4"})
            for i, (p, page) in enumerate(zip(paths, pages, strict=True))
        ]
        # Every form once, plus 50 of them submitted a second time at the same moment (double clicks).
        attempts = forms + forms[:50]
        results = await asyncio.gather(*(client.post(p, data=d) for p, d in attempts))
        return [r.status_code for r in results]


def test_200_concurrent_submissions_store_exactly_200(engine) -> None:  # type: ignore[no-untyped-def]
    links = _round(engine)
    with LiveServer(make_app(engine)) as server:
        statuses = asyncio.run(_submit_all(server.url, links))
    assert statuses.count(303) == len(statuses), sorted(set(statuses))
    assert answer_count(engine) == SUBMISSIONS
    counts = sum(link.answers for link in store.links(engine, next(iter(store.list_rounds(engine)))[0].id))
    assert counts == SUBMISSIONS


def _start_serving(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "MLORG_ADMIN_PASSWORD": "correct horse battery staple"}
    code = "import sys; from mlorg.cli import main; sys.argv[0] = 'mlorg'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--database-url", db_url, "--port", str(port), "--insecure-cookies"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return proc, base


def test_a_killed_server_loses_nothing_it_acknowledged(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    links = _round(engine)
    proc, base = _start_serving(db_url)
    acknowledged = 0
    try:
        link = links["recs"]
        with httpx.Client(base_url=base, timeout=30, cookies=cookieless_jar()) as client:
            for i in range(25):
                token = csrf_of(client.get(link).text)
                res = client.post(link, data={"csrf_token": token, "westrum_info_sought": str(1 + i % 7)})
                if res.status_code == 303:
                    acknowledged += 1
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert acknowledged == 25
    assert answer_count(engine) == acknowledged
    assert proc.stderr is not None
    said = proc.stderr.read().decode()
    from mlorg.storage.base import describe

    assert f"mlorg: database: {describe(db_url)}\n" in said  # the server says which database it uses
    assert "password" not in db_url or ":***@" in said


CLIENTS = 32
KILL_AFTER = 60


async def _load_until_killed(base: str, links: dict[str, str], pid: int) -> tuple[list[str], int]:
    """32 respondents answer in a loop (answers share group commits); the server is killed -9 once 60
    answers were acknowledged, with others in flight. Returns the acknowledged forms' nonces."""
    acknowledged: list[str] = []
    sent = 0
    killed = asyncio.Event()
    teams = sorted(links)

    async def respondent(n: int, client: httpx.AsyncClient) -> None:
        nonlocal sent
        link = links[teams[n % len(teams)]]
        while not killed.is_set():
            try:
                token = csrf_of((await client.get(link)).text)
                sent += 1
                res = await client.post(link, data={"csrf_token": token, "westrum_info_sought": str(1 + n % 7)})
            except httpx.TransportError:
                return  # the server is gone: this answer was never acknowledged
            if res.status_code == 303:
                acknowledged.append(token.partition(".")[0])
                if len(acknowledged) >= KILL_AFTER and not killed.is_set():
                    killed.set()
                    os.kill(pid, signal.SIGKILL)

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60, cookies=cookieless_jar()) as client:
        await asyncio.gather(*(respondent(n, client) for n in range(CLIENTS)))
    return acknowledged, sent


def test_a_server_killed_under_concurrent_answers_loses_none_it_acknowledged(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    links = _round(engine)
    proc, base = _start_serving(db_url)
    try:
        acknowledged, sent = asyncio.run(_load_until_killed(base, links, proc.pid))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL  # killed mid-load, not stopped
    assert len(acknowledged) >= KILL_AFTER
    missing = [nonce for nonce in acknowledged if not store.nonce_used(engine, nonce)]
    assert missing == []  # every acknowledged answer is in the database
    stored = answer_count(engine)
    assert len(acknowledged) <= stored <= sent  # the rest were in flight: stored or not, never twice
    round_id = store.list_rounds(engine)[0][0].id
    assert sum(link.answers for link in store.links(engine, round_id)) == stored  # counts stayed exact
