"""Starting mlorg imports only what the command needs (issue 14, item 3).

Each check runs the real CLI in a fresh interpreter and inspects ``sys.modules`` afterwards: it asserts
which modules were imported, never how long that took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLE

PROBE = """
import json, sys
sys.argv = ["mlorg", *json.loads(sys.argv[1])]
from mlorg.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""

# Analyses, renderers beyond the dispatcher, charts, numpy and the web stack: none is needed to list commands or rules.
HEAVY = (
    "mlorg.analyses",
    "mlorg.engine",
    "mlorg.assessment",
    "mlorg.render.",
    "mlorg.survey.scoring",
    "mlorg.web",
    "mlorg.storage",
    "pygal",
    "numpy",
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "jinja2",
    "weasyprint",
)


def imported(*args: str, probe: str = PROBE) -> tuple[list[str], str]:
    res = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(list(args))], capture_output=True, text=True, check=False
    )
    marker = res.stderr.rindex("MODULES ")
    return json.loads(res.stderr[marker + len("MODULES ") :]), res.stdout


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.startswith(HEAVY)]


@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"], ["report", "--help"], ["serve", "--help"]])
def test_help_imports_no_analysis_renderer_chart_or_web_module(args: list[str]) -> None:
    modules, out = imported(*args)
    assert "Usage" in out
    assert heavy(modules) == []
    # neither are the spec models nor the YAML reader (typer itself may import pydantic)
    assert not [m for m in modules if m.startswith(("yaml", "mlorg.spec", "mlorg.results"))]


@pytest.mark.parametrize("args", [["rules"], ["rules", "--format", "json"], ["explain", "no-experienced-ml"]])
def test_rule_listing_imports_no_analysis_renderer_chart_or_web_module(args: list[str]) -> None:
    modules, out = imported(*args)
    assert "no-experienced-ml" in out
    assert "mlorg.rules.registry" in modules  # the probe really ran the command
    assert heavy(modules) == []


def test_library_import_is_lazy_but_complete() -> None:
    code = (
        "import sys, mlorg\n"
        "light = not any(m.startswith(('mlorg.engine', 'mlorg.analyses', 'pydantic')) for m in sys.modules)\n"
        "names = [getattr(mlorg, n) for n in mlorg.__all__]\n"
        "print(light, len(names), callable(mlorg.render), mlorg.assess.__module__)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.split() == ["True", "13", "True", "mlorg.engine"]


def test_render_stays_the_function_after_renderer_modules_load() -> None:
    import mlorg

    # loading a renderer submodule must not shadow the mlorg.render function
    import mlorg.render.json_render

    assert callable(mlorg.render)


def rapidfuzz_loads_numpy() -> bool:
    code = "import sys, rapidfuzz.process; print('numpy' in sys.modules)"
    return (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "True"
    )


# A one-shot command ends with os._exit once its output is written; called with arguments, main() returns.
IN_PROCESS = PROBE.replace("main()", "main(sys.argv[1:])")


def test_assess_loads_numpy_only_for_ties_or_answers(tmp_path: Path) -> None:
    """numpy (a tenth of a second to import) serves the survey scoring and the network measures only."""
    modules, _ = imported("assess", str(EXAMPLE), "--format", "json", "-o", str(tmp_path / "a.json"), probe=IN_PROCESS)
    assert "mlorg.engine" in modules  # the probe really assessed
    assert (tmp_path / "a.json").exists()
    assert [m for m in modules if m.startswith("mlorg.network")] == []
    # numpy is mlorg's to load only for ties or answers; some releases of rapidfuzz (did-you-mean hints, loaded
    # with the spec reader) import it themselves, and then it is theirs, not mlorg's
    if not rapidfuzz_loads_numpy():
        assert [m for m in modules if m.startswith("numpy")] == []

    with_ties = tmp_path / "ties.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    with_ties.write_text(text + "collaboration:\n  ties:\n    - {a: maya, b: lena, weight: 3}\n", encoding="utf-8")
    modules, _ = imported(
        "assess", str(with_ties), "--format", "json", "-o", str(tmp_path / "b.json"), probe=IN_PROCESS
    )
    assert "numpy" in modules and "mlorg.network.measures" in modules
    assert '"collaboration": {' in (tmp_path / "b.json").read_text(encoding="utf-8")
