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
            admin.get_by_role("button", name="Create round and team links").click()
            expect(admin.get_by_role("heading", name="Spring culture survey")).to_be_visible()
            expect(admin.locator('td[data-team="recs"]')).to_have_text("0")
            shot(admin, "dashboard-before")
            link = admin.locator('tr:has(td[data-team="recs"])').locator("a.share").get_attribute("href")
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

            admin.reload()
            expect(admin.locator('td[data-team="recs"]')).to_have_text("1")
            expect(admin.locator("#total")).to_have_text("1")
            # the report's Star Model chart, styled by the round's chart stylesheet (the CSP allows no inline style)
            radar = admin.locator("svg#chart-star")
            expect(radar).to_be_visible()
            assert radar.evaluate("e => getComputedStyle(e).fontFamily").startswith("system-ui")
            shot(admin, "dashboard-after")

            # a spec with problems, on a phone: each problem wraps between words, never inside one
            narrow = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            narrow.context.add_cookies(admin.context.cookies())
            narrow.goto(f"{server.url}/admin")
            bad = "version: 2\norganization:\n  name: Acme\n  headcount: many\nteams:\n  - {id: recs, kind: mll}\n"
            narrow.get_by_label("Organization spec (YAML): paste it…").fill(bad)
            narrow.get_by_role("button", name="Create round and team links").click()
            expect(narrow.get_by_text("The spec could not be used")).to_be_visible()
            split = narrow.evaluate(SPLIT_WORDS, ".error li")
            assert split == [], f"words broken across lines: {split}"
            assert narrow.locator(".error li").count() >= 2
        finally:
            browser.close()
    assert answer_count(engine) == 1
    assert all(p.stat().st_size > 1000 for p in shots) and len(shots) == 6


#: the words (shorter than their box) that the browser laid out across two lines, in elements matching a selector
SPLIT_WORDS = """selector => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const width = el.getBoundingClientRect().width;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tops = new Set(rects.map(r => Math.round(r.top)));
        const w = rects.reduce((a, r) => a + r.width, 0);
        if (tops.size > 1 && w < width) out.push(m[0]);
      }
    }
  }
  return out;
}"""
