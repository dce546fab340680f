"""Star Model: each point scored against the ambition; misalignments between points."""

from __future__ import annotations

from typing import Any

from org_builder import at_stage, ctx_of, person

from mlorg.analyses import roles, star_model, structure
from mlorg.analyses.context import AnalysisContext

STRONG_STRATEGY = {
    "ml_ambition": "experimental",
    "written": True,
    "goals": ["Ship one model"],
    "assumptions": ["Shoppers want suggestions"],
    "leadership_ml_literacy": "high",
}


def star(ctx: AnalysisContext, stage: str = "exploring") -> star_model.StarModelResult:
    mat = at_stage(stage)
    return star_model.analyze(ctx, structure.analyze(ctx, mat), roles.analyze(ctx, mat))


def test_strong_strategy_with_weak_rewards_is_misaligned() -> None:
    ctx = ctx_of(strategy=STRONG_STRATEGY, rewards={"recognizes": ["knowledge_sharing"]})
    result = star(ctx)
    assert result.strategy.score == 5
    assert result.rewards.score == 1
    pair = next(m for m in result.misalignments if m.points == ("strategy", "rewards"))
    assert pair.gap == 4
    assert "rewards (1/5)" in pair.message and "strategy (5/5)" in pair.message


def test_misalignment_gap_is_a_setting() -> None:
    spec: dict[str, Any] = {"strategy": STRONG_STRATEGY, "rewards": {"recognizes": ["knowledge_sharing"]}}
    assert star(ctx_of({"star_misalignment_gap": 4}, **spec)).misalignments
    spec["rewards"] = {"recognizes": ["delivery"]}  # rewards now 3: gap 2
    assert not any(
        m.points == ("strategy", "rewards") for m in star(ctx_of({"star_misalignment_gap": 3}, **spec)).misalignments
    )
    assert any(m.points == ("strategy", "rewards") for m in star(ctx_of(**spec)).misalignments)


def test_unknown_criteria_score_neutral_and_lower_confidence() -> None:
    result = star(ctx_of())
    for point in star_model.POINTS:
        assert getattr(result, point).score == 3
        assert getattr(result, point).confidence == 0.0
    assert not result.misalignments
    assert "not given" in result.rationale[0]


def test_higher_ambition_brings_more_criteria_into_play() -> None:
    rewards = {"recognizes": ["delivery", "reliability"]}
    experimental = star(ctx_of(strategy={"ml_ambition": "experimental"}, rewards=rewards))
    everywhere = star(ctx_of(strategy={"ml_ambition": "everywhere"}, rewards=rewards))
    assert experimental.rewards.score == 5
    assert everywhere.rewards.score < experimental.rewards.score
    assert len(everywhere.rewards.notes) > len(experimental.rewards.notes)


def test_processes_cover_vertical_and_horizontal_and_the_integration_point() -> None:
    ctx = ctx_of(
        strategy={"ml_ambition": "experimental"},
        teams=[{"id": "ml", "kind": "ml", "experimentation_budget": True}, {"id": "shop", "kind": "product"}],
        people=[person("a", "ml", "ml_engineer")],
        forums=[{"id": "f", "kind": "integration_point", "teams": ["ml", "shop"]}],
        practices={"prioritization_process": True, "methodology": "kanban"},
    )
    result = star(ctx)
    assert result.processes.score == 5
    assert any("integration point" in n for n in result.processes.notes)
    assert {e.path for e in result.processes.evidence} >= {"forums[0].kind", "practices.prioritization_process"}


def test_people_reads_the_roles_analysis() -> None:
    ctx = ctx_of(
        strategy={"ml_ambition": "experimental"},
        teams=[{"id": "ml", "kind": "ml"}],
        people=[
            person("a", "ml", "ml_engineer", ml_experience="experienced"),
            person("pm", "ml", "product_manager", ml_experience="experienced"),
        ],
    )
    assert star(ctx).people.score == 5
