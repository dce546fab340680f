"""The PDF checked as a reader would look at it: laid out by WeasyPrint, then every word located on its page
with ``pdftotext -bbox``. Nothing may run past the page's printable area, no page but the last may be left
mostly empty, and a 10,000-person organization stays within a bounded number of pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.engine import effective_settings
from mlorg.render import html
from mlorg.render.report_blocks import PRINT
from mlorg.render.report_view import column_widths, print_cell
from mlorg.synth import generate

weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint (the pdf extra) is not installed")

MM = 72 / 25.4
#: the printed page's margins (report.css: @page { margin: 16mm 14mm 18mm })
TOP, SIDE, BOTTOM = 16 * MM, 14 * MM, 18 * MM
SLACK = 1.0  # points: rounding of glyph boxes
#: a page before the last is "mostly empty" when its lowest line is above this share of the page height
MIN_FILL = 0.45

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@dataclass(frozen=True)
class Word:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def fill(self) -> float:
        """How far down the page its content reaches, as a share of the page height."""
        return max((w.y1 for w in self.words), default=0.0) / self.height


def layout(pdf: Path) -> list[Page]:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.fail("pdftotext (poppler-utils) is needed; .ci/run installs it")
    out = subprocess.run([exe, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for n, (w, h, body) in enumerate(PAGE.findall(out), start=1):
        words = tuple(Word(n, float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(body))
        pages.append(Page(n, float(w), float(h), words))
    return pages


@cache
def rendered(which: str, folder: Path) -> tuple[Path, list[Page]]:
    if which == "example":
        spec = mlorg.load_spec(EXAMPLE)
    else:
        spec = mlorg.load_spec_text(generate(int(which), seed=1), f"generated-{which}.yaml")
    assessment = mlorg.assess(spec)
    page = html.render(assessment, spec=spec, thresholds=effective_settings(spec, None).thresholds, printed=True)
    from mlorg.render.pdf import render_pdf

    out = folder / f"{which}.pdf"
    out.write_bytes(render_pdf(page))
    return out, layout(out)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-layout")


ORGS = ["example", "10000"]


@pytest.mark.parametrize("which", ORGS)
def test_every_word_lies_inside_the_printable_area(which: str, folder: Path) -> None:
    _, pages = rendered(which, folder)
    assert pages and all(p.words for p in pages[:-1])
    for p in pages:
        assert (round(p.width), round(p.height)) == (595, 842), "A4 portrait"
        outside = [
            w
            for w in p.words
            if w.x0 < SIDE - SLACK
            or w.x1 > p.width - SIDE + SLACK
            or w.y0 < TOP - SLACK
            or w.y1 > p.height - BOTTOM + SLACK
        ]
        assert not outside, f"page {p.number}: text beyond the printable area: {outside[:5]}"


@pytest.mark.parametrize("which", ORGS)
def test_no_page_but_the_last_is_left_mostly_empty(which: str, folder: Path) -> None:
    _, pages = rendered(which, folder)
    sparse = [(p.number, round(p.fill, 2)) for p in pages[:-1] if p.fill < MIN_FILL]
    assert not sparse, f"pages left mostly empty (page, share filled): {sparse}"


def test_a_10000_person_organization_fits_a_bounded_report(folder: Path) -> None:
    pdf, pages = rendered("10000", folder)
    example_pages = len(rendered("example", folder)[1])
    assert len(pages) <= 60, f"{len(pages)} pages"
    assert len(pages) <= 3 * example_pages
    text = " ".join(w.text for p in pages for w in p.words)
    # what was cut says so, and where the rest is
    assert "more rows not shown" in text or "more not shown" in text
    assert "Appendix: findings by subject" in text
    assert pdf.stat().st_size < 1_000_000


def test_table_rows_and_cells_are_bounded_for_print(folder: Path) -> None:
    assert print_cell(", ".join(f"model-{i}" for i in range(40))) == (
        "model-0, model-1, model-2, model-3, model-4, model-5 and 34 more"
    )
    assert print_cell("a, b, c, d, e, f, g and 454 more") == "a, b, c, d, e, f and 455 more"
    sentence = "This is prose, with commas, that is not a list, and stays whole, as written, here, there."
    assert print_cell(sentence) == sentence
    assert len(print_cell("x" * 1000)) <= 240
    widths = column_widths(("Model", "In production", "Why"), [("fraud-score", "no", "a long reason " * 5)])
    assert sum(widths) == 100 and widths[1] < widths[2]
    assert PRINT.rows <= 25
