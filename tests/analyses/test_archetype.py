"""Archetype: each of the five is reachable, and the three dimensions read the spec."""

from __future__ import annotations

from org_builder import ctx_of, person

import mlorg
from conftest import EXAMPLE
from mlorg.analyses import archetype
from mlorg.analyses.context import AnalysisContext
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

TEAMS = [
    {"id": "leadership", "kind": "leadership"},
    {"id": "eng", "kind": "department", "parent": "leadership"},
    {"id": "ml", "kind": "ml", "parent": "leadership", "function": "business_metrics"},
    {"id": "lab", "kind": "research", "parent": "leadership"},
    {"id": "shop", "kind": "product", "parent": "eng"},
    {"id": "app", "kind": "product", "parent": "eng"},
]
BACKED = {"ml_ambition": "core", "ml_leader_in_leadership": True}


def staff(team: str, n: int, role: str = "data_scientist") -> list[dict[str, object]]:
    return [person(f"{team}-{i}", team, role) for i in range(n)]


def test_nobody_doing_ml_is_nascent() -> None:
    result = archetype.analyze(ctx_of(teams=TEAMS, people=[person("a", "shop", "product_engineer")]))
    assert result.id == "nascent_ad_hoc"


def test_few_unbacked_ml_people_are_ad_hoc() -> None:
    ctx = ctx_of(
        strategy={"ml_ambition": "experimental", "ml_leader_in_leadership": False}, teams=TEAMS, people=staff("ml", 2)
    )
    result = archetype.analyze(ctx)
    assert result.id == "nascent_ad_hoc"
    assert result.confidence > 0.5


def test_research_teams_make_research_and_development() -> None:
    ctx = ctx_of(strategy=BACKED, teams=TEAMS, people=staff("lab", 5, "ml_researcher") + staff("ml", 1))
    assert archetype.analyze(ctx).id == "research_and_development"


def test_ml_in_product_teams_is_product_embedded() -> None:
    ctx = ctx_of(strategy=BACKED, teams=TEAMS, people=staff("shop", 3) + staff("app", 2) + staff("ml", 1))
    assert archetype.analyze(ctx).id == "product_embedded"


def test_central_ml_team_under_leadership_is_an_independent_division() -> None:
    ctx = ctx_of(strategy=BACKED, teams=TEAMS, people=staff("ml", 6) + staff("shop", 1))
    result = archetype.analyze(ctx)
    assert result.id == "independent_ml_division"
    assert result.confidence == 0.75  # ml_focus not given


def test_ambition_everywhere_with_embedded_experts_and_a_division_is_ml_first() -> None:
    ctx = ctx_of(
        organization={"ml_focus": "both"},
        strategy={"ml_ambition": "everywhere", "ml_leader_in_leadership": True},
        teams=TEAMS,
        people=staff("ml", 4) + staff("shop", 2) + staff("app", 2),
    )
    result = archetype.analyze(ctx)
    assert result.id == "ml_first"
    assert result.confidence == 1.0


def test_nascent_threshold_is_a_setting() -> None:
    spec = {"strategy": {"ml_ambition": "experimental"}, "teams": TEAMS, "people": staff("ml", 5)}
    assert archetype.analyze(ctx_of(**spec)).id == "independent_ml_division"  # default: at most 3
    assert archetype.analyze(ctx_of({"nascent_ml_staff_max": 5}, **spec)).id == "nascent_ad_hoc"
    assert archetype.analyze(ctx_of({"nascent_ml_staff_max": 4}, **spec)).id == "independent_ml_division"


def test_dimensions_score_engineering_data_and_model_ownership() -> None:
    ctx = ctx_of(
        organization={"ml_focus": "implementation"},
        teams=[{"id": "ml", "kind": "ml", "own_engineering": True}, {"id": "data", "kind": "data"}],
        people=[person("a", "ml", "ml_engineer"), person("b", "ml", "data_engineer")],
        features=[{"id": "f1", "owner": "ml"}, {"id": "f2", "owner": "data"}],
        models=[
            {"id": "m", "status": "production", "built_by": "ml", "operated_by": "ml", "features": ["f1", "f2"]},
            {"id": "n", "status": "production", "built_by": "ml", "operated_by": "data"},
        ],
    )
    dims = archetype.analyze(ctx).dimensions
    assert dims["engineering_vs_research"].score == 1.0 and dims["engineering_vs_research"].label == "engineering"
    assert dims["data_ownership"].score == 0.75  # half the features owned, and the ML team has a data engineer
    assert dims["model_ownership"].score == 0.5 and dims["model_ownership"].label == "shared"
    assert all(d.evidence for d in dims.values())


def test_dimension_without_any_signal_is_unknown_not_zero() -> None:
    dims = archetype.analyze(ctx_of()).dimensions
    assert set(dims) == {"engineering_vs_research", "data_ownership", "model_ownership"}
    assert all(d.score is None and d.label == "unknown" for d in dims.values())


def test_yarnit_is_ad_hoc_and_runs_its_own_model() -> None:
    spec = mlorg.load_spec(EXAMPLE)
    result = archetype.analyze(AnalysisContext(spec, SpecIndex(spec), Thresholds()))
    assert result.id == "nascent_ad_hoc"  # two ML people, experimental ambition, no ML voice in leadership
    assert result.dimensions["model_ownership"].label == "builders run their models"
    assert result.dimensions["data_ownership"].label == "owned elsewhere"
