"""Staff survey evidence set beside the Star Model and maturity answers the spec gives."""

from __future__ import annotations

from pathlib import Path

import mlorg
from conftest import EXAMPLE

PROCESS_ITEMS = ("ml_idea_intake", "ml_prioritization_open", "ml_experiment_budget")
BUILDING_ITEMS = ("ml_repeatable_path", "ml_specialists")


def answers(tmp_path: Path, value: int, items: tuple[str, ...], n: int = 6) -> Path:
    csv = tmp_path / "answers.csv"
    rows = ["team," + ",".join(items)] + ["recs," + ",".join(str(value) for _ in items) for _ in range(n)]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return csv


def test_without_a_survey_there_is_no_staff_view() -> None:
    result = mlorg.assess(mlorg.load_spec(EXAMPLE))
    assert result.star_model.processes.staff_score is None
    assert result.maturity.staff_view == {}


def test_staff_disagreeing_with_the_spec_is_noted_on_the_star_point(tmp_path: Path) -> None:
    spec = mlorg.load_spec(EXAMPLE)
    baseline = mlorg.assess(spec).star_model.processes
    result = mlorg.assess(spec, survey=answers(tmp_path, 1, PROCESS_ITEMS)).star_model.processes
    assert result.score == baseline.score  # the spec's answer stays the primary one
    assert result.staff_score == 1.0
    assert any("Staff see this point at 1.0 of 5" in note for note in result.notes)


def test_staff_agreeing_with_the_spec_adds_no_note(tmp_path: Path) -> None:
    spec = mlorg.load_spec(EXAMPLE)
    baseline = mlorg.assess(spec).star_model.processes
    agreeing = round((baseline.score - 1) / 4 * 4) + 1  # the 1-5 answer that maps onto the spec's score
    result = mlorg.assess(spec, survey=answers(tmp_path, agreeing, PROCESS_ITEMS)).star_model.processes
    assert result.staff_score == float(baseline.score)
    assert result.notes == baseline.notes


def test_staff_seeing_next_stage_evidence_is_called_out(tmp_path: Path) -> None:
    spec = mlorg.load_spec(EXAMPLE)
    result = mlorg.assess(spec, survey=answers(tmp_path, 5, BUILDING_ITEMS)).maturity
    assert result.stage == "exploring"
    assert result.staff_view["building"].agreement == 1.0
    assert any("already shows building evidence" in line for line in result.rationale)


def test_privacy_floor_hides_the_staff_view(tmp_path: Path) -> None:
    spec = mlorg.load_spec(EXAMPLE)
    result = mlorg.assess(spec, survey=answers(tmp_path, 1, PROCESS_ITEMS, n=3))
    assert result.star_model.processes.staff_score is None


def test_privacy_floor_holds_for_the_leaders_per_team_figures(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "westrum: {mean: 4.6, respondents: 27}",
        "westrum: {mean: 4.6, respondents: 27, teams: {recs: {mean: 5.5, respondents: 2},"
        " storefront: {mean: 4.1, respondents: 9}}}",
    )
    spec = mlorg.load_spec_text(text, "spec.yaml")
    culture = mlorg.assess(spec).culture
    assert [t.team for t in culture.teams] == ["storefront"]
    assert culture.hidden_teams == 1
    markdown = mlorg.render(mlorg.assess(spec), "markdown")
    assert "| storefront | 4.1 | 9 |" in markdown and "| recs | 5.5 |" not in markdown
    assert "1 team with too few respondents not shown" in markdown
