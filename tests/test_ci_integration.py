"""The GitHub Action (``action.yml``) and the pre-commit hook (``.pre-commit-hooks.yaml``).

The action's composite steps run here as a runner would run them: its shell steps with the inputs
and step outputs substituted, in a fresh virtual environment that installs mlorg the way the action
does (from the action's own checkout). ``uses:`` steps are GitHub's own actions; for them the test
checks what they would be given (the upload step gets an existing SARIF 2.1.0 log).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import EXAMPLE, ROOT

ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


@dataclass
class Run:
    """What one run of the action did."""

    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    uploaded: Path | None = None
    failed: str | None = None
    log: str = ""


def _value(expr: str, run: Run) -> str:
    """One expression of the kinds action.yml uses: inputs, github.action_path, step outputs."""
    if expr.startswith("inputs."):
        return run.inputs[expr.removeprefix("inputs.")]
    if expr == "github.action_path":
        return str(ROOT)
    m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
    if m:
        return run.outputs.get(m.group(1), {}).get(m.group(2), "")
    raise AssertionError(f"action.yml uses an expression the test does not know: {expr}")


def _expand(text: str, run: Run) -> str:
    return EXPR.sub(lambda m: _value(m.group(1), run), text)


def _condition(text: str, run: Run) -> bool:
    """``a == 'x' && b != ''``: the conditions action.yml writes."""
    inner = EXPR.fullmatch(text.strip())
    body = inner.group(1) if inner else text
    result = True
    for term in body.split("&&"):
        m = re.fullmatch(r"\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*", term)
        assert m, f"unsupported condition term: {term!r}"
        left = _value(m.group(1), run)
        result = result and ((left == m.group(3)) == (m.group(2) == "=="))
    return result


def run_action(inputs: dict[str, str], workspace: Path, bin_dir: Path, *, install: bool = True) -> Run:
    """Run the composite steps in order, as a runner does; stop at the first failing step."""
    declared = ACTION["inputs"]
    assert set(inputs) <= set(declared), f"unknown inputs {set(inputs) - set(declared)}"
    missing = [k for k, v in declared.items() if v.get("required") and k not in inputs]
    assert not missing, f"required inputs missing: {missing}"
    run = Run({k: inputs.get(k, str(v.get("default", ""))) for k, v in declared.items()})
    for step in ACTION["runs"]["steps"]:
        name = step["name"]
        if "if" in step and not _condition(step["if"], run):
            continue
        if "uses" in step:
            action = step["uses"]
            assert re.fullmatch(r"[\w-]+/[\w/-]+@v\d+", action), f"{name}: pin a major version: {action}"
            if action.startswith("github/codeql-action/upload-sarif@"):
                run.uploaded = workspace / _expand(step["with"]["sarif_file"], run)
            run.ran.append(name)
            continue
        if name == "Install mlorg" and not install:
            run.ran.append(name)
            continue
        assert step["shell"] == "bash"
        outputs = workspace / f".github-output-{len(run.ran)}"
        outputs.write_text("", encoding="utf-8")
        env = {
            **os.environ,
            **{k: _expand(str(v), run) for k, v in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(outputs),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        env.pop("PYTHONPATH", None)
        script = _expand(step["run"], run)
        # GitHub runs a bash step as: bash --noprofile --norc -eo pipefail {0}
        res = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        run.log += res.stdout + res.stderr
        run.ran.append(name)
        if "id" in step:
            pairs = (line.partition("=") for line in outputs.read_text(encoding="utf-8").splitlines())
            run.outputs[step["id"]] = {k: v for k, _, v in pairs}
        if res.returncode != 0:
            run.failed = name
            break
    return run


@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment without mlorg; the action's install step puts it there.

    Its dependencies are read from the test environment's site-packages (a ``.pth`` line), so the
    step installs mlorg itself, from the checkout, as a wheel (not this repository's editable install).
    """
    if shutil.which("bash") is None:
        pytest.fail("bash is needed to run the action's steps")
    home = tmp_path_factory.mktemp("action-venv")
    venv.EnvBuilder(with_pip=True).create(home)
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    py = bin_dir / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return bin_dir


def _workspace(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLE, tmp_path / "org.yaml")
    return tmp_path


def test_the_action_lints_uploads_sarif_and_fails_on_findings(fresh_env: Path, tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    run = run_action({"spec": "org.yaml", "fail-on": "critical"}, workspace, fresh_env)
    # the example has one critical finding: installed, linted, uploaded, then the job fails
    assert run.ran == ["Set up Python", "Install mlorg", "Lint the spec", "Upload to code scanning", "Fail on findings"]
    assert run.failed == "Fail on findings", run.log
    assert "mlorg lint found findings at or above critical (exit 1)" in run.log
    installed = subprocess.run(
        [str(fresh_env / "mlorg"), "--version"],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert installed.stdout.startswith("mlorg ")
    import mlorg

    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(fresh_env / "python"), "-c", "import mlorg; print(mlorg.__file__)"],
        capture_output=True,
        text=True,
        env=clean,
    ).stdout
    assert str(Path(mlorg.__file__).parent.parent) not in where, "the action must install mlorg, not reuse the tree"
    assert "org.yaml:" in run.log and "critical quasi-identifier-combination" in run.log  # findings in the job log
    assert run.uploaded == workspace / "mlorg.sarif"
    log = json.loads(run.uploaded.read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["runs"][0]["tool"]["driver"]["name"] == "mlorg"
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"quasi-identifier-combination"}
    assert all("partialFingerprints" in r for r in log["runs"][0]["results"])
    assert run.outputs["lint"] == {"exit-code": "1", "sarif-file": "mlorg.sarif"}


def test_the_action_passes_when_the_findings_are_exempted(fresh_env: Path, tmp_path: Path) -> None:
    workspace = _workspace(tmp_path)
    (workspace / "mlorg-settings.yaml").write_text(
        "ignore:\n  - rule: quasi-identifier-combination\n    reason: reviewed by legal\n", encoding="utf-8"
    )
    inputs = {"spec": "org.yaml", "fail-on": "critical", "config": "mlorg-settings.yaml", "sarif-file": "out.sarif"}
    run = run_action(inputs, workspace, fresh_env, install=False)
    assert run.failed is None, run.log
    assert run.outputs["lint"]["exit-code"] == "0"
    results = json.loads((workspace / "out.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    (suppressed,) = [r for r in results if r.get("suppressions")]
    assert suppressed["suppressions"][0]["justification"] == "reviewed by legal"


def test_the_action_stops_on_a_bad_spec_without_uploading(fresh_env: Path, tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text("version: 2\norganization:\n  name: X\n  headcount: many\n", encoding="utf-8")
    run = run_action({"spec": "org.yaml", "upload": "true"}, tmp_path, fresh_env, install=False)
    assert run.failed == "Lint the spec"
    assert "org.yaml:4: organization.headcount: expected a whole number" in run.log
    assert run.uploaded is None and not (tmp_path / "mlorg.sarif").exists()


def test_upload_can_be_turned_off(fresh_env: Path, tmp_path: Path) -> None:
    run = run_action({"spec": "org.yaml", "upload": "false"}, _workspace(tmp_path), fresh_env, install=False)
    assert run.uploaded is None and "Upload to code scanning" not in run.ran
    assert run.failed == "Fail on findings"  # default fail-on high: the example has high findings


def test_every_input_is_documented_and_used() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for name, spec in ACTION["inputs"].items():
        assert spec.get("description"), name
        assert f"inputs.{name}" in text, f"input {name} is declared but never used"
        assert f"`{name}`" in docs, f"docs/ci.md does not describe the input {name}"


# ---- pre-commit ---------------------------------------------------------------------------


def test_the_hook_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "mlorg-lint" and hook["language"] == "python"
    assert hook["pass_filenames"] is False  # the spec is named in args: one spec, not every YAML file
    assert re.search(hook["files"], "org.yaml") and not re.search(hook["files"], "README.md")


def test_the_hook_entry_runs_as_pre_commit_runs_it(tmp_path: Path) -> None:
    """pre-commit runs ``entry`` + ``args`` from the repository root; the docs' args are the example's."""
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    shutil.copy(EXAMPLE, tmp_path / "org.yaml")
    script = Path(sys.executable).with_name("mlorg")
    command = shlex.split(hook["entry"])
    assert command[0] == "mlorg"
    res = subprocess.run(
        [str(script), *command[1:], "org.yaml", "--fail-on", "critical"], cwd=tmp_path, capture_output=True, text=True
    )
    assert res.returncode == 1, res.stderr
    assert "critical quasi-identifier-combination" in res.stdout
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert "id: mlorg-lint" in docs and "args: [org.yaml" in docs
