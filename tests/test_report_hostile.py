"""Hostile names (markup, quotes, ampersands, control characters) come out escaped in every output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import mlorg
from mlorg.results import Evidence, Finding
from test_report_html import parse

SPEC = """
version: 1
organization: {name: "Evil <script>alert(\\"org\\")</script> & Co\\x07"}
teams:
  - {id: evil, name: "<script>alert('team')</script> R&D \\"q\\" \\e[31m", kind: ml}
  - {id: shop, name: "Shop & <b>bold</b>", kind: product, headcount: 9}
people:
  - {id: p1, name: "<img src=x onerror=alert(1)> Bob & \\"Al\\"\\x07", team: evil, roles: [ml_engineer]}
initiatives:
  - {id: i1, title: "<script>steal()</script> & \\"t\\"\\x0b", team: evil, value: 3, cost: 2}
"""
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@pytest.fixture(scope="module")
def hostile() -> tuple[mlorg.Organization, mlorg.Assessment]:
    spec = mlorg.load_spec_text(SPEC, "hostile.yaml")
    a = mlorg.assess(spec)
    team, person, title = spec.teams[0].name, spec.people[0].name, spec.initiatives[0].title
    # Rules quote names in their messages and evidence; make sure some do.
    quoted = (
        Finding(
            rule="isolated-ml-hire",
            severity="high",
            subject="team:evil",
            message=f"Team {team} has one ML person, {person}.",
            evidence=(Evidence(path="teams[0].name", value=team, note=f"led by {person}"),),
            remedy=f"Pair {person} with peers.",
            source="hasty-structures",
        ),
        Finding(
            rule="first-project-too-critical",
            severity="medium",
            subject="initiative:i1",
            message=f"{title} changes a critical surface.",
            remedy="Pick something additive.",
            source="georgian-maturity",
        ),
    )
    portfolio = a.portfolio.model_copy(update={"first_project": "i1"})
    return spec, a.model_copy(update={"findings": quoted, "portfolio": portfolio})


def assert_clean(text: str) -> None:
    assert not CONTROL.search(text), "a raw control character got through"
    assert "\\x07" in text or "\\x0b" in text or "\\x1b" in text  # made visible instead


def test_html_escapes_hostile_names(hostile) -> None:  # type: ignore[no-untyped-def]
    from mlorg.render import html

    spec, a = hostile
    page = html.render(a, spec=spec)
    assert_clean(page)
    tags = parse(page)
    assert [t for t, _ in tags.tags if t in ("script", "img", "b")] == []
    assert not any(k.startswith("on") for _, attrs in tags.tags for k in attrs)
    text = "".join(tags.text)
    # the names are shown, as text, in the summary, findings, team map and matrix
    assert "<script>alert('team')</script> R&D \"q\" \\x1b[31m" in text
    assert '<img src=x onerror=alert(1)> Bob & "Al"\\x07' in text
    assert '<script>steal()</script> & "t"\\x0b' in text
    assert "&lt;script&gt;alert(" in page and "R&amp;D" in page and "Shop &amp; &lt;b&gt;bold" in page
    assert page.count('id="chart-team-map"') == 1 and page.count('id="chart-portfolio"') == 1


def test_markdown_escapes_hostile_names(hostile) -> None:  # type: ignore[no-untyped-def]
    _, a = hostile
    out = mlorg.render(a, "markdown")
    assert_clean(out)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&amp;" in out


def test_sarif_keeps_hostile_names_as_inert_text(hostile) -> None:  # type: ignore[no-untyped-def]
    _, a = hostile
    out = mlorg.render(a, "sarif")
    assert_clean(out)
    log = json.loads(out)
    messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any("<script>alert('team')</script> R&D" in m and "\\x1b[31m" in m for m in messages)


def test_pdf_shows_hostile_names_as_text(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint", reason="WeasyPrint (the pdf extra) is not installed")
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from mlorg.render import html
    from mlorg.render.pdf import render_pdf

    spec, a = hostile
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render_pdf(html.render(a, spec=spec)))
    text = subprocess.run([exe, str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert not CONTROL.search(text.replace("\x0c", ""))  # form feeds separate pages
    flat = " ".join(text.split())
    assert "<script>alert('team')</script> R&D \"q\" \\x1b[31m" in flat
    assert '<img src=x onerror=alert(1)> Bob & "Al"\\x07' in flat
