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


def test_a_killed_server_loses_nothing_it_acknowledged(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    links = _round(engine)
    port = free_port()
    env = {**os.environ, "MLORG_ADMIN_PASSWORD": "correct horse battery staple"}
    code = "import sys; from mlorg.cli import main; sys.argv[0] = 'mlorg'; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "serve", "--database-url", db_url, "--port", str(port), "--insecure-cookies"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    acknowledged = 0
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
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
