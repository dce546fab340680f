"""Paths a spec names are read only from the spec's own folder, bounded, and never echoed when refused.

Issue 13, items 1 and 2: ``culture.survey: ../../etc/passwd`` used to print that file's first line;
``/dev/zero`` exhausted memory and a FIFO blocked forever. Each case runs the real CLI in-process
on real files, FIFOs, devices and symbolic links in a temporary folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import CliResult
from mlorg import assess, load_spec, load_spec_text
from mlorg.errors import SpecError
from mlorg.files import NamedAt, read_bounded, read_spec_path

Runner = Callable[..., CliResult]
SPEC = """\
version: 2
organization: {{name: Acme}}
teams:
  - {{id: leadership, kind: leadership}}
  - {{id: recs, kind: ml, parent: leadership}}
culture:
  survey: {path}
"""
ANSWERS = "team,westrum_info_sought\nrecs,6\nrecs,5\n"
SECRET = "root:x:0:0:root:/root:/bin/bash\nAWS_SECRET=hunter2\n"
OUTSIDE = "leads outside the spec's folder; a spec may name only files in its own folder"
ALLOW = "(pass --allow-outside DIR to allow another folder)"


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """``tmp_path/org/`` holds the spec; ``tmp_path/outside/`` holds a secret and a survey."""
    (tmp_path / "org").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "passwd").write_text(SECRET)
    (tmp_path / "outside" / "answers.csv").write_text(ANSWERS)
    return tmp_path / "org"


def write_spec(org: Path, path: str) -> Path:
    spec = org / "spec.yaml"
    spec.write_text(SPEC.format(path=path), encoding="utf-8")
    return spec


def lint(run_cli: Runner, org: Path, path: str, *options: str) -> CliResult:
    spec = write_spec(org, path)
    return run_cli("lint", str(spec), "--fail-on", "critical", *options)


def refused(res: CliResult) -> str:
    assert res.code == 2, res.stderr
    assert "Traceback" not in res.stderr and "root:x" not in res.stderr and "hunter2" not in res.stderr
    assert res.stdout == ""
    return res.stderr.splitlines()[0]


def test_a_relative_path_inside_the_folder_is_read(run_cli: Runner, org: Path) -> None:
    (org / "answers").mkdir()
    (org / "answers" / "staff.csv").write_text(ANSWERS)
    res = lint(run_cli, org, "answers/staff.csv")
    assert res.code == 0, res.stderr


@pytest.mark.parametrize(
    "path", ["../outside/passwd", "../../../../../../../../etc/passwd", "answers/../../outside/passwd"]
)
def test_dot_dot_out_of_the_folder_is_refused_without_reading(run_cli: Runner, org: Path, path: str) -> None:
    (org / "answers").mkdir()
    line = refused(lint(run_cli, org, path))
    assert line == f"{org}/spec.yaml:7: culture.survey: path '{path}' {OUTSIDE} {ALLOW}"


def test_an_absolute_path_is_refused(run_cli: Runner, org: Path) -> None:
    target = org.parent / "outside" / "passwd"
    line = refused(lint(run_cli, org, str(target)))
    assert line.startswith(f"{org}/spec.yaml:7: culture.survey: path '")
    assert line.endswith(f"is absolute; a spec may name only files in its own folder {ALLOW}")


def test_a_symbolic_link_out_of_the_folder_is_refused(run_cli: Runner, org: Path) -> None:
    (org / "answers.csv").symlink_to(org.parent / "outside" / "passwd")
    line = refused(lint(run_cli, org, "answers.csv"))
    assert line == f"{org}/spec.yaml:7: culture.survey: path 'answers.csv' {OUTSIDE} {ALLOW}"


def test_a_symbolic_link_inside_the_folder_is_followed(run_cli: Runner, org: Path) -> None:
    (org / "real.csv").write_text(ANSWERS)
    (org / "answers.csv").symlink_to("real.csv")
    assert lint(run_cli, org, "answers.csv").code == 0


def test_allow_outside_opens_one_folder_and_no_other(run_cli: Runner, org: Path) -> None:
    outside = org.parent / "outside"
    assert lint(run_cli, org, "../outside/answers.csv", "--allow-outside", str(outside)).code == 0
    assert lint(run_cli, org, str(outside / "answers.csv"), "--allow-outside", str(outside)).code == 0
    (org.parent / "other").mkdir()
    res = lint(run_cli, org, "../outside/answers.csv", "--allow-outside", str(org.parent / "other"))
    assert refused(res).endswith(f"{OUTSIDE} {ALLOW}")


@pytest.mark.parametrize("command", ["assess", "lint", "report", "snapshot"])
def test_every_command_that_reads_a_spec_takes_allow_outside(
    run_cli: Runner, org: Path, tmp_path: Path, command: str
) -> None:
    spec = write_spec(org, "../outside/answers.csv")
    extra = {
        "report": ["-o", str(tmp_path / "r.html")],
        "snapshot": ["--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}"],
    }.get(command, [])
    res = run_cli(command, str(spec), *extra)
    assert refused(res).endswith(f"{OUTSIDE} {ALLOW}")
    res = run_cli(command, str(spec), *extra, "--allow-outside", str(tmp_path / "outside"))
    assert res.code in (0, 1), res.stderr


def test_a_file_in_the_folder_that_is_no_survey_is_not_echoed(run_cli: Runner, org: Path) -> None:
    (org / ".env").write_text(SECRET)
    line = refused(lint(run_cli, org, ".env"))
    assert line == (
        f"{org}/.env:1:1: does not look like a survey CSV: the first line names no team, role or item column"
    )


def test_a_fifo_named_by_a_spec_is_refused_without_blocking(run_cli: Runner, org: Path) -> None:
    os.mkfifo(org / "answers.csv")  # no writer: opening it for a blocking read would wait forever
    line = refused(lint(run_cli, org, "answers.csv"))
    assert line == f"{org}/answers.csv: is not a regular file (a device, pipe or socket); not read as a CSV file"


def test_a_device_named_by_a_spec_is_refused_even_when_allowed(run_cli: Runner, org: Path) -> None:
    line = refused(lint(run_cli, org, "/dev/zero", "--allow-outside", "/dev"))
    assert line == "/dev/zero: is not a regular file (a device, pipe or socket); not read as a CSV file"


def test_a_directory_named_by_a_spec_is_refused(run_cli: Runner, org: Path) -> None:
    (org / "answers").mkdir()
    assert refused(lint(run_cli, org, "answers")) == f"{org}/answers: is a directory, not a CSV file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_survey_option_on_an_endless_device_stops_at_the_limit(tmp_path: Path, device: str) -> None:
    """``--survey /dev/zero`` used to read until memory ran out (exit 3); now it stops past the limit."""
    env = {**os.environ, "MLORG_MAX_SURVEY_BYTES": "1000000"}
    res = subprocess.run(
        [sys.executable, "-m", "mlorg", "assess", "--survey", device, "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert res.returncode == 2, res.stderr
    assert res.stderr.splitlines()[-2] == (
        f"{device}: input is over the 1,000,000-byte limit (set MLORG_MAX_SURVEY_BYTES to raise it)"
    )


def test_survey_option_reads_a_pipe(run_cli: Runner, tmp_path: Path) -> None:
    """A file the user names on the command line may be a pipe (``--survey <(...)``)."""
    r, w = os.pipe()
    os.write(w, b"team,westrum_info_sought\nrecs,6\n")
    os.close(w)
    try:
        res = run_cli("assess", "--survey", f"/dev/fd/{r}", "-f", "json")
    finally:
        os.close(r)
    assert res.code == 0, res.stderr


def test_library_load_spec_takes_allow_outside(org: Path) -> None:
    spec = write_spec(org, "../outside/answers.csv")
    with pytest.raises(SpecError, match="leads outside the spec's folder"):
        assess(load_spec(spec))
    result = assess(load_spec(spec, allow_outside=[org.parent / "outside"]))
    assert result.culture is not None


def test_a_spec_given_as_text_reads_no_file(org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a folder there is nothing to confine to: the path is refused, not read from the working directory."""
    (org / "answers.csv").write_text(ANSWERS)
    monkeypatch.chdir(org)
    spec = load_spec_text(SPEC.format(path="answers.csv"), "pasted")
    with pytest.raises(SpecError) as err:
        assess(spec)
    assert str(err.value) == (
        "pasted:7: culture.survey: path 'answers.csv' cannot be read: this spec was given as text, "
        "not as a file, so it has no folder to read from"
    )


def test_read_spec_path_is_the_public_reader(org: Path) -> None:
    """The reader other spec sections (fragment imports) reuse: relative to the folder, labelled."""
    (org / "part.yaml").write_text("teams: []\n")
    at = NamedAt("org/spec.yaml", 3, "imports[0]")
    raw, label = read_spec_path("part.yaml", org, at, max_bytes=100)
    assert (raw, label) == (b"teams: []\n", "org/part.yaml")
    with pytest.raises(SpecError) as err:
        read_spec_path("../outside/passwd", org, at, max_bytes=100)
    assert str(err.value).startswith("org/spec.yaml:3: imports[0]: path '../outside/passwd' leads outside")
    with pytest.raises(SpecError, match="over the 5-byte limit"):
        read_spec_path("part.yaml", org, at, max_bytes=5)


def test_read_bounded_counts_bytes_read_not_the_reported_size() -> None:
    with pytest.raises(SpecError) as err:
        read_bounded("/dev/zero", "/dev/zero", 100_000, limit_hint="set X to raise it")
    assert str(err.value) == "/dev/zero: input is over the 100,000-byte limit (set X to raise it)"


def test_imports_are_confined_like_every_spec_path(run_cli: Runner, org: Path) -> None:
    """``imports:`` (fragments from ``mlorg import``) go through the same rule as ``culture.survey``."""
    fragment = "version: 2\norganization: {name: Acme}\n"
    (org.parent / "outside" / "hr.yaml").write_text(fragment)
    (org / "hr.yaml").write_text(fragment)
    spec = org / "spec.yaml"
    base = SPEC.format(path="answers.csv").replace("culture:\n  survey: answers.csv\n", "")
    (org / "answers.csv").write_text(ANSWERS)
    spec.write_text(base + "imports: [hr.yaml]\n")
    assert run_cli("lint", str(spec), "--fail-on", "critical").code == 0
    for entry in ("../outside/hr.yaml", str(org.parent / "outside" / "hr.yaml")):
        spec.write_text(base + f"imports: ['{entry}']\n")
        line = refused(run_cli("lint", str(spec)))
        assert line.startswith(f"{spec}:6: imports[0]: path '")
        assert line.endswith(ALLOW)
        res = run_cli("lint", str(spec), "--fail-on", "critical", "--allow-outside", str(org.parent / "outside"))
        assert res.code == 0, res.stderr
