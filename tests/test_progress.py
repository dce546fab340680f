"""Progress on stderr: shown on a terminal (a real pseudo-terminal here), silent when stderr is piped."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE
from mlorg.progress import enabled, progress

MLORG = Path(sys.executable).with_name("mlorg")


def run_with_terminal_stderr(*args: str, cwd: Path) -> tuple[int, str, bytes]:
    """Run the installed ``mlorg`` with stderr on a pseudo-terminal; return code, stdout and the terminal bytes."""
    pty = pytest.importorskip("pty", reason="pseudo-terminals are a POSIX feature")
    master, slave = pty.openpty()
    stdout = (cwd / "stdout.txt").open("wb")  # a file, not a pipe: nobody reads a pipe while we read the terminal
    proc = subprocess.Popen(
        [str(MLORG), *args], cwd=cwd, stdout=stdout, stderr=slave, env={**os.environ, "COLUMNS": "100"}
    )
    os.close(slave)
    seen = bytearray()
    while True:  # read while it runs: a full terminal buffer would block the child
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=300)
    os.close(master)
    stdout.close()
    out = (cwd / "stdout.txt").read_text(encoding="utf-8")
    return code, out, bytes(seen)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["report", str(EXAMPLE), "-o", "report.html"], b"mlorg: "),
        (["assess", str(EXAMPLE), "-f", "json"], b"mlorg: "),
    ],
)
def test_progress_shows_on_a_terminal(tmp_path: Path, args: list[str], shown: bytes) -> None:
    code, out, terminal = run_with_terminal_stderr(*args, cwd=tmp_path)
    assert code in (0, 1), terminal.decode(errors="replace")
    phases = (b"reading the spec", b"assessing", b"writing the")
    assert any(p in terminal for p in phases), terminal
    assert b"\x1b[" in terminal  # drawn and then cleared: the line does not stay in the scrollback
    if "json" in args:
        assert out.startswith("{")  # stdout carries the result only, never the spinner


def test_progress_is_silent_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    res = subprocess.run(
        [str(MLORG), "report", str(EXAMPLE), "-o", "report.html"], cwd=tmp_path, capture_output=True, text=True
    )
    assert res.returncode == 0
    assert res.stderr == "mlorg: wrote report.html\n"
    res = subprocess.run([str(MLORG), "assess", str(EXAMPLE), "-f", "json"], capture_output=True, text=True)
    assert res.stderr == ""


def test_progress_steps_are_quiet_without_a_terminal() -> None:
    stream = io.StringIO()
    assert not enabled(stream)
    with progress("working", stream) as step:
        step("still working")
    assert stream.getvalue() == ""
