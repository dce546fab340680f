"""Real Chromium drives the app end to end: sign in, create a round, answer from a phone, see the count.

Uses Playwright for Python with Debian's chromium (never ``playwright install``); screenshots of
every page land in ``test-artifacts/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser_support import ARGS, ARTIFACTS, CHROMIUM, requires_chromium

from .survey_helpers import EXAMPLE, PASSWORD, LiveServer, answer_count, make_app

pytestmark = requires_chromium


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_admin_creates_round_and_respondent_answers_in_chromium(engine) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    shots: list[Path] = []

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        path = ARTIFACTS / f"survey-{len(shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    with LiveServer(make_app(engine)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            admin = browser.new_page(viewport={"width": 1100, "height": 900})
            admin.goto(f"{server.url}/admin")
            expect(admin.get_by_role("heading", name="Sign in")).to_be_visible()
            shot(admin, "sign-in")
            admin.get_by_label("Admin password").fill(PASSWORD)
            admin.get_by_role("button", name="Sign in").click()
            expect(admin.get_by_role("heading", name="Survey rounds")).to_be_visible()
            shot(admin, "rounds")

            admin.get_by_label("Title").fill("Spring culture survey")
            admin.get_by_label("Organization spec (YAML): paste it…").fill(EXAMPLE.read_text())
            admin.get_by_label("How many people each team link is for").fill("recs: 8")
            admin.get_by_role("button", name="Create round and team links").click()
            expect(admin.get_by_role("heading", name="Spring culture survey")).to_be_visible()
            expect(admin.locator('td[data-team="recs"]')).to_have_text("0")
            shot(admin, "dashboard-before")
            expect(admin.locator("#copy-now")).to_be_visible()
            link = admin.locator("tr", has_text="recs").locator("a.share").get_attribute("href")
            close_action = admin.locator("form[action$='/close']").get_attribute("action")
            assert close_action
            assert link and re.fullmatch(r"/s/[A-Za-z0-9_-]{43}", link)

            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(server.url + link)
            expect(phone.get_by_text("This survey is anonymous")).to_be_visible()
            shot(phone, "respondent-form")
            phone.get_by_label("Your role (optional)").select_option("ml_engineer")
            for item, value in [("westrum_info_sought", "6"), ("westrum_new_ideas", "5"), ("ml_data_audited", "2")]:
                phone.locator(f'input[name="{item}"][value="{value}"]').check(force=True)
            phone.get_by_role("button", name="Send my answers").click()
            expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
            shot(phone, "respondent-thanks")
            phone.go_back()
            phone.reload()
            expect(phone.get_by_role("heading", name="Already answered")).to_be_visible()

            admin.goto(server.url + close_action.removesuffix("/close"))  # the dashboard (no resubmission)
            expect(admin.locator('td[data-team="recs"]')).to_have_text("1")
            expect(admin.locator("#total")).to_have_text("1")
            shot(admin, "dashboard-after")
        finally:
            browser.close()
    assert answer_count(engine) == 1
    assert all(p.stat().st_size > 1000 for p in shots) and len(shots) == 6
