"""The YarnIt report in a real browser: no network request, no console error, readable on a phone.

Uses Debian's Chromium at /usr/bin/chromium driven by Playwright (never `playwright install`).
Screenshots go to test-artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import ARGS, ARTIFACTS, CHROMIUM, requires_chromium
from conftest import ROOT

pytestmark = requires_chromium


def render_report(run_cli, tmp_path: Path, *extra: str) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "yarnit.html"
    res = run_cli("report", *extra, "-o", str(out))
    assert res.code == 0, res.stderr
    return out


def open_in_chromium(path: Path, shot: str) -> dict[str, object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the test extra) is not installed")
    requests: list[str] = []
    blocked: list[str] = []
    errors: list[str] = []
    url = path.resolve().as_uri()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def guard(route) -> None:  # type: ignore[no-untyped-def]
                target = route.request.url
                if target.startswith(("file:", "data:")):
                    route.continue_()
                else:
                    blocked.append(target)
                    route.abort()

            page.route("**/*", guard)
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_load_state("load")
            headings = page.locator("h2").all_inner_texts()
            charts = page.locator("svg[role=img]").count()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{shot}.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 844})
            phone_overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.screenshot(path=str(ARTIFACTS / f"{shot}-phone.png"), full_page=False)
        finally:
            browser.close()
    return {
        "url": url,
        "requests": requests,
        "blocked": blocked,
        "errors": errors,
        "headings": headings,
        "charts": charts,
        "phone_overflow": phone_overflow,
    }


def test_yarnit_report_in_headless_chromium(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seen = open_in_chromium(render_report(run_cli, tmp_path), "yarnit-report")
    assert seen["requests"] == [seen["url"]], "the report fetched something besides itself"
    assert seen["blocked"] == []
    assert seen["errors"] == []
    headings = seen["headings"]
    assert isinstance(headings, list)
    for title in ("Executive summary", "Maturity stage", "Structure", "Star Model alignment", "Open questions"):
        assert title in headings
    assert seen["charts"] >= 4  # ladder, team map, radar, matrix; more as the analyses fill in
    assert seen["phone_overflow"] == 0, "the page scrolls sideways on a phone"
    assert (ROOT / "test-artifacts" / "yarnit-report.png").stat().st_size > 10_000


def test_report_with_every_section_filled_in_chromium(tmp_path: Path) -> None:
    import mlorg
    from mlorg.render import html
    from report_fixtures import rich_assessment, with_team_culture

    spec = mlorg.load_spec(ROOT / "examples" / "yarnit.yaml", "examples/yarnit.yaml")
    page = tmp_path / "rich.html"
    spec = with_team_culture(spec)
    page.write_text(html.render(rich_assessment(mlorg.assess(spec)), spec=spec), encoding="utf-8")
    seen = open_in_chromium(page, "yarnit-report-all-sections")
    assert seen["requests"] == [seen["url"]] and seen["errors"] == []
    assert seen["charts"] == 7
    assert seen["phone_overflow"] == 0
