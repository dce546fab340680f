"""``mlorg init`` writes a starter spec that loads, assesses, and says only what it was told."""

from __future__ import annotations

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
        "240",  # headcount
        "both",  # ML focus
        "core",  # ambition
        "no",  # strategy written
        "low",  # leadership ML literacy
        "yes",  # ML voice in leadership
        "yes",  # dedicated ML team
        "3",  # ML people
        "1",  # experienced
        "2",  # models in production
        "yes",  # integration forum
    ]
    result = CliRunner().invoke(app, ["init", "-o", str(out)], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    spec = mlorg.load_spec(out)
    assert spec.organization.name == "Acme: Yarn & Co"
    assert spec.organization.headcount == 240
    assert spec.organization.ml_focus == "both"
    assert spec.strategy.ml_ambition == "core"
    assert spec.strategy.written is False
    assert spec.strategy.leadership_ml_literacy == "low"
    assert spec.strategy.ml_leader_in_leadership is True
    assert [t.id for t in spec.teams] == ["leadership", "product", "ml"]
    assert [(p.team, p.ml_experience) for p in spec.people] == [
        ("ml", "experienced"),
        ("ml", "learning"),
        ("ml", "learning"),
    ]
    assert [m.status for m in spec.models] == ["production", "production"]
    assert [(f.kind, f.teams) for f in spec.forums] == [("integration_point", ("leadership", "product", "ml"))]
    mlorg.assess(spec)


def test_interactive_reprompts_on_an_invalid_answer(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    keys = ["Acme", "0", "12", "", "", "", "", "", "", "", "", "", ""]  # 0 people is refused, then 12
    result = CliRunner().invoke(app, ["init", "-o", str(out)], input="\n".join(keys) + "\n")
    assert result.exit_code == 0, result.output
    assert "0 is not in the range" in result.output
    assert mlorg.load_spec(out).organization.headcount == 12


@pytest.mark.parametrize("ml_people", [0, 1, 12, 13, 400])
@pytest.mark.parametrize("team", ["yes", "no", "unsure"])
def test_every_shape_of_answers_gives_a_valid_spec(ml_people: int, team: str) -> None:
    answers = Answers(
        has_ml_team=team,  # type: ignore[arg-type]
        ml_people=ml_people,
        experienced_ml_people=min(1, ml_people),
        production_models=25,
        integration_forum=team,  # type: ignore[arg-type]
    )
    spec = mlorg.load_spec_text(starter_spec(answers))
    ml_staff = sum(p.ml_experience is not None for p in spec.people) + sum(
        n for t in spec.teams for n in (t.staffing or {}).values()
    )
    assert ml_staff == ml_people
    assert len(spec.models) == 20  # the rest are left as a comment to fill in
    mlorg.assess(spec)
