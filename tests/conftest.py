"""Shared fixtures: the bundled example and a helper to run the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session", autouse=True)
def _state_home(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Crash logs of tests that provoke an internal error go to a temporary state folder, not the user's."""
    import os

    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield
    if before is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = before


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


# Real MLflow and Feast for the importer tests (tests/sources/real_tools.py), each made once per run and
# shared by every test that needs it. Defined here, not in a tests/sources/conftest.py, because a second
# `conftest` module would shadow this one for the tests that import ROOT from it.
@pytest.fixture(scope="session")
def mlflow_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real ``mlflow server`` on loopback, its registry filled by the MLflow client (``data/mlflow_fill.py``)."""
    from real_tools import MLFLOW_PYTHON, mlflow_server, tool_python  # tests/sources, on the path for its tests

    python = tool_python(MLFLOW_PYTHON, "mlflow")
    with mlflow_server(python, tmp_path_factory.mktemp("mlflow")) as url:
        yield url


@pytest.fixture(scope="session")
def registry_dump(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What the real ``feast registry-dump`` prints for ``data/feast_repo`` after apply and two materializations."""
    from real_tools import FEAST_PYTHON, feast_registry_dump, tool_python

    return feast_registry_dump(tool_python(FEAST_PYTHON, "feast"), tmp_path_factory.mktemp("feast"))


# Parallel runs (pytest-xdist, `-n auto --dist loadscope` in pyproject.toml) send each module to one
# worker, so a module's fixtures are made once. The real MLflow server and Feast repository are session
# fixtures shared by three modules: those modules go to one worker together, or each tool would be set up
# again (about 40 s) on the other.
REAL_TOOL_MODULES = frozenset(
    {"tests/sources/test_mlflow.py", "tests/sources/test_feast.py", "tests/sources/test_all_systems.py"}
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadscope":
        return None  # xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndRealTools(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "real-tools" if module in REAL_TOOL_MODULES else super()._split_scope(nodeid)

    return ModulesAndRealTools(config, log)
