"""What issue 3 must show on the canonical YarnIt example, in every output format."""

from __future__ import annotations

import json
from functools import cache

import mlorg
from conftest import EXAMPLE


@cache
def yarnit() -> mlorg.Assessment:
    return mlorg.assess(mlorg.load_spec(EXAMPLE))


def subjects(rule: str) -> set[str]:
    return {f.subject for f in yarnit().findings if f.rule == rule}


def test_first_project_is_cart_suggestions_with_reasons() -> None:
    p = yarnit().portfolio
    assert p.first_project == "cart-suggestions"
    assert p.ranking[0].initiative == "cart-suggestions"
    assert p.runner_up == "search-ranking"
    text = " ".join(p.reasons)
    for reason in ("high chance of success", "adds ML where nothing runs today", "greenfield", "8 weeks"):
        assert reason in text
    assert [r.rank for r in p.ranking] == [1, 2, 3, 4]
    assert p.ranking[-1].initiative == "inventory-reordering"


def test_value_cost_quadrants() -> None:
    quads = {q.id: q.initiatives for q in yarnit().portfolio.quadrants}
    assert quads["quick_win"] == ("cart-suggestions",)
    assert quads["big_bet"] == ("front-page-discovery", "inventory-reordering", "search-ranking")
    assert quads["money_pit"] == ()


def test_underperformer_boost_privacy_and_constraints() -> None:
    assert "model:underperformer-boost" in subjects("quasi-identifier-combination")
    assert "model:underperformer-boost" in subjects("missing-business-constraints")
    finding = next(f for f in yarnit().findings if f.rule == "missing-business-constraints")
    assert "inventory" in finding.message and "margin" in finding.message


def test_user_agent_comes_from_an_uncoordinated_team() -> None:
    assert "feature:user_agent" in subjects("uncoordinated-upstream-data")
    finding = next(f for f in yarnit().findings if f.subject == "feature:user_agent")
    assert "web-design" in finding.message


def test_drift_and_change_findings() -> None:
    assert subjects("no-drift-escalation") == {"model:underperformer-boost"}
    assert subjects("single-dimension-change") == {"org"}
    assert subjects("big-bang-communication") == {"org"}


def test_lifetime_aggregate_gets_a_bounded_alternative() -> None:
    feats = {f.feature: f for f in yarnit().data_readiness.features}
    assert feats["lifetime_purchase_count"].serving_feasible is False
    assert "365-day window" in (feats["lifetime_purchase_count"].alternative or "")
    assert subjects("unbounded-aggregate-feature") == {"feature:lifetime_purchase_count"}


def test_model_ops_of_underperformer_boost() -> None:
    (ops,) = yarnit().model_ops.models
    assert (ops.built_by, ops.operated_by, ops.running_team_ml_skills) == ("recs", "recs", True)
    assert ops.watches_drift is False
    assert ops.kpi_on_product is True
    assert subjects("handoff-to-it") == set()


def test_change_plan_opens_with_four_questions_and_sequences_points() -> None:
    plan = yarnit().change_plan
    assert [q.id for q in plan.questions] == ["cares_about", "today", "ease", "duration"]
    duration = plan.questions[3]
    assert any("timescale" in g for g in duration.gaps)
    assert plan.steps[0].point == "announce"
    assert plan.steps[1].point == "strategy"  # the data-audit finding points at strategy, which always leads
    processes = next(s for s in plan.steps if s.point == "processes")
    assert "no-drift-escalation" in processes.addresses
    assert plan.communication is not None and plan.communication.from_spec is False


def test_json_has_the_stable_keys() -> None:
    data = json.loads(mlorg.render(yarnit(), "json"))
    assert data["portfolio"]["first_project"] == "cart-suggestions"
    assert data["portfolio"]["ranking"][0]["initiative"] == "cart-suggestions"
    assert data["change_plan"]["steps"][0]["point"] == "announce"
    assert data["data_readiness"]["models"][0]["model"] == "underperformer-boost"
    assert data["model_ops"]["models"][0]["operated_by"] == "recs"


def test_markdown_has_the_new_sections() -> None:
    md = mlorg.render(yarnit(), "markdown")
    for heading in ("## Portfolio", "## Data readiness", "## Model operations", "## Change plan"):
        assert heading in md
    assert "Suggestions on the add\\-to\\-cart confirmation page" in md or "add-to-cart" in md
    assert "Not told" in md


def test_text_names_first_project_and_change_plan() -> None:
    out = mlorg.render(yarnit(), "text", color=False)
    assert "Next project: Suggestions on the add-to-cart" in out
    assert "Change plan: Change strategy, people" in out


def test_sarif_carries_the_new_rules() -> None:
    sarif = json.loads(mlorg.render(yarnit(), "sarif"))
    ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"quasi-identifier-combination", "uncoordinated-upstream-data", "big-bang-communication"} <= ids


def test_output_is_deterministic() -> None:
    again = mlorg.assess(mlorg.load_spec(EXAMPLE))
    assert mlorg.render(again, "json") == mlorg.render(yarnit(), "json")
    assert mlorg.render(again, "markdown") == mlorg.render(yarnit(), "markdown")


def test_a_chosen_critical_first_project_is_judged_and_flagged() -> None:
    text = EXAMPLE.read_text().replace("  - id: search-ranking\n", "  - id: search-ranking\n    first_project: true\n")
    result = mlorg.assess(mlorg.load_spec_text(text))
    (judged,) = result.portfolio.judged
    assert judged.initiative == "search-ranking" and judged.fits is False
    fired = {(f.rule, f.subject) for f in result.findings}
    assert ("first-project-too-critical", "initiative:search-ranking") in fired
    assert ("brownfield-opposition", "initiative:search-ranking") in fired
    assert result.portfolio.first_project == "cart-suggestions"
    out = mlorg.render(result, "text")
    flat = " ".join(out.split())
    assert (
        "Chosen first project Rank search results by predicted purchase misses the bar on: useful not critical" in flat
    )
