"""Structure: today's structure from seating and reporting lines, and the recommendation."""

from __future__ import annotations

from typing import Any

import pytest
from org_builder import at_stage, ctx_of, person

import mlorg
from conftest import EXAMPLE
from mlorg.analyses import structure
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.ml_staff import placement
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

TEAMS = [
    {"id": "ml", "kind": "ml", "function": "business_metrics"},
    {"id": "shop", "kind": "product"},
    {"id": "app", "kind": "product"},
]


def current(**sections: Any) -> str:
    return structure.analyze(ctx_of(teams=TEAMS, **sections), at_stage("building")).current


def test_no_ml_people_is_none() -> None:
    assert current(people=[person("a", "shop", "product_engineer")]) == "none"


def test_everyone_in_the_ml_team_is_centralized() -> None:
    assert current(people=[person("a", "ml", "ml_engineer"), person("b", "ml", "data_scientist")]) == "centralized"


def test_an_ml_leader_in_the_department_above_the_ml_team_is_central_not_embedded() -> None:
    """A chief data officer's office that holds the data science team is the top of the central function."""
    teams = [
        {"id": "exec", "kind": "leadership"},
        {"id": "data-office", "kind": "department", "parent": "exec"},
        {"id": "ds", "kind": "ml", "parent": "data-office"},
        {"id": "product", "kind": "department", "parent": "exec"},
        {"id": "search", "kind": "product", "parent": "product"},
        {"id": "search-ml", "kind": "ml", "parent": "search"},
    ]
    cdo = {**person("cdo", "data-office", "head_of_data_science"), "leads_ml": True}
    people = [cdo, person("a", "ds", "data_scientist", reports_to="cdo"), person("b", "product", "ml_engineer")]
    ctx = ctx_of(teams=teams, people=people)
    p = placement(ctx)
    assert p.central_teams == ("data-office", "ds") and p.central == 2
    # an ML person in a department with no central ML home beneath it is still on the product side
    assert p.embedded_teams == ("product",) and p.embedded == 1
    assert structure.analyze(ctx, at_stage("building")).current == "hybrid"
    people = [cdo, person("a", "ds", "data_scientist", reports_to="cdo")]
    assert structure.analyze(ctx_of(teams=teams, people=people), at_stage("building")).current == "centralized"


def test_evidence_names_where_embedded_staff_sit() -> None:
    """ML staff in IT operations sit outside the ML homes, not "on the product or business side"."""
    teams = [*TEAMS, {"id": "ops", "kind": "it_ops"}, {"id": "shop-ml", "kind": "ml", "parent": "shop"}]
    people = [person("a", "ops", "sre_ml"), person("b", "shop-ml", "data_scientist"), person("c", "app", "ml_engineer")]
    notes = {e.path: e.note for e in placement(ctx_of(teams=teams, people=people)).evidence}
    assert notes == {
        "teams[2].kind": "1 ML staff: embedded in the product or business side",
        "teams[3].kind": "1 ML staff: embedded in an IT operations team, outside the ML homes",
        "teams[4].kind": "1 ML staff: embedded in the product or business side",
    }


def test_everyone_in_product_teams_reporting_locally_is_decentralized() -> None:
    people = [
        person("lead", "shop", "product_engineer"),
        person("a", "shop", "data_scientist", reports_to="lead"),
        person("b", "app", "ml_engineer"),
    ]
    assert current(people=people) == "decentralized"


def test_sitting_in_product_teams_but_reporting_to_a_central_ml_lead_is_hybrid() -> None:
    people = [
        person("head", "ml", "head_of_data_science"),
        person("mid", "shop", "product_engineer", reports_to="head"),
        person("a", "shop", "data_scientist", reports_to="mid"),  # chain reaches the central lead
        person("b", "app", "ml_engineer", reports_to="head"),
        person("c", "app", "ml_engineer", reports_to="head"),
        person("d", "app", "data_scientist", reports_to="head"),
    ]
    result = structure.analyze(ctx_of(teams=TEAMS, people=people), at_stage("building"))
    assert result.current == "hybrid"
    assert "central ML core" in result.rationale[0]


def test_embedded_people_reporting_to_a_head_of_data_science_in_leadership_is_hybrid() -> None:
    teams = [{"id": "exec", "kind": "leadership"}, *TEAMS[1:]]
    people = [
        person("head", "exec", "head_of_data_science"),
        person("a", "shop", "data_scientist", reports_to="head"),
        person("b", "app", "ml_engineer", reports_to="head"),
    ]
    result = structure.analyze(ctx_of(teams=teams, people=people), at_stage("building"))
    assert result.current == "hybrid"
    assert "report into a central ML lead" in result.rationale[0]


def test_an_executive_holding_an_ml_role_is_a_leader_not_a_central_lead() -> None:
    """A CTO who is also the chief scientist heads everyone: reporting to them says nothing about ML's design."""
    teams = [{"id": "exec", "kind": "leadership"}, *TEAMS[1:]]
    people = [
        person("cto", "exec", "executive", "ml_researcher"),
        person("a", "shop", "ml_researcher", reports_to="cto"),
        person("b", "app", "ml_engineer", reports_to="cto"),
    ]
    result = structure.analyze(ctx_of(teams=teams, people=people), at_stage("exploring"))
    assert result.current == "decentralized"
    assert placement(ctx_of(teams=teams, people=people)).leaders == ("cto",)


def test_central_core_plus_embedded_units_is_hybrid() -> None:
    people = [person("a", "ml", "ml_engineer"), person("b", "shop", "data_scientist")]
    assert current(people=people) == "hybrid"


def test_ml_team_nested_in_a_product_team_counts_as_embedded() -> None:
    teams = [{"id": "shop", "kind": "product"}, {"id": "shop-ml", "kind": "ml", "parent": "shop"}]
    ctx = ctx_of(teams=teams, people=[person("a", "shop-ml", "data_scientist")])
    assert structure.analyze(ctx, at_stage("exploring")).current == "decentralized"


def test_staffing_aggregates_are_placed_like_people() -> None:
    teams = [{**TEAMS[0], "staffing": {"data_scientist": 20}}, {**TEAMS[1], "staffing": {"ml_engineer": 1}}]
    result = structure.analyze(ctx_of(teams=teams), at_stage("building"))
    assert result.current == "hybrid"
    assert "20 ML staff" in result.rationale[0] and "(1 ML staff)" in result.rationale[0]


def test_design_not_headcount_share_decides_hybrid() -> None:
    """A central AI team of 95 beside a 21-person pricing team in a business unit is hybrid, not centralized."""
    teams = [
        {"id": "ai", "kind": "ml", "staffing": {"data_scientist": 95}},
        {"id": "retail", "kind": "business"},
        {"id": "pricing", "kind": "ml", "parent": "retail", "staffing": {"data_scientist": 21}},
    ]
    assert structure.analyze(ctx_of(teams=teams), at_stage("scaling")).current == "hybrid"


@pytest.mark.parametrize(
    ("headcount", "focus", "stage", "expected"),
    [
        (30, "implementation", "building", "decentralized"),
        (30, "research", "building", "centralized"),
        (30, "both", "scaling", "decentralized"),
        (300, "implementation", "building", "decentralized"),
        (300, "research", "building", "centralized"),
        (300, "both", "building", "hybrid"),
        (300, "implementation", "exploring", "decentralized"),
        (300, "implementation", "scaling", "hybrid"),
        (5000, "implementation", "building", "hybrid"),
        (5000, "both", "advanced", "hybrid"),
        (5000, "research", "scaling", "centralized"),
        (5000, "implementation", "getting_started", "hybrid"),  # size first: an enterprise combines both
    ],
)
def test_recommendation_by_size_focus_and_stage(headcount: int, focus: str, stage: str, expected: str) -> None:
    ctx = ctx_of(organization={"headcount": headcount, "ml_focus": focus})
    result = structure.analyze(ctx, at_stage(stage))
    assert result.recommended == expected
    assert not result.focus_assumed
    assert any(f"Recommended {expected}" in r for r in result.rationale)


def test_size_thresholds_move_the_recommendation() -> None:
    ctx = ctx_of({"small_org_headcount": 100}, organization={"headcount": 80, "ml_focus": "both"})
    assert structure.analyze(ctx, at_stage("building")).recommended == "decentralized"
    ctx = ctx_of(organization={"headcount": 80, "ml_focus": "both"})
    assert structure.analyze(ctx, at_stage("building")).recommended == "hybrid"


def test_unknown_focus_is_read_as_implementation_and_said_so() -> None:
    result = structure.analyze(ctx_of(organization={"headcount": 300}), at_stage("building"))
    assert result.focus_assumed and result.focus == "implementation"
    assert any("not given" in r for r in result.rationale)
    assert result.confidence < 1


def test_weak_points_and_mitigations_of_the_recommended_structure() -> None:
    people = [person("a", "ml", "ml_engineer"), person("b", "ml", "data_scientist")]
    ctx = ctx_of(
        organization={"ml_focus": "implementation"},
        strategy={"ml_leader_in_leadership": True},
        teams=TEAMS,
        people=people,
        forums=[{"id": "f", "kind": "integration_point", "teams": ["ml", "shop"]}],
        practices={"idea_intake": False},
    )
    result = structure.analyze(ctx, at_stage("exploring"))
    assert result.recommended == "decentralized"
    assert {w.id for w in result.weak_points} >= {"lone_ml_hire", "divergent_choices"}
    state = {m.id: m.in_place for m in result.mitigations}
    assert state["integration_point"] is True
    assert state["ml_community"] is False  # forums listed, none a community of practice
    assert state["idea_intake"] is False
    assert state["prioritization"] is None  # not stated: unknown, not false
    assert state["reporting_vs_seating"] is False  # everyone sits in the ML team
    assert "leadership_seat" not in state  # not a decentralized weak point
    assert all(m.evidence for m in result.mitigations if m.in_place is not None)


def test_forums_not_given_leave_forum_mitigations_unknown() -> None:
    ctx = ctx_of(teams=TEAMS, people=[person("a", "ml", "ml_engineer")])
    state = {m.id: m.in_place for m in structure.analyze(ctx, at_stage("exploring")).mitigations}
    assert state["integration_point"] is None and state["ml_community"] is None


@pytest.mark.parametrize(
    ("platform", "people", "in_place"),
    [
        ({"kind": "platform", "staffing": {"sre_ml": 2}}, [], True),  # ML staff: an ML platform
        ({"kind": "data", "function": "platform"}, [], True),  # said to be one
        ({"kind": "platform"}, [], None),  # people not given: general infrastructure or ML? unknown
        ({"kind": "ml"}, [], None),  # an ML team whose function is not given may be the platform
        ({"kind": "platform", "people_list": "complete"}, [person("s", "infra", "sre")], False),  # general SREs
    ],
)
def test_a_platform_team_is_an_ml_platform_only_with_ml_staff_or_the_function(
    platform: dict[str, Any], people: list[dict[str, Any]], in_place: bool | None
) -> None:
    teams = [*TEAMS, {"id": "infra", **platform}]
    ctx = ctx_of(
        organization={"ml_focus": "implementation"}, teams=teams, people=[person("a", "shop", "ml_engineer"), *people]
    )
    state = {m.id: m for m in structure.analyze(ctx, at_stage("building")).mitigations}
    assert state["platform_team"].in_place is in_place


def test_divergent_tools_are_not_shared_tooling() -> None:
    teams = [
        {**TEAMS[0], "tools": {"experiment_tracking": "mlflow"}},
        {**TEAMS[1], "tools": {"experiment_tracking": "wandb"}},
        TEAMS[2],
    ]
    ctx = ctx_of(organization={"ml_focus": "implementation"}, teams=teams, people=[person("a", "shop", "ml_engineer")])
    state = {m.id: m for m in structure.analyze(ctx, at_stage("building")).mitigations}
    assert state["shared_tooling"].in_place is False
    assert {e.value for e in state["shared_tooling"].evidence} == {"mlflow", "wandb"}


def test_reporting_chains_are_walked_once_each() -> None:
    # A long management chain: every embedded person below a central lead reports centrally.
    people = [person("head", "ml", "head_of_data_science")]
    people += [
        person(f"m{i}", "shop", "product_engineer", reports_to=("head" if i == 0 else f"m{i - 1}")) for i in range(300)
    ]
    people += [person(f"d{i}", "shop", "data_scientist", reports_to=f"m{i}") for i in range(300)]
    p = placement(ctx_of(teams=TEAMS, people=people))
    assert p.dotted == 300 and p.embedded_named == 300


def test_yarnit_is_centralized_and_should_embed() -> None:
    spec = mlorg.load_spec(EXAMPLE)
    ctx = AnalysisContext(spec, SpecIndex(spec), Thresholds())
    result = structure.analyze(ctx, at_stage("exploring"))
    assert result.current == "centralized"  # maya and tomas both sit in recs, an ML team
    # 180 people is a mid-sized organization; implementation focus; first pod should sit with the product.
    assert result.size_band == "mid" and result.focus == "implementation"
    assert result.recommended == "decentralized"
    assert result.weak_points and result.mitigations
    assert any(m.in_place is False for m in result.mitigations)
