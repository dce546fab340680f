"""The PDF report (WeasyPrint): every section heading is in its text; a clear message without WeasyPrint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE
from mlorg.render.report_view import build_report
from mlorg.settings import Thresholds


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; apt-get install -y poppler-utils")
    return subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_pdf_holds_every_section_heading(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("weasyprint", reason="WeasyPrint (the pdf extra) is not installed")
    out = tmp_path / "report.pdf"
    res = run_cli("report", str(EXAMPLE), "-o", str(out))
    assert res.code == 0, res.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    text = pdf_text(out)
    spec = mlorg.load_spec(EXAMPLE)
    report = build_report(mlorg.assess(spec), spec, Thresholds())
    headings = ["Executive summary", *(s.title for s in report.sections), "About this report"]
    assert len(headings) >= 12
    for heading in headings:
        assert heading in text, f"{heading!r} missing from the PDF"
    assert "YarnIt" in text


def test_pdf_without_weasyprint_exits_2_naming_the_extra(run_cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    out = tmp_path / "report.pdf"
    res = run_cli("report", str(EXAMPLE), "-o", str(out))
    assert res.code == 2
    assert "pip install 'mlorg[pdf]'" in res.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_report_format_comes_from_the_extension(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "report.txt"))
    assert res.code == 2 and "use a .html or .pdf file name" in res.stderr


def test_report_defaults_to_report_html(run_cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MLORG_DATABASE_URL", f"sqlite:///{tmp_path / 'untouched.db'}")
    res = run_cli("report", str(EXAMPLE))
    assert res.code == 0
    assert (tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "untouched.db").exists()  # no --history: the report never opens the database
