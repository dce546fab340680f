"""Shared fixtures: the bundled example and a helper to run the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "yarnit.yaml"


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``mlorg`` in-process; return exit code, stdout and stderr."""
    from mlorg.cli import main

    def run(*args: str) -> CliResult:
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out = capsys.readouterr()
        code = exc.value.code
        return CliResult(code if isinstance(code, int) else 0, out.out, out.err)

    return run
