"""Real MLflow and Feast for the importer tests, run from environments of their own.

Neither tool is a dependency of mlorg: ``.ci/run`` installs each into a separate environment and names
its Python in ``MLORG_TEST_MLFLOW_PYTHON`` / ``MLORG_TEST_FEAST_PYTHON``. Without the variable a test
that needs the tool skips and says which variable to set; with it, the tool really runs: ``mlflow
server`` on a free loopback port with a SQLite backend filled by the MLflow client, and ``feast apply``,
``materialize`` and ``registry-dump`` on the feature repository in ``data/feast_repo``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MLFLOW_PYTHON = "MLORG_TEST_MLFLOW_PYTHON"
FEAST_PYTHON = "MLORG_TEST_FEAST_PYTHON"
STARTUP_SECONDS = 600  # a loaded CI machine runs MLflow's database migrations slowly
RUN_SECONDS = 900


INSTALL_SECONDS = 1200  # how long to wait for an environment .ci/run is still installing


def tool_python(variable: str, tool: str) -> str:
    """The Python of the environment holding ``tool``; the test skips, saying why, when none is named.

    ``.ci/run`` names the environment at once and installs it beside the tests, so as not to hold the whole
    run back for it: while the environment holds an ``INSTALLING`` file this waits, and an ``INSTALL-FAILED``
    file (the installer's log) fails the test with the end of that log.
    """
    python = os.environ.get(variable)
    if not python:
        pytest.skip(f"{variable} is not set: name the Python of an environment with {tool} (.ci/run does)")
    env = Path(python).parent.parent
    deadline = time.monotonic() + INSTALL_SECONDS
    while (env / "INSTALLING").exists():
        assert time.monotonic() < deadline, f"{tool} was still installing into {env} after {INSTALL_SECONDS} s"
        time.sleep(1)
    failed = env / "INSTALL-FAILED"
    assert not failed.exists(), f"installing {tool} failed:\n{failed.read_text(errors='replace')[-3000:]}"
    return python


def run_tool(*args: str, cwd: Path | None = None) -> str:
    """Run a tool to the end; its output, or a failed test showing the end of what it printed."""
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=RUN_SECONDS)
    assert done.returncode == 0, (args, done.stderr[-3000:])
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def mlflow_server(python: str, folder: Path, extra_models: int = 4) -> Iterator[str]:
    """A real ``mlflow server`` (SQLite backend, loopback) whose registry ``data/mlflow_fill.py`` filled."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "server.log"
    command = [python, "-m", "mlflow", "server", "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}"]
    command += ["--default-artifact-root", str(folder / "artifacts"), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", "1"]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                assert server.poll() is None, log_path.read_text(errors="replace")[-3000:]
                try:
                    with urllib.request.urlopen(f"{url}/health", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "mlflow server did not start"
                time.sleep(1)
            run_tool(python, str(DATA / "mlflow_fill.py"), url, str(extra_models))
            yield url
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def feast_registry_dump(python: str, folder: Path) -> Path:
    """The real ``feast registry-dump`` output of ``data/feast_repo`` after ``feast apply`` and two
    materializations a day apart, saved as ``registry.json`` in the repository's copy."""
    repo = folder / "repo"
    shutil.copytree(DATA / "feast_repo", repo)
    feast = str(Path(python).parent / "feast")
    run_tool(python, str(DATA / "feast_make_data.py"), str(repo), cwd=repo)
    run_tool(feast, "apply", cwd=repo)
    for start, end in (("2026-01-01T00:00:00", "2026-01-02T00:00:00"), ("2026-01-02T00:00:00", "2026-01-03T00:00:00")):
        run_tool(feast, "materialize", start, end, "--views", "customer_orders", "--views", "customer_recent", cwd=repo)
    dump = repo / "registry.json"
    dump.write_text(run_tool(feast, "registry-dump", cwd=repo), encoding="utf-8")
    return dump
