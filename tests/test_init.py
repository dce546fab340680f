"""``mlorg init`` writes a starter spec that loads, assesses, and says only what it was told."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import mlorg
from conftest import CliResult
from mlorg.cli import app
from mlorg.starter import Answers, starter_spec

Runner = Callable[..., CliResult]


def test_defaults_write_a_spec_that_loads_and_assesses(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    res = run_cli("init", "--defaults", "-o", str(out))
    assert res.code == 0, res.stderr
    spec = mlorg.load_spec(out)
    assert spec.organization.name == Answers().name
    assessment = mlorg.assess(spec)
    assert assessment.organization.headcount == Answers().headcount
    # "unsure" answers stay out of the spec: unknown is not false
    assert spec.strategy.written is None
    assert spec.strategy.ml_leader_in_leadership is None
    assert "# written:" in out.read_text(encoding="utf-8")


def test_defaults_are_deterministic(run_cli: Runner, tmp_path: Path) -> None:
    run_cli("init", "--defaults", "-o", str(tmp_path / "a.yaml"))
    run_cli("init", "--defaults", "-o", str(tmp_path / "b.yaml"))
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


def test_refuses_to_overwrite_without_force(run_cli: Runner, tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    out.write_text("mine\n", encoding="utf-8")
    res = run_cli("init", "--defaults", "-o", str(out))
    assert res.code == 2
    assert res.stderr == f"mlorg: {out} already exists; use --force to overwrite it or -o to pick another file\n"
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run_cli("init", "--defaults", "--force", "-o", str(out)).code == 0
    assert mlorg.load_spec(out).organization.name == Answers().name


def test_interactive_answers_end_up_in_the_spec(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    answers = [
        "Acme: Yarn & Co",  # name (needs quoting in YAML)
        "online retail",  # industry
        "240",  # headcount
        "both",  # ML focus
        "yes",  # data about people regulated
        "core",  # ambition
        "no",  # strategy written
        "low",  # leadership ML literacy
        "yes",  # ML voice in leadership
        "yes",  # dedicated ML team
        "2",  # data scientists
        "1",  # ML engineers
        "1",  # experienced, of the three
        "2",  # models in production
        "yes",  # integration forum
    ]
    result = CliRunner().invoke(app, ["init", "-o", str(out)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Of those 3, how many have shipped ML to production before?" in result.output
    spec = mlorg.load_spec(out)
    assert spec.version == 2
    assert spec.organization.name == "Acme: Yarn & Co"
    assert spec.organization.industry == "online retail"
    assert spec.organization.headcount == 240
    assert spec.organization.ml_focus == "both"
    assert spec.organization.regulated_personal_data is True
    assert spec.strategy.ml_ambition == "core"
    assert spec.strategy.written is False
    assert spec.strategy.leadership_ml_literacy == "low"
    assert spec.strategy.ml_leader_in_leadership is True
    assert [t.id for t in spec.teams] == ["leadership", "product", "ml"]
    ml = spec.teams[2]
    # scientists and engineers as counted, not all written as one role; no person or model invented
    assert (ml.staffing, ml.experienced_ml, ml.function) == ({"data_scientist": 2, "ml_engineer": 1}, 1, None)
    assert spec.people == () and spec.models == ()
    assert spec.counts.models is not None and spec.counts.models.production == 2
    assert [(f.kind, f.teams, f.cadence_days) for f in spec.forums] == [("integration_point", ("product", "ml"), None)]
    assessment = mlorg.assess(spec)
    # the plan must not ask for a data scientist or an ML engineer the leader said they have
    assert not [
        h.role for h in assessment.hiring_plan if h.role in ("data_scientist", "ml_engineer") and h.status == "confirm"
    ]


def test_what_was_not_asked_is_left_out_and_marked() -> None:
    """Unasked fields are comments saying so; unsure answers are comments saying unknown; neither is data."""
    text = starter_spec(Answers())
    spec = mlorg.load_spec_text(text)
    for key in ("statement", "goals", "business_constraints", "people", "models"):
        (line,) = [ln for ln in text.splitlines() if ln.lstrip().startswith(f"# {key}:")]
        assert "# not asked:" in line, line
    for key in ("industry", "regulated_personal_data", "written", "leadership_ml_literacy"):
        (line,) = [ln for ln in text.splitlines() if ln.lstrip().startswith(f"# {key}:")]
        assert "# unknown:" in line, line
    assert spec.strategy.statement is None and spec.strategy.business_constraints is None
    assert spec.organization.industry is None and spec.organization.regulated_personal_data is None
    assert spec.teams[1].staffing == {"data_scientist": 1, "ml_engineer": 0}


def test_interactive_reprompts_on_an_invalid_answer(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    keys = ["Acme", "", "0", "12", "boh", *[""] * 13]  # 0 people is refused, then 12; "boh" is no choice
    result = CliRunner().invoke(app, ["init", "-o", str(out)], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "0 is not in the range" in result.output
    assert "'boh' is not one of: implementation, research, both" in result.output
    assert mlorg.load_spec(out).organization.headcount == 12


@pytest.mark.parametrize(("scientists", "engineers"), [(0, 0), (1, 0), (0, 1), (5, 7), (300, 100)])
@pytest.mark.parametrize("team", ["yes", "no", "unsure"])
def test_every_shape_of_answers_gives_a_valid_spec(scientists: int, engineers: int, team: str) -> None:
    answers = Answers(
        has_ml_team=team,  # type: ignore[arg-type]
        data_scientists=scientists,
        ml_engineers=engineers,
        experienced_ml_people=min(1, scientists + engineers),
        production_models=25,
        integration_forum=team,  # type: ignore[arg-type]
        regulated_personal_data=team,  # type: ignore[arg-type]
    )
    spec = mlorg.load_spec_text(starter_spec(answers))
    staffing = [t.staffing for t in spec.teams if t.staffing is not None]
    assert staffing == [{"data_scientist": scientists, "ml_engineer": engineers}]
    assert sum(t.experienced_ml or 0 for t in spec.teams) == min(1, scientists + engineers)
    assert spec.counts.models is not None and spec.counts.models.production == 25
    mlorg.assess(spec)


def test_answers_that_end_early_say_so_and_write_nothing(tmp_path: Path) -> None:
    """Piped answers that stop short (a script that lost a line) used to end in a bare "mlorg: aborted"."""
    out = tmp_path / "org.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "mlorg", "init", "-o", str(out)],
        input="Acme\nonline retail\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "mlorg: the answers ended before the last question; nothing was written "
        "(give one answer a line for every question, or use --defaults)"
    )
    assert not out.exists()
