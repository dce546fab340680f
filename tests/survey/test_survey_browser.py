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
            link = admin.locator('tr:has(td[data-team="recs"])').locator("a.share").get_attribute("href")
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


#: Words the browser laid out across two lines although they fit on one, and elements whose content is
#: wider than their box, among the elements matching a selector.
LAYOUT_FAULTS = """selector => {
  const split = [], overflow = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1) overflow.push(el.textContent.slice(0, 60));
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        for (const r of rects) if (r.right > box.right + 1) overflow.push(m[0]);
        const lines = new Set(rects.map(r => Math.round(r.top)));
        const width = rects.reduce((sum, r) => sum + r.width, 0);
        if (lines.size > 1 && width < box.width) split.push(m[0]);
      }
    }
  }
  return {split, overflow};
}"""

LONG_ID = "a_team_id_far_too_long_to_fit_on_one_line_of_a_phone_screen_" + "x" * 40
BAD_SPEC = (
    "version: 1\norganization: {name: Acme}\nteams:\n"
    "  - {id: recs, kind: machine_learning_platform_and_infrastructure, headcount: 8}\n"
    f"  - {{id: search, kind: ml, parent: {LONG_ID}, headcount: 5}}\n"
)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_problems_wrap_between_words_and_closing_asks_first_in_chromium(engine) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(make_app(engine)) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            phone = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
            phone.goto(f"{server.url}/admin")
            phone.get_by_label("Admin password").fill(PASSWORD)
            phone.get_by_role("button", name="Sign in").click()
            phone.get_by_label("Organization spec (YAML): paste it…").fill(BAD_SPEC)
            phone.get_by_role("button", name="Create round and team links").click()
            expect(phone.get_by_text("The spec could not be used")).to_be_visible()
            problems = phone.locator(".error li")
            assert problems.count() >= 2
            long_one = phone.locator(".error li", has_text=LONG_ID[:50])  # messages shorten very long ids
            expect(long_one).to_have_count(1)
            phone.screenshot(path=str(ARTIFACTS / "survey-problems-phone.png"), full_page=True)
            faults = phone.evaluate(LAYOUT_FAULTS, ".error li")
            assert faults == {"split": [], "overflow": []}, faults
            # the long id is wider than the phone: it must wrap (inside itself), not run off the screen
            height = long_one.evaluate("e => e.getBoundingClientRect().height")
            line = long_one.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
            assert height > 2 * line

            # closing asks first, and a closed round can be reopened, all without script
            phone.get_by_label("Organization spec (YAML): paste it…").fill(EXAMPLE.read_text())
            phone.get_by_label("How many people each team link is for").fill("recs: 8")
            phone.get_by_role("button", name="Create round and team links").click()
            expect(phone.locator("#status")).to_have_text("open")
            phone.get_by_role("button", name="Close this round…").click()
            expect(phone.get_by_role("heading", name=re.compile("^Close "))).to_be_visible()
            phone.get_by_role("link", name="No, keep it open").click()
            expect(phone.locator("#status")).to_have_text("open")
            phone.get_by_role("button", name="Close this round…").click()
            phone.get_by_role("button", name="Yes, close this round").click()
            expect(phone.locator("#status")).to_have_text("closed")
            phone.get_by_role("button", name="Reopen this round").click()
            expect(phone.locator("#status")).to_have_text("open")
            phone.screenshot(path=str(ARTIFACTS / "survey-reopened-phone.png"), full_page=True)
        finally:
            browser.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dashboard_charts_are_styled_under_the_csp_in_chromium(admin, engine) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    from .survey_helpers import csrf_of, forget_answers

    c = admin.client
    for team, value in [("storefront", 6)] * 6 + [("recs", 2)] * 6:  # both over the floor: both drawn
        forget_answers(c)
        token = csrf_of(c.get(admin.links[team]).text)
        sent = c.post(admin.links[team], data={"csrf_token": token, "westrum_info_sought": str(value)})
        assert sent.status_code == 303
    ARTIFACTS.mkdir(exist_ok=True)
    with LiveServer(c.app) as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for name, viewport, mobile in (("desktop", (1100, 900), False), ("phone", (390, 844), True)):
                page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, is_mobile=mobile)
                console: list[str] = []
                page.on("console", lambda m, seen=console: seen.append(f"{m.type}: {m.text}"))
                page.goto(f"{server.url}/admin")
                page.get_by_label("Admin password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.goto(f"{server.url}/admin/rounds/{admin.round_id}")
                culture, star = page.locator("svg#chart-culture"), page.locator("svg#chart-star")
                expect(culture).to_be_visible()
                expect(star).to_be_visible()
                page.screenshot(path=str(ARTIFACTS / f"survey-dashboard-charts-{name}.png"), full_page=True)
                # the bars take their band's colour and the charts their font from /static/charts.css
                fills = culture.locator("[class*='st-'] rect").evaluate_all(
                    "els => els.map(e => getComputedStyle(e).fill)"
                )
                assert sorted(fills) == ["rgb(0, 158, 115)", "rgb(213, 94, 0)"], fills  # green 6, red 2
                assert star.evaluate("e => getComputedStyle(e).fontFamily").startswith("system-ui")
                # nothing was refused by the content security policy, and nothing runs off a phone's screen
                assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
                width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
                assert width[0] <= width[1], width
                box = culture.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport[0]
                page.close()
        finally:
            browser.close()
