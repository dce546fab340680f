"""The change plan, driven by a Star Model result built by hand (the Star Model analysis is separate)."""

from __future__ import annotations

from typing import Any

import mlorg
from mlorg.analyses import change_plan
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.star_model import Misalignment, StarModelResult, StarPointScore
from mlorg.results import Finding
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

SPEC = """
version: 1
organization: {name: Plan Co}
strategy: {statement: Use ML to cut returns, goals: [Fewer returns], ml_ambition: core}
practices: {methodology: scrum, tooling: [experiment_tracking]}
rewards: {recognizes: [delivery]}
change: {announced: true, timescale_weeks: 20, communication_cadence_days: 14, success_criteria: [Returns down 5%]}
"""


def ctx(text: str = SPEC, **thresholds: Any) -> AnalysisContext:
    spec = mlorg.load_spec_text(text)
    return AnalysisContext(spec, SpecIndex(spec), Thresholds(**thresholds))


def star(misalignments: tuple[Misalignment, ...] = (), **scores: int) -> StarModelResult:
    points = {p: StarPointScore(score=scores.get(p, 4)) for p in change_plan.POINTS}
    return StarModelResult(**points, misalignments=misalignments)


def finding(rule: str, severity: str = "high") -> Finding:
    return Finding(rule=rule, severity=severity, subject="org", message="m", remedy=f"fix {rule}", source="rml-ch13")


def test_nothing_to_change_gives_no_steps() -> None:
    plan = change_plan.analyze(ctx(), star(), ())
    assert plan.steps == ()
    assert plan.notes and "no change plan" in plan.notes[0]
    assert len(plan.questions) == 4


def test_announce_first_then_strategy_then_weakest() -> None:
    plan = change_plan.analyze(ctx(), star(strategy=3, rewards=1, people=2), ())
    assert [s.point for s in plan.steps] == ["announce", "strategy", "rewards", "people"]
    assert plan.steps[0].order == 1 and [s.order for s in plan.steps] == [1, 2, 3, 4]
    assert "strategy goes first" in plan.steps[1].why[0]
    assert plan.steps[2].why[0] == "the weakest of the remaining points"


def test_misalignment_pulls_in_the_weaker_point() -> None:
    gap = Misalignment(points=("strategy", "rewards"), gap=2, message="rewards ignore the ML goal")
    plan = change_plan.analyze(ctx(), star(misalignments=(gap,), rewards=4, strategy=5), ())
    assert [s.point for s in plan.steps] == ["announce", "rewards"]
    assert any("misaligned with strategy" in w for w in plan.steps[1].why)


def test_findings_point_at_their_star_point_and_become_actions() -> None:
    found = (finding("no-drift-escalation"), finding("tool-divergence", "low"), finding("single-dimension-change"))
    plan = change_plan.analyze(ctx(), star(), found)
    (_, processes) = plan.steps
    assert processes.point == "processes"
    assert processes.addresses == ("no-drift-escalation", "tool-divergence")  # by severity, then slug
    assert processes.actions == ("fix no-drift-escalation", "fix tool-divergence")
    assert "no `no-drift-escalation` finding remains" in processes.success_criteria


def test_ties_break_on_findings_then_canonical_order() -> None:
    plan = change_plan.analyze(ctx(), star(structure=2, people=2), (finding("no-sre-for-ml"),))
    assert [s.point for s in plan.steps] == ["announce", "people", "structure"]


def test_spec_timescale_is_split_across_steps() -> None:
    plan = change_plan.analyze(ctx(), star(structure=2, processes=2, rewards=2), ())
    assert plan.timescale_from_spec
    weeks = [s.weeks for s in plan.steps[1:]]
    assert sum(weeks) == 19 and max(weeks) - min(weeks) <= 1
    assert plan.total_weeks == 20
    starts = [s.start_week for s in plan.steps]
    assert starts == sorted(starts)
    assert "Returns down 5%" in plan.steps[0].success_criteria


def test_default_step_length_when_the_spec_gives_no_timescale() -> None:
    text = "version: 1\norganization: {name: X}\n"
    plan = change_plan.analyze(ctx(text, change_step_weeks=4), star(people=1), ())
    assert [s.weeks for s in plan.steps] == [1, 4]
    assert not plan.timescale_from_spec
    assert any("change_step_weeks" in n for n in plan.notes)


def test_four_questions_prefilled_or_flagged() -> None:
    filled = {q.id: q for q in change_plan.analyze(ctx(), star(), ()).questions}
    assert filled["cares_about"].answered and "strategy: Use ML to cut returns" in filled["cares_about"].answers
    assert "announced timescale: 20 weeks" in filled["duration"].answers
    empty = {q.id: q for q in change_plan.analyze(ctx("version: 1\norganization: {name: X}\n"), star(), ()).questions}
    assert not empty["cares_about"].answered
    assert any("strategy.statement" in g for g in empty["cares_about"].gaps)
    assert any("timescale" in g for g in empty["duration"].gaps)
    assert any("culture" in g for g in empty["ease"].gaps)


def test_communication_cadence() -> None:
    assert change_plan.plan_communication(ctx()).from_spec
    never = "version: 1\norganization: {name: X}\nchange: {announced: true, communication_cadence_days: null}\n"
    comm = change_plan.plan_communication(ctx(never, change_communication_days=7))
    assert (comm.cadence_days, comm.from_spec) == (7, False)
    assert "no regular updates" in comm.note
    slow = "version: 1\norganization: {name: X}\nchange: {communication_cadence_days: 90}\n"
    assert "too long" in change_plan.plan_communication(ctx(slow)).note


def test_every_catalogue_rule_maps_to_a_known_point() -> None:
    assert set(change_plan.RULE_POINT.values()) <= set(change_plan.POINTS)


def test_hostile_strategy_text_is_escaped_in_markdown_and_text() -> None:
    evil = '"<script>alert(1)</script> \\x1b[31m"'
    spec = mlorg.load_spec_text(f"version: 1\norganization: {{name: X}}\nstrategy: {{statement: {evil}}}\n")
    result = mlorg.assess(spec)
    md = mlorg.render(result, "markdown")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\x1b" not in md and "\x1b" not in mlorg.render(result, "text", verbose=True)
