"""Survey integrity (issue 13, item 3): one link cannot be replayed into more answers than its team
has people, a browser that answered cannot answer again, and the admin cannot lift a small team
over the privacy floor by answering through its link."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from mlorg.web import store

from .survey_helpers import (
    EXAMPLE,
    AdminSetup,
    LiveServer,
    answer_count,
    cookieless_jar,
    create_round,
    csrf_of,
    forget_answers,
    make_app,
    sign_in,
)


def _answer(admin: AdminSetup, team: str, value: str = "5"):  # type: ignore[no-untyped-def]
    """One respondent: a fresh browser opens the team link and sends one answer."""
    c = admin.client
    forget_answers(c)
    link = admin.links[team]
    page = c.get(link)  # type: ignore[attr-defined]
    assert page.status_code == 200, page.text
    return c.post(link, data={"csrf_token": csrf_of(page.text), "westrum_info_sought": value})  # type: ignore[attr-defined]


def test_reloading_a_link_gives_no_more_answers_than_the_team_has_people(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    # yarnit's `search` team has headcount 6: its link takes six answers, however often it is reloaded.
    assert [_answer(admin, "search").status_code for _ in range(6)] == [303] * 6
    refused = _answer(admin, "search")
    assert refused.status_code == 409
    assert "All answers are in" in refused.text and "6 people of team Site search" in refused.text
    assert answer_count(engine) == 6


def test_the_form_says_how_many_people_the_link_is_for(admin: AdminSetup) -> None:
    page = admin.client.get(admin.links["search"])  # type: ignore[attr-defined]
    assert re.search(r"for the 6 people of team <strong>Site search</strong>.*\(0 so far\)", page.text)


def test_back_then_submit_after_the_thank_you_page_stores_nothing_more(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    link = admin.links["recs"]
    first = csrf_of(c.get(link).text)  # type: ignore[attr-defined]
    second_tab = csrf_of(c.get(link).text)  # type: ignore[attr-defined]
    res = c.post(link, data={"csrf_token": first, "westrum_info_sought": "6"})  # type: ignore[attr-defined]
    assert res.status_code == 303 and res.headers["location"].endswith("/thanks")
    back = c.get(link)  # type: ignore[attr-defined]
    assert back.status_code == 200 and "Already answered" in back.text and "csrf_token" not in back.text
    again = c.post(link, data={"csrf_token": first, "westrum_info_sought": "2"})  # type: ignore[attr-defined]
    assert again.status_code == 303, "the same form sent again is a retry, counted once"
    other = c.post(link, data={"csrf_token": second_tab, "westrum_info_sought": "2"})  # type: ignore[attr-defined]
    assert other.status_code == 409 and "not stored" in other.text
    assert answer_count(engine) == 1


def test_a_small_team_cannot_be_stuffed_over_the_privacy_floor(engine) -> None:  # type: ignore[no-untyped-def]
    """The audit's attack: one real answer, four more by the admin through the same link, then the mean."""
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    spec = "version: 1\norganization: {name: X}\nteams:\n  - {id: small, kind: ml, headcount: 3}\n"
    round_id, links = create_round(client, spec)
    setup = AdminSetup(client, round_id, links)
    statuses = [_answer(setup, "small", v).status_code for v in ("1", "7", "7", "7", "7")]
    assert statuses == [303, 303, 303, 409, 409]
    dash = client.get(f"/admin/rounds/{round_id}").text
    assert "results appear at 5" in dash and '<td class="num">3</td>' in dash
    assert answer_count(engine) == 3


def test_concurrent_submissions_never_exceed_the_count(engine) -> None:  # type: ignore[no-untyped-def]
    spec = "version: 1\norganization: {name: X}\nteams:\n  - {id: t, kind: ml, headcount: 6}\n"
    created = store.create_round(engine, "Race", spec, "race.yaml", ["westrum"])
    link = f"/s/{created.tokens['t']}"

    async def run(base: str) -> list[int]:
        async with httpx.AsyncClient(base_url=base, timeout=120, cookies=cookieless_jar()) as client:
            pages = await asyncio.gather(*(client.get(link) for _ in range(30)))
            posts = [{"csrf_token": csrf_of(p.text), "westrum_info_sought": "4"} for p in pages]
            return [r.status_code for r in await asyncio.gather(*(client.post(link, data=d) for d in posts))]

    with LiveServer(make_app(engine)) as server:
        statuses = asyncio.run(run(server.url))
    assert sorted(statuses) == [303] * 6 + [409] * 24
    assert answer_count(engine) == 6


@pytest.mark.parametrize(
    ("invitations", "problem"),
    [
        ("search: 7", "search: 7 is more than the team&#39;s headcount (6)"),
        ("nosuch: 3", "nosuch: is not a team of the spec"),
        ("recs: 0", "recs: 0 is not a count from 1 to"),
        ("recs 3", "invitations:1: write one team: count a line"),
        ("recs: 3\nrecs: 4", "invitations:2: recs: is given twice"),
    ],
)
def test_bad_invitation_counts_are_refused_with_their_line(engine, invitations: str, problem: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    admin_page = client.get("/admin")
    res = client.post(
        "/admin/rounds",
        data={"csrf_token": csrf_of(admin_page.text), "spec_text": EXAMPLE.read_text(), "invitations": invitations},
        files={"spec_file": ("", b"")},
    )
    assert res.status_code == 422
    shown = re.sub(r"<[^>]+>", "", res.text)  # the location is shown as code, then the words
    assert problem in shown, res.text
    assert store.list_rounds(engine) == []


def test_teams_without_a_size_get_no_link_and_the_dashboard_says_so(engine) -> None:  # type: ignore[no-untyped-def]
    round_id = store.create_round(engine, "Sizes", EXAMPLE.read_text(), "yarnit.yaml", ["westrum"], {"recs": 5}).id
    by_team = {link.team_id: link.invitations for link in store.links(engine, round_id)}
    assert by_team["recs"] == 5 and by_team["search"] == 6 and by_team["supply"] == 22
    assert "leadership" not in by_team and "engineering" not in by_team
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    dash = client.get(f"/admin/rounds/{round_id}").text
    assert "No link for Engineering, Leadership team" in dash  # by the names the spec gives them


def test_link_tokens_are_stored_only_as_hashes(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    from sqlalchemy import inspect, text

    assert "token" not in {c["name"] for c in inspect(engine).get_columns("survey_link")}
    token = admin.links["recs"].removeprefix("/s/")
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(text("SELECT token_hash FROM survey_link"))}
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored
    dash = admin.client.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    assert token not in dash and "New link" in dash, "after creation the dashboard cannot show a link"


def test_a_new_link_replaces_the_old_and_keeps_the_answers(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    assert _answer(admin, "search").status_code == 303
    c = admin.client
    token = csrf_of(c.get(f"/admin/rounds/{admin.round_id}").text)  # type: ignore[attr-defined]
    res = c.post(f"/admin/rounds/{admin.round_id}/links/search", data={"csrf_token": token})  # type: ignore[attr-defined]
    assert res.status_code == 200 and "Copy this link now" in res.text
    new = re.search(r'<tr><td>Site search</td><td class="num" data-team="search">.*?href="(/s/[^"]+)"', res.text, re.S)
    assert new and new.group(1) != admin.links["search"]
    forget_answers(c)
    assert c.get(admin.links["search"]).status_code == 404  # type: ignore[attr-defined]
    admin.links["search"] = new.group(1)
    assert _answer(admin, "search").status_code == 303
    assert {link.team_id: link.answers for link in store.links(engine, admin.round_id)}["search"] == 2
    for bad in ("nosuch", "x%00y"):
        res = c.post(f"/admin/rounds/{admin.round_id}/links/{bad}", data={"csrf_token": token})  # type: ignore[attr-defined]
        assert res.status_code == 404


def test_the_migration_hashes_existing_link_tokens(db_url: str) -> None:
    """A database at 0004 with a link stored in clear: after the upgrade the same URL still works."""
    from sqlalchemy import text

    from mlorg.storage.base import make_engine
    from mlorg.storage.migrate import upgrade

    upgrade(db_url, "0004_link_invitations")
    eng = make_engine(db_url)
    try:
        with eng.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO survey_round (id, title, spec_label, spec_text, instruments, created_on, closed) "
                    "VALUES ('ab12', 'Old', 'old.yaml', :spec, 'westrum', '2026-01-05', false)"
                ),
                {"spec": "version: 1\norganization: {name: X}\nteams:\n  - {id: t, kind: ml, headcount: 6}\n"},
            )
            conn.execute(
                text("INSERT INTO survey_link (round_id, team_id, token) VALUES ('ab12', 't', :tok)"),
                {"tok": "OldTokenStoredInClear_0123456789abcdefghijk"},
            )
        upgrade(db_url)
        view, link = store.link_round(eng, "OldTokenStoredInClear_0123456789abcdefghijk")
        assert (view.id, link.team_id, link.invitations) == ("ab12", "t", None)
        with eng.connect() as conn:
            cells = conn.execute(text("SELECT * FROM survey_link")).all()
        assert "OldTokenStoredInClear_0123456789abcdefghijk" not in repr(cells)
    finally:
        eng.dispose()
