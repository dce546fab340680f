"""Form parsing, in one place: malformed answers are 400 with a plain message, never a 500.

Each case here was found by an outside audit (issue 13, item 6 and the NUL-byte item of 8).
"""

from __future__ import annotations

import pytest

from .survey_helpers import AdminSetup, answer_count, csrf_of, forget_answers


def _form(admin: AdminSetup, team: str = "recs") -> tuple[str, str]:
    link = admin.links[team]
    forget_answers(admin.client)
    page = admin.client.get(link)  # type: ignore[attr-defined]
    assert page.status_code == 200
    return link, csrf_of(page.text)


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("\u00b2", "superscript two"),
        ("5" * 5000, "5,000 digits (past Python's int-parsing limit)"),
        ("\u0663", "Arabic-Indic three"),
        ("\uff13", "full-width three"),
        ("\u09e9", "Bengali three"),
        (" 3", "leading space"),
        ("3\n", "trailing newline"),
        ("+3", "plus sign"),
        ("03", "leading zero"),
        ("3.5", "a fraction"),
        ("-1", "a negative number"),
        ("3\x00", "a NUL byte"),
    ],
)
def test_a_malformed_answer_value_is_400_and_stores_nothing(admin: AdminSetup, engine, value: str, why: str) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    res = admin.client.post(link, data={"csrf_token": token, "westrum_info_sought": value})  # type: ignore[attr-defined]
    assert res.status_code == 400, why
    assert "westrum_info_sought" in res.text and ("digits 0-9" in res.text or "NUL character" in res.text), res.text
    assert "Traceback" not in res.text
    assert answer_count(engine) == 0


def test_a_repeated_answer_field_is_refused(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    body = f"csrf_token={token}&westrum_info_sought=2&westrum_info_sought=7"
    res = admin.client.post(  # type: ignore[attr-defined]
        link, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert res.status_code == 400
    assert "westrum_info_sought" in res.text and "more than once" in res.text
    assert answer_count(engine) == 0


@pytest.mark.parametrize("name", ["role", "csrf_token"])
def test_any_repeated_field_is_refused(admin: AdminSetup, engine, name: str) -> None:  # type: ignore[no-untyped-def]
    link, token = _form(admin)
    extra = f"&{name}=" + (token if name == "csrf_token" else "ml_engineer")
    body = f"csrf_token={token}&role=ml_engineer&westrum_info_sought=2{extra}"
    res = admin.client.post(  # type: ignore[attr-defined]
        link, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert res.status_code == 400 and name in res.text and "more than once" in res.text
    assert answer_count(engine) == 0


def test_a_repeated_admin_field_is_refused_but_instruments_may_repeat(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    token = csrf_of(c.get("/admin").text)  # type: ignore[attr-defined]
    res = c.post("/admin/rounds", data={"csrf_token": token, "title": ["a", "b"], "spec_text": "x"})  # type: ignore[attr-defined]
    assert res.status_code == 400 and "title" in res.text and "more than once" in res.text
    page = c.get("/admin/login")  # type: ignore[attr-defined]
    assert page.status_code == 303  # signed in already
    from fastapi.testclient import TestClient

    fresh = TestClient(c.app, follow_redirects=False)  # type: ignore[attr-defined]
    login = fresh.get("/admin/login")
    res = fresh.post("/admin/login", data={"csrf_token": csrf_of(login.text), "password": ["x" * 12, "y" * 12]})
    assert res.status_code == 400 and "password" in res.text


def test_a_nul_byte_in_a_text_field_is_400(admin: AdminSetup, engine) -> None:  # type: ignore[no-untyped-def]
    c = admin.client
    token = csrf_of(c.get("/admin").text)  # type: ignore[attr-defined]
    res = c.post("/admin/rounds", data={"csrf_token": token, "title": "a\x00b", "spec_text": "x"})  # type: ignore[attr-defined]
    assert res.status_code == 400 and "title" in res.text and "NUL" in res.text


@pytest.mark.parametrize("suffix", ["%00", "abc%00def", "%00" * 40, "%C2%B2", "..%2F..", "a" * 65])
def test_a_hostile_link_token_is_404_on_every_database(admin: AdminSetup, engine, suffix: str) -> None:  # type: ignore[no-untyped-def]
    _link, token = _form(admin)
    c = admin.client
    for path in (f"/s/{suffix}", f"/s/{suffix}/thanks"):
        assert c.get(path).status_code == 404, path  # type: ignore[attr-defined]
    res = c.post(f"/s/{suffix}", data={"csrf_token": token, "westrum_info_sought": "5"})  # type: ignore[attr-defined]
    assert res.status_code == 404
    assert answer_count(engine) == 0


@pytest.mark.parametrize("round_id", ["%00", "x%00y", "0" * 300])
def test_a_hostile_round_id_is_404_on_every_database(admin: AdminSetup, round_id: str) -> None:
    c = admin.client
    for path in (f"/admin/rounds/{round_id}", f"/admin/rounds/{round_id}/answers.csv"):
        assert c.get(path).status_code == 404, path  # type: ignore[attr-defined]
    token = csrf_of(c.get("/admin").text)  # type: ignore[attr-defined]
    assert c.get(f"/admin/rounds/{round_id}/close").status_code == 404  # type: ignore[attr-defined]
    for action in ("close", "reopen"):
        data = {"csrf_token": token, "confirm": "yes"}
        assert c.post(f"/admin/rounds/{round_id}/{action}", data=data).status_code == 404, action  # type: ignore[attr-defined]


def test_a_hostile_session_cookie_is_just_signed_out(admin: AdminSetup) -> None:
    from fastapi.testclient import TestClient

    fresh = TestClient(admin.client.app, follow_redirects=False, cookies={"mlorg_session": "a\x00b"})  # type: ignore[attr-defined]
    assert fresh.get("/admin").headers["location"] == "/admin/login"
