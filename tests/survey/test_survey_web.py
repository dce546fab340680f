"""The web app refuses every bad request with the right status and stores nothing; pages are safe."""

from __future__ import annotations

import html
import re

import pytest

from .survey_helpers import EXAMPLE, AdminSetup, answer_count, create_round, csrf_of, forget_answers, make_app, sign_in


def _form(admin: AdminSetup, team: str = "recs") -> tuple[str, str]:
    link = admin.links[team]
    forget_answers(admin.client)
    page = admin.client.get(link)  # type: ignore[attr-defined]
    assert page.status_code == 200
    return link, csrf_of(page.text)


def test_respondent_submission_is_stored_once_and_counted(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    data = {"csrf_token": token, "role": "ml_engineer", "westrum_info_sought": "6", "ml_data_audited": "2"}
    first = admin.client.post(link, data=data)  # type: ignore[attr-defined]
    again = admin.client.post(link, data=data)  # type: ignore[attr-defined]
    assert (first.status_code, again.status_code) == (303, 303)
    assert answer_count(engine) == 1
    dash = admin.client.get(f"/admin/rounds/{admin.round_id}")  # type: ignore[attr-defined]
    assert re.search(r'data-team="recs">1<', dash.text)
    assert '<span id="total">1</span>' in dash.text


def test_forged_csrf_token_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    nonce = token.split(".")[0]
    res = admin.client.post(link, data={"csrf_token": f"{nonce}.{'0' * 64}", "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 403
    other_link = admin.links["search"]
    res = admin.client.post(other_link, data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 403, "a form token is bound to the link it was rendered for"
    assert answer_count(engine) == 0


def test_missing_csrf_token_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, _token = _form(admin)
    res = admin.client.post(link, data={"westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 403
    assert "nothing was stored" in res.text
    assert answer_count(engine) == 0


def test_admin_forms_need_the_session_csrf_token(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    for data in ({}, {"csrf_token": "f" * 64}):
        res = c.post(f"/admin/rounds/{admin.round_id}/close", data=data)  # type: ignore[attr-defined]
        assert res.status_code == 403
        res = c.post("/admin/rounds", data={**data, "spec_text": EXAMPLE.read_text()})  # type: ignore[attr-defined]
        assert res.status_code == 403
    assert "open" in c.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    assert len(c.get("/admin").text.split("/admin/rounds/")) == 2  # type: ignore[attr-defined]


def test_wrong_link_token_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    _link, token = _form(admin)
    bogus = "/s/" + "A" * 43
    assert admin.client.get(bogus).status_code == 404  # type: ignore[attr-defined]
    res = admin.client.post(bogus, data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 404
    assert answer_count(engine) == 0


def test_missing_link_token_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    _link, token = _form(admin)
    for path in ("/s/", "/s"):
        res = admin.client.post(path, data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
        assert res.status_code in (404, 405)
        assert "Traceback" not in res.text
    assert answer_count(engine) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("westrum_info_sought", "8"),
        ("westrum_info_sought", "0"),
        ("ml_data_audited", "6"),
        ("no_such_item", "3"),
        ("role", "overlord"),
    ],
)
def test_out_of_range_or_unknown_answers_are_refused(admin: AdminSetup, engine, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    res = admin.client.post(link, data={"csrf_token": token, "westrum_info_sought": "5", field: value})  # type: ignore[attr-defined]
    assert res.status_code == 422
    assert "nothing was stored" in res.text
    assert answer_count(engine) == 0


def test_empty_submission_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    res = admin.client.post(link, data={"csrf_token": token, "westrum_info_sought": ""})  # type: ignore[attr-defined]
    assert res.status_code == 422
    assert answer_count(engine) == 0


def test_oversized_body_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    res = admin.client.post(link, data={"csrf_token": token, "westrum_info_sought": "5", "pad": "x" * 70_000})  # type: ignore[attr-defined]
    assert res.status_code == 413
    assert answer_count(engine) == 0


def test_streamed_oversized_body_without_length_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)

    def chunks():  # type: ignore[no-untyped-def]
        yield f"csrf_token={token}&westrum_info_sought=5&pad=".encode()
        for _ in range(100):
            yield b"x" * 1024

    res = admin.client.post(link, content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})  # type: ignore[attr-defined]
    assert res.status_code == 413
    assert answer_count(engine) == 0


def _status(admin: AdminSetup) -> str:
    page = admin.client.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    match = re.search(r'<strong id="status">(\w+)</strong>', page)
    assert match, "the dashboard shows no status"
    return match.group(1)


def test_closing_asks_first_and_changes_nothing_until_confirmed(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    base = f"/admin/rounds/{admin.round_id}"
    dash = c.get(base).text  # type: ignore[attr-defined]
    # the dashboard's button only opens the question (a GET form: no state change, no script)
    assert f'<form method="get" action="{base}/close"' in dash
    ask = c.get(f"{base}/close")  # type: ignore[attr-defined]
    assert ask.status_code == 200 and "Yes, close this round" in ask.text and "No, keep it open" in ask.text
    assert 'name="confirm" value="yes"' in ask.text and "0 answers given so far are kept" in ask.text
    assert _status(admin) == "open"
    # a POST without the confirmation (an old form, a double click on the wrong page) only asks again
    token = csrf_of(ask.text)
    again = c.post(f"{base}/close", data={"csrf_token": token})  # type: ignore[attr-defined]
    assert again.status_code == 200 and "Yes, close this round" in again.text
    assert _status(admin) == "open"
    # the confirmation is CSRF-protected like every admin form
    for bad in ({"confirm": "yes"}, {"confirm": "yes", "csrf_token": "0" * 64}):
        assert c.post(f"{base}/close", data=bad).status_code == 403  # type: ignore[attr-defined]
    assert _status(admin) == "open"
    signed_out = type(c)(c.app, follow_redirects=False)  # type: ignore[attr-defined]
    assert signed_out.get(f"{base}/close").headers["location"] == "/admin/login"
    assert signed_out.post(f"{base}/close", data={"csrf_token": token, "confirm": "yes"}).status_code == 403
    assert _status(admin) == "open"
    res = c.post(f"{base}/close", data={"csrf_token": token, "confirm": "yes"})  # type: ignore[attr-defined]
    assert res.status_code == 303 and res.headers["location"] == base
    assert _status(admin) == "closed"
    assert "This round is already closed" in c.get(f"{base}/close").text  # type: ignore[attr-defined]


def test_closed_round_refuses_answers_until_reopened(admin: AdminSetup, engine, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    caplog.set_level(logging.INFO, logger="mlorg.web")
    c = admin.client
    base = f"/admin/rounds/{admin.round_id}"
    link, token = _form(admin)
    csrf = csrf_of(c.get(base).text)  # type: ignore[attr-defined]
    assert c.post(f"{base}/close", data={"csrf_token": csrf, "confirm": "yes"}).status_code == 303  # type: ignore[attr-defined]
    res = c.post(link, data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 410
    assert c.get(link).status_code == 410  # type: ignore[attr-defined]
    assert answer_count(engine) == 0
    closed = c.get(base).text  # type: ignore[attr-defined]
    assert "Reopen this round" in closed and f'action="{base}/close"' not in closed
    # reopening needs the session's CSRF token too
    assert c.post(f"{base}/reopen", data={}).status_code == 403  # type: ignore[attr-defined]
    assert _status(admin) == "closed"
    res = c.post(f"{base}/reopen", data={"csrf_token": csrf})  # type: ignore[attr-defined]
    assert res.status_code == 303 and res.headers["location"] == base
    assert _status(admin) == "open"
    # the same link takes answers again, and the form rendered before the round closed still works
    res = c.post(link, data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 303 and answer_count(engine) == 1
    messages = [r.getMessage() for r in caplog.records if r.name == "mlorg.web"]
    assert messages == [f"survey round {admin.round_id} closed", f"survey round {admin.round_id} reopened"]
    # closing again keeps that answer; reopening an open round changes nothing and logs nothing
    assert c.post(f"{base}/close", data={"csrf_token": csrf, "confirm": "yes"}).status_code == 303  # type: ignore[attr-defined]
    assert c.post(f"{base}/reopen", data={"csrf_token": csrf}).status_code == 303  # type: ignore[attr-defined]
    assert c.post(f"{base}/reopen", data={"csrf_token": csrf}).status_code == 303  # type: ignore[attr-defined]
    assert _status(admin) == "open" and answer_count(engine) == 1
    assert len([r for r in caplog.records if r.name == "mlorg.web"]) == 4


def test_admin_pages_need_sign_in_and_the_right_password(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    assert client.get("/admin").headers["location"] == "/admin/login"
    assert client.get("/admin/rounds/x/answers.csv").status_code == 303
    page = client.get("/admin/login")
    res = client.post("/admin/login", data={"csrf_token": csrf_of(page.text), "password": "wrong password"})
    assert res.status_code == 401
    assert "Wrong password" in res.text
    res = client.post("/admin/login", data={"password": "correct horse battery staple"})
    assert res.status_code == 403, "sign-in needs its CSRF token too"


def test_cookies_and_security_headers(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from mlorg.web.app import WebConfig, create_app
    from mlorg.web.store import set_admin_password

    set_admin_password(engine, "correct horse battery staple")
    client = TestClient(
        create_app(engine, WebConfig(secure_cookies=True)), base_url="https://testserver", follow_redirects=False
    )
    page = client.get("/admin/login")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-mlorg_pre=")
    for attr in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert attr.lower() in cookie.lower()
    res = client.post(
        "/admin/login", data={"csrf_token": csrf_of(page.text), "password": "correct horse battery staple"}
    )
    session_cookie = [c for c in res.headers.get_list("set-cookie") if c.startswith("__Host-mlorg_session=")]
    assert session_cookie and "secure" in session_cookie[0].lower() and "samesite=strict" in session_cookie[0].lower()
    csp = page.headers["content-security-policy"]
    assert "script-src" not in csp and "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "<script" not in page.text and " style=" not in page.text
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    # the body limit's own 413 carries the same headers as every other response, HSTS included
    big = client.post("/admin/login", content=b"x" * (9 * 1024 * 1024), headers={"content-type": "text/plain"})
    assert big.status_code == 413
    for name in ("strict-transport-security", "content-security-policy", "x-content-type-options"):
        assert big.headers.get_list(name) == [page.headers[name]], name
    assert big.headers["cache-control"] == "no-store"


def test_bad_spec_shows_located_problems(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    admin_page = client.get("/admin")
    bad = "version: 1\norganization: {name: X}\nteams:\n  - {id: a, kind: nonsense}\n"
    res = client.post(
        "/admin/rounds", data={"csrf_token": csrf_of(admin_page.text), "spec_text": bad}, files={"spec_file": ("", b"")}
    )
    assert res.status_code == 422
    assert '<li><code class="where">pasted spec:4: teams[0].kind:</code> &#39;nonsense&#39; is not one of' in res.text
    res = client.post(
        "/admin/rounds",
        data={"csrf_token": csrf_of(admin_page.text)},
        files={"spec_file": ("org.yaml", b"version: 1\norganization: {name: '<b>x</b>'}\n")},
    )
    assert res.status_code == 422 and "no teams" in res.text and "<b>x</b>" not in res.text
    # what a terminal shows between backticks shows as code, never as literal backticks
    sizeless = "version: 1\norganization: {name: X}\nteams:\n  - {id: a, kind: ml}\n"
    res = client.post(
        "/admin/rounds",
        data={"csrf_token": csrf_of(admin_page.text), "spec_text": sizeless},
        files={"spec_file": ("", b"")},
    )
    assert res.status_code == 422 and "give each team to survey a <code>headcount</code> in the spec" in res.text
    assert "`" not in res.text.split('<div class="error"')[1].split("</div>")[0]


def test_hostile_text_is_escaped_on_every_page(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    spec = (
        "version: 1\norganization: {name: '<script>alert(1)</script>'}\nteams:\n  - {id: t1, kind: ml, headcount: 8}\n"
    )
    round_id, links = create_round(client, spec, title="<img src=x onerror=alert(1)>")
    for path in ("/admin", f"/admin/rounds/{round_id}", links["t1"]):
        text = client.get(path).text
        assert "<script>" not in text and "<img src=x" not in text


def test_database_error_shows_a_clear_page(engine) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    client = TestClient(make_app(engine), follow_redirects=False, raise_server_exceptions=False)
    sign_in(client)
    _round_id, links = create_round(client)
    page = client.get(links["recs"])
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE survey_answer"))
    res = client.post(links["recs"], data={"csrf_token": csrf_of(page.text), "westrum_info_sought": "5"})
    assert res.status_code == 503
    assert "Database unavailable" in res.text and "Traceback" not in res.text and "sqlalchemy" not in res.text.lower()


def test_export_applies_the_privacy_floor(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    plan = (
        [("recs", "ml_engineer")] * 5
        + [("recs", "data_scientist")] * 1
        + [("search", "")] * 2
        + [("storefront", "")] * 6
    )
    for team, role in plan:
        link, token = _form(admin, team)
        res = c.post(link, data={"csrf_token": token, "role": role, "westrum_info_sought": "6"})  # type: ignore[attr-defined]
        assert res.status_code == 303
    text = c.get(f"/admin/rounds/{admin.round_id}/answers.csv").text  # type: ignore[attr-defined]
    rows = [line.split(",")[:2] for line in text.splitlines()[1:]]
    assert len(rows) == 14
    teams = sorted({t for t, _ in rows})
    assert "search" not in teams, "a team of 2 must not be labelled"
    assert sum(1 for t, _ in rows if t == "") >= 5, "the hidden remainder is itself at least the floor"
    assert ("recs", "data_scientist") not in [tuple(r) for r in rows]
    dash = c.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    shown = set(re.findall(r'<tr data-result-team="([^"]+)">', dash))
    assert shown == {"storefront"}, "search (2) is under the floor, recs (6) would give it away by subtraction"


def test_a_pasted_spec_cannot_make_the_server_read_files(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    secret = tmp_path / "secret.csv"
    secret.write_text("team,westrum_new_ideas\nt1,7\n" * 3)
    client = TestClient(make_app(engine), follow_redirects=False)
    sign_in(client)
    spec = (
        f"version: 1\norganization: {{name: X}}\nteams:\n  - {{id: t1, kind: ml, headcount: 8}}\n"
        f"culture: {{survey: {secret}}}\n"
    )
    round_id, _links = create_round(client, spec)
    dash = client.get(f"/admin/rounds/{round_id}")
    assert dash.status_code == 200
    assert '<span id="total">0</span>' in dash.text
    assert "Culture: <strong>unknown (no survey data)</strong>" in dash.text


def test_serve_refuses_a_bad_database_url(run_cli) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("serve", "--database-url", "nosuchdb://x")
    assert res.code == 2 and "database URL 'nosuchdb://x': mlorg keeps its data in SQLite or PostgreSQL" in res.stderr


def _visible_text(page: str) -> str:
    """What a reader sees: tags, code (rule slugs, paths) and the hidden form values dropped."""
    body = page.split("<main>", 1)[1]
    body = re.sub(r"<code[^>]*>.*?</code>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_teams_roles_and_terms_appear_by_their_names_with_rounded_figures(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    import mlorg
    from mlorg import knowledge
    from test_leader_text import leaks, own_words

    c = admin.client
    spec = mlorg.load_spec(EXAMPLE)
    named = {t.id: t.name for t in spec.teams if t.name and t.name != t.id}
    for value in (5, 6, 6, 7, 4, 6):  # mean 5.667, spread 1.033: shown as 5.7 and 1.0
        link, token = _form(admin, "storefront")
        data = {"csrf_token": token, "role": "sre_ml", "westrum_info_sought": str(value), "ml_data_audited": "2"}
        assert c.post(link, data=data).status_code == 303  # type: ignore[attr-defined]
    dash = c.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    for team_id in admin.links:  # the links table names every team as the spec does
        name = re.escape(html.escape(named[team_id]))
        assert re.search(rf'<tr><td>{name}</td><td class="num" data-team="{team_id}">', dash)
    assert '<tr data-result-team="storefront"><td>Storefront</td><td class="num">6</td><td class="num">5.7</td>' in dash
    assert "Mean <strong>5.7</strong>" in dash and "(spread 1.0)" in dash
    assert re.search(r'data-team="storefront">6</td><td class="num">14</td><td class="num">43%</td>', dash)
    seen = _visible_text(dash)
    # the same scan the reports pass (no ids, Python values, "(s)" plurals), the organization's own names aside
    assert leaks(seen, own_words(spec)) == []
    assert not re.search(r"\d\.\d{3}", seen), "a figure shown with more than one or two decimals"
    stage = next(s.name for s in knowledge.stages().stages if s.id == mlorg.assess(spec).maturity.stage)
    assert f"Maturity stage: <strong>{stage.lower()}" in dash
    # respondents see their team by name, and every role by its display name
    link = admin.links["recs"]
    form = c.get(link).text  # type: ignore[attr-defined]
    assert f"<strong>{html.escape(named['recs'])}</strong>" in form and "<strong>recs</strong>" not in form
    for role in knowledge.roles().catalogue:
        assert f'<option value="{role.id}">{html.escape(role.name)}</option>' in form
    assert leaks(_visible_text(form), own_words(spec)) == [] and "_" not in _visible_text(form)
    link, token = _form(admin, "recs")
    thanks = c.post(link, data={"csrf_token": token, "westrum_info_sought": "5"}, follow_redirects=True)  # type: ignore[attr-defined]
    assert f"team <strong>{html.escape(named['recs'])}</strong>" in thanks.text


def _answer_as(admin: AdminSetup, plan: list[tuple[str, int]]) -> None:
    for team, value in plan:
        link, token = _form(admin, team)
        data = {"csrf_token": token, "westrum_info_sought": str(value), "ml_data_audited": "4"}
        assert admin.client.post(link, data=data).status_code == 303  # type: ignore[attr-defined]


def _chart(page: str, chart_id: str) -> str:
    match = re.search(rf'<svg[^>]* id="{chart_id}"', page)
    assert match, f"no {chart_id}"
    start = match.start()
    return page[start : page.index("</svg>", start) + len("</svg>")]


def test_dashboard_draws_the_reports_charts_under_the_privacy_floor_without_inline_style(
    admin: AdminSetup, engine
) -> None:  # type: ignore[no-untyped-def]
    import mlorg
    from mlorg.render import html as report_html
    from mlorg.render.charts import TYPOLOGY_COLORS
    from mlorg.web import store

    c = admin.client
    # storefront and recs reach the floor (6 each), search does not (2); showing recs as well would let
    # anyone subtract the two shown teams from the total and recover search's answers, so recs is hidden too
    _answer_as(admin, [("storefront", v) for v in (5, 6, 6, 7, 4, 6)] + [("recs", v) for v in (2, 3, 2, 3, 2, 3)])
    _answer_as(admin, [("search", 7), ("search", 7)])
    page = c.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    culture = _chart(page, "chart-culture")
    assert ">Storefront<" in culture and "5.7" in culture
    for hidden in ("Site search", "Recommendations and discovery", "recs", "search"):
        assert hidden not in culture, hidden
    assert _chart(page, "chart-star").count("<svg") == 1
    # the same charts the report draws from the same answers: same title, same description, same words
    spec = mlorg.load_spec(EXAMPLE)
    responses = store.round_responses(engine, admin.round_id)
    report = report_html.render(mlorg.assess(spec, survey=responses), spec=spec)
    for chart_id in ("chart-culture", "chart-star"):
        ours, theirs = _chart(page, chart_id), _chart(report, chart_id)
        for tag in ("title", "desc"):
            pattern = rf'<{tag} id="{chart_id}-{tag}">[^<]*</{tag}>'
            assert re.search(pattern, ours).group(0) == re.search(pattern, theirs).group(0)  # type: ignore[union-attr]
        assert re.findall(r"<text[^>]*>([^<]+)</text>", ours) == re.findall(r"<text[^>]*>([^<]+)</text>", theirs)
    # no script, no style element, no style attribute: the content security policy holds as it is
    assert "<script" not in page.lower() and "<style" not in page and " style=" not in page
    csp = c.get(f"/admin/rounds/{admin.round_id}").headers["content-security-policy"]  # type: ignore[attr-defined]
    assert "style-src 'self';" in csp and "unsafe-inline" not in csp
    # every style the charts need comes from the app's own stylesheet
    assert '<link rel="stylesheet" href="/static/charts.css">' in page
    css = c.get("/static/charts.css")  # type: ignore[attr-defined]
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "#chart-culture{" in css.text and "#chart-star{" in css.text
    classes = set(re.findall(r'class="[^"]*\b(st-[0-9a-f]{10})\b', page))
    assert classes, "the bars' colours moved from style attributes to classes"
    for name in classes:
        rule = re.search(rf"#chart-culture \.{name}\{{fill: (#[0-9A-F]{{6}}) !important", css.text)
        assert rule and rule.group(1) in TYPOLOGY_COLORS.values()
    assert re.search(r"#chart-culture \.st-[0-9a-f]{10}\{fill: " + TYPOLOGY_COLORS["performance_oriented"], css.text)


def test_dashboard_shows_no_team_chart_below_the_floor(admin: AdminSetup) -> None:
    _answer_as(admin, [("storefront", 6)] * 4)  # 4 answers: under the floor of 5, nothing per team is drawn
    page = admin.client.get(f"/admin/rounds/{admin.round_id}").text  # type: ignore[attr-defined]
    assert 'id="chart-culture"' not in page and "Storefront: " not in page
    assert 'id="chart-star"' in page, "the Star Model chart shows the organization, never a team"
