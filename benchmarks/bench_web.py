"""Benchmark: the survey web app under load (issue 14, item 4), on SQLite and PostgreSQL.

For each database and each round size (1,000 and 10,000 answers by default) it creates a round of the
example organization, stores the answers, starts the real server (``mlorg serve`` in its own process
on loopback) and measures over HTTP, in one run:

- ``/healthz`` (the cheapest request the server answers: the HTTP floor) and a plain answer-form GET;
- the round's dashboard: the first view after start (cold cache), repeated views (warm) and a view
  after each of several single new answers (the cache reads only the new answer);
- answer POSTs from 32 concurrent clients (each fetches a form, then posts it; only the POST is
  timed), p50 and p99, without and then with two admins viewing the dashboard all the while;
- the server's peak resident memory (``VmHWM``), and, for comparison in the benchmark's own process,
  what a dashboard view cost before the cache: read every answer, score, assess.

Targets of issue 14, printed met or NOT met for the largest size: a dashboard view at most 10x a
plain answer-form GET; answer POST p99 at 32 concurrent clients at most 5x its p50.

Run: ``python benchmarks/bench_web.py [--answers 1000,10000] [--postgres-url URL]`` (PostgreSQL:
``--postgres-url`` or ``MLORG_TEST_POSTGRES_URL``, a role that may create databases; without one only
SQLite runs, and it says so). Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "yarnit.yaml"
DEFAULT_JSON = ROOT / "benchmarks" / "out" / "bench_web.json"
PASSWORD = "correct horse battery staple"
INSTRUMENTS = ("westrum", "ml_org")
CLIENTS = 32
POSTS_PER_CLIENT = 20
TARGET_DASHBOARD_TO_FORM = 10.0
TARGET_P99_TO_P50 = 5.0
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _items() -> list[tuple[str, int, int]]:
    from mlorg.survey.catalog import instrument

    out = []
    for inst_id in INSTRUMENTS:
        inst = instrument(inst_id)
        assert inst is not None
        out += [(item.id, inst.scale.min, inst.scale.max) for item in inst.items]
    return out


def load_round(url: str, answers: int, extra: int) -> tuple[str, dict[str, str]]:
    """A round of the example with ``answers`` stored answers and room for ``extra`` more."""
    from sqlalchemy import func, insert, inspect, select, update

    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade
    from mlorg.storage.survey_tables import SurveyAnswer, SurveyLink
    from mlorg.web import store

    upgrade(url)
    engine = make_engine(url)
    try:
        store.set_admin_password(engine, PASSWORD)
        room = answers + extra + 1000
        spec = re.sub(r"headcount: \d+", f"headcount: {room}", EXAMPLE.read_text())
        teams = ("recs", "leadership", "engineering")
        created = store.create_round(engine, "Bench", spec, "yarnit.yaml", INSTRUMENTS, dict.fromkeys(teams, room))
        rng = random.Random(1)
        items = _items()
        with engine.begin() as conn:
            link_ids = dict(
                conn.execute(select(SurveyLink.team_id, SurveyLink.id).where(SurveyLink.round_id == created.id)).all()
            )
            linked = sorted(link_ids)
            for start in range(0, answers, 1000):
                rows = [
                    {
                        "id": secrets.token_hex(16),
                        "round_id": created.id,
                        "link_id": link_ids[linked[n % len(linked)]],
                        "role": rng.choice([None, "ml_engineer", "data_scientist", "product_manager"]),
                        "values": {i: rng.randint(lo, hi) for i, lo, hi in items if rng.random() > 0.1},
                        "submission_key": secrets.token_hex(32),
                    }
                    for n in range(start, min(answers, start + 1000))
                ]
                conn.execute(insert(SurveyAnswer), rows)
            if "answers" in {c["name"] for c in inspect(conn).get_columns("survey_link")}:  # counted per link
                counted = (
                    select(func.count())
                    .select_from(SurveyAnswer)
                    .where(SurveyAnswer.link_id == SurveyLink.id)
                    .scalar_subquery()
                )
                conn.execute(update(SurveyLink).values(answers=counted))
        return created.id, {team: f"/s/{token}" for team, token in created.tokens.items()}
    finally:
        engine.dispose()


def uncached_view(url: str, round_id: str) -> float:
    """Seconds for what every dashboard view did before the cache: read all answers, score, assess."""
    from mlorg.engine import assess, effective_settings
    from mlorg.storage.base import make_engine
    from mlorg.survey.scoring import score
    from mlorg.web import store

    engine = make_engine(url)
    try:
        t0 = time.perf_counter()
        view = store.get_round(engine, round_id)
        spec = store.parse_spec(view.spec_text, view.spec_label)
        responses = store.round_responses(engine, round_id)
        score(responses, effective_settings(spec, None).thresholds)
        assess(spec, survey=responses)
        return time.perf_counter() - t0
    finally:
        engine.dispose()


@contextmanager
def serving(url: str) -> Iterator[tuple[str, int]]:
    """``mlorg serve`` on a free loopback port; yields its base URL and process id."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "mlorg", "serve", "--database-url", url, "--port", str(port), "--insecure-cookies"]
    log = open(os.environ.get("BENCH_WEB_SERVER_LOG", os.devnull), "ab")  # noqa: SIM115
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"mlorg serve exited with {proc.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn: Callable[[], httpx.Response], expect: int = 200) -> float:
    t0 = time.perf_counter()
    res = fn()
    elapsed = time.perf_counter() - t0
    if res.status_code != expect:
        raise RuntimeError(f"HTTP {res.status_code} from {res.request.url}: {res.text[:200]}")
    return elapsed


def answer_form(html: str, rng: random.Random) -> dict[str, str]:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("the answer form has no csrf_token")
    return {"csrf_token": match.group(1), **{i: str(rng.randint(lo, hi)) for i, lo, hi in _items()}}


def admin_client(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/admin/login")
    match = CSRF.search(page.text)
    assert match, "no sign-in form"
    res = client.post("/admin/login", data={"csrf_token": match.group(1), "password": PASSWORD})
    if res.status_code != 303:
        raise RuntimeError(f"sign-in failed: HTTP {res.status_code}")
    return client


async def post_load(
    base: str, links: dict[str, str], session: str, round_id: str, viewers: int
) -> tuple[list[float], list[float]]:
    """POST latencies of 32 concurrent respondents, and dashboard latencies of ``viewers`` admins."""
    from http.cookiejar import CookieJar, DefaultCookiePolicy

    posts: list[float] = []
    views: list[float] = []
    done = asyncio.Event()
    teams = sorted(links)
    # Every request on a new connection, as from many browsers: under a heavy machine load a kept-alive
    # connection can sit idle past the server's keep-alive timeout and be closed under the next request.
    limits = httpx.Limits(max_connections=CLIENTS + viewers, max_keepalive_connections=0)
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))  # every request a fresh browser

    async def respondent(n: int, client: httpx.AsyncClient) -> None:
        rng = random.Random(n)
        link = links[teams[n % len(teams)]]
        for _ in range(POSTS_PER_CLIENT):
            form = answer_form((await client.get(link)).text, rng)
            t0 = time.perf_counter()
            res = await client.post(link, data=form)
            posts.append(time.perf_counter() - t0)
            if res.status_code != 303:
                raise RuntimeError(f"answer POST gave HTTP {res.status_code}")

    async def viewer(client: httpx.AsyncClient) -> None:
        while not done.is_set():
            t0 = time.perf_counter()
            res = await client.get(f"/admin/rounds/{round_id}", headers={"cookie": f"mlorg_session={session}"})
            views.append(time.perf_counter() - t0)
            if res.status_code != 200:
                raise RuntimeError(f"dashboard gave HTTP {res.status_code}")

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300, cookies=jar) as client:
        watching = [asyncio.create_task(viewer(client)) for _ in range(viewers)]
        await asyncio.gather(*(respondent(n, client) for n in range(CLIENTS)))
        done.set()
        await asyncio.gather(*watching)
    return posts, views


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def run_one(url: str, answers: int, repeat: int) -> dict[str, Any]:
    extra = 2 * CLIENTS * POSTS_PER_CLIENT + repeat + 50
    round_id, links = load_round(url, answers, extra)
    old = min(uncached_view(url, round_id) for _ in range(2))
    rng = random.Random(7)
    with serving(url) as (base, pid):
        admin = admin_client(base)
        dash = f"/admin/rounds/{round_id}"
        cold = timed(lambda: admin.get(dash))
        warm = statistics.median(timed(lambda: admin.get(dash)) for _ in range(repeat))
        with httpx.Client(base_url=base, timeout=60) as plain:
            floor = statistics.median(timed(lambda: plain.get("/healthz")) for _ in range(repeat))
            form = statistics.median(timed(lambda: plain.get(links["recs"])) for _ in range(repeat))
            after: list[float] = []
            for _ in range(max(5, repeat // 2)):
                plain.cookies.clear()
                data = answer_form(plain.get(links["recs"]).text, rng)
                timed(lambda data=data: plain.post(links["recs"], data=data), expect=303)  # type: ignore[misc]
                after.append(timed(lambda: admin.get(dash)))
        session = admin.cookies["mlorg_session"]
        quiet, _ = asyncio.run(post_load(base, links, session, round_id, viewers=0))
        loaded, views = asyncio.run(post_load(base, links, session, round_id, viewers=2))
        rss = peak_rss_mib(pid)
        admin.close()
    return {
        "answers": answers,
        "healthz_s": floor,
        "form_get_s": form,
        "dashboard_cold_s": cold,
        "dashboard_warm_s": warm,
        "dashboard_after_one_answer_s": statistics.median(after),
        "dashboard_uncached_in_process_s": old,
        "post_p50_s": pct(quiet, 50),
        "post_p99_s": pct(quiet, 99),
        "post_p50_with_dashboards_s": pct(loaded, 50),
        "post_p99_with_dashboards_s": pct(loaded, 99),
        "dashboard_under_load_median_s": statistics.median(views) if views else float("nan"),
        "dashboard_views_under_load": len(views),
        "server_peak_rss_mib": rss,
    }


@contextmanager
def database(kind: str, pg_server: str | None, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    assert pg_server is not None
    server = make_url(pg_server)
    name = f"mlorg_bench_{uuid.uuid4().hex[:12]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def report(db: str, r: dict[str, Any]) -> list[tuple[str, float, float]]:
    form = r["form_get_s"]
    print(f"\n{db}, {r['answers']:,} answers (ms; ratio to the answer-form GET)")
    rows = [
        ("GET /healthz (HTTP floor)", r["healthz_s"]),
        ("answer-form GET", form),
        ("dashboard, cold cache (first view)", r["dashboard_cold_s"]),
        ("dashboard, warm cache", r["dashboard_warm_s"]),
        ("dashboard after one new answer", r["dashboard_after_one_answer_s"]),
        ("before the cache: read all, score, assess (in process)", r["dashboard_uncached_in_process_s"]),
        ("dashboard while 32 clients post (median)", r["dashboard_under_load_median_s"]),
    ]
    for label, value in rows:
        print(f"  {label:<58} {ms(value)}  {value / form:6.1f}x")
    print(
        f"  POST at {CLIENTS} clients: p50 {ms(r['post_p50_s']).strip()}, p99 {ms(r['post_p99_s']).strip()} "
        f"({r['post_p99_s'] / r['post_p50_s']:.1f}x); with 2 dashboard viewers: p50 "
        f"{ms(r['post_p50_with_dashboards_s']).strip()}, p99 {ms(r['post_p99_with_dashboards_s']).strip()} "
        f"({r['post_p99_with_dashboards_s'] / r['post_p50_with_dashboards_s']:.1f}x)"
    )
    print(f"  server peak RSS {r['server_peak_rss_mib']:.0f} MiB")
    return [
        ("dashboard (warm) / form GET", r["dashboard_warm_s"] / form, TARGET_DASHBOARD_TO_FORM),
        (
            "dashboard after one new answer / form GET",
            r["dashboard_after_one_answer_s"] / form,
            TARGET_DASHBOARD_TO_FORM,
        ),
        ("POST p99 / p50", r["post_p99_s"] / r["post_p50_s"], TARGET_P99_TO_P50),
        (
            "POST p99 / p50 with dashboards viewed",
            r["post_p99_with_dashboards_s"] / r["post_p50_with_dashboards_s"],
            TARGET_P99_TO_P50,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", default="1000,10000", help="comma-separated round sizes")
    parser.add_argument("--repeat", type=int, default=20, help="views and GETs per figure (medians)")
    parser.add_argument("--postgres-url", default=os.environ.get("MLORG_TEST_POSTGRES_URL"))
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = parser.parse_args()
    sizes = [int(s) for s in args.answers.split(",")]
    kinds = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    if not args.postgres_url:
        print("PostgreSQL skipped: give --postgres-url or set MLORG_TEST_POSTGRES_URL")
    results: dict[str, list[dict[str, Any]]] = {}
    verdicts: list[tuple[str, str, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            for size in sizes:
                with database(kind, args.postgres_url, Path(tmp)) as url:
                    result = run_one(url, size, args.repeat)
                results.setdefault(kind, []).append(result)
                checks = report(kind, result)
                if size == max(sizes):
                    verdicts += [(kind, *c) for c in checks]
    print(f"\nTargets of issue 14 at {max(sizes):,} answers:")
    for kind, label, value, target in verdicts:
        verdict = "met" if value <= target else "NOT met"
        print(f"  {kind:<10} {label:<45} {value:5.1f}x (at most {target:g}x): {verdict}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "clients": CLIENTS}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
