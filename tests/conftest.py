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


GOLDEN = ROOT / "tests" / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/* from the current output (same as MLORG_UPDATE_GOLDEN=1).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be regenerated rather than compared."""
    import os

    return bool(request.config.getoption("--update-golden")) or os.environ.get("MLORG_UPDATE_GOLDEN") == "1"
