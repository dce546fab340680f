"""Every error line is one inert line, and a database URL is checked before any driver sees it.

Issue 13, item 8: a newline in a spec's file name was copied raw into error lines, so a crafted
name could forge a log line (a CI ``::error::`` annotation); a non-numeric port in a database URL
ended in an internal error.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, CliResult
from mlorg.errors import Problem

Runner = Callable[..., CliResult]
FORGED = "spec\n::error file=app.py,line=1::forged\r.yaml"


def no_forged_line(text: str) -> None:
    assert not any(line.startswith("::error") for line in text.splitlines()), text
    assert "\r" not in text


def test_a_newline_in_the_spec_file_name_is_escaped(run_cli: Runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path(FORGED).write_text("version: 2\norganization: {name: X, headcount: lots}\n")
    res = run_cli("lint", FORGED)
    assert res.code == 2
    no_forged_line(res.stderr)
    assert res.stderr.splitlines() == [
        "spec\\n::error file=app.py,line=1::forged\\r.yaml:2: organization.headcount: "
        "expected a whole number, got 'lots'",
        "mlorg: 1 problem found; nothing was written",
    ]


def test_a_newline_in_the_file_name_of_a_lint_finding_is_escaped(run_cli: Runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    shutil.copy(EXAMPLE, FORGED)
    res = run_cli("lint", FORGED, "--fail-on", "critical")
    assert res.code == 1 and res.stdout.count("\n") > 1
    no_forged_line(res.stdout)
    assert res.stdout.startswith("spec\\n::error file=app.py,line=1::forged\\r.yaml:")


def test_a_newline_in_a_path_the_spec_names_is_escaped(run_cli: Runner, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("spec.yaml").write_text(
        "version: 2\norganization: {name: X}\nteams: [{id: t, kind: ml}]\n"
        'culture: {survey: "a\\n::error::forged.csv"}\n'
    )
    res = run_cli("lint", "spec.yaml")
    assert res.code == 2
    no_forged_line(res.stderr)
    assert res.stderr.splitlines()[0] == "a\\n::error::forged.csv: no such file"


def test_a_problem_is_one_line_whatever_it_holds() -> None:
    problem = Problem("a\nb\x1b[2J\u202e.yaml", 3, "x\ny", "bad\rvalue\x85")
    assert str(problem) == "a\\nb\\x1b[2J\\u202e.yaml:3: x\\ny: bad\\rvalue\\x85"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "postgresql://me:secret@localhost:abc/db",
            "mlorg: database URL 'postgresql://***@localhost:abc/db': port 'abc' is not a number; "
            "give a port from 1 to 65535",
        ),
        (
            "postgresql://me:secret@localhost:70000/db",
            "mlorg: database URL 'postgresql://***@localhost:70000/db': port 70000 is not from 1 to 65535",
        ),
        (
            "not a url",
            "mlorg: database URL 'not a url' is not a URL such as sqlite:///path/to/file or "
            "postgresql://user@host/name",
        ),
    ],
)
@pytest.mark.parametrize("command", [["snapshot"], ["history"], ["serve"], ["report", "--history"]])
def test_a_bad_database_url_is_a_clear_refusal(
    run_cli: Runner, tmp_path: Path, url: str, message: str, command: list[str]
) -> None:
    extra = ["-o", str(tmp_path / "r.html")] if command[0] == "report" else []
    res = run_cli(*command, *extra, "--database-url", url)
    assert res.code == 2, res.stderr
    assert res.stderr.splitlines()[-1] == message
    assert "secret" not in res.stderr and "Traceback" not in res.stderr
