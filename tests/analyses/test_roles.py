"""Roles: coverage of the six functions, the experienced/learning split and the ordered hiring plan."""

from __future__ import annotations

from typing import Any

from org_builder import at_stage, ctx_of, person

import mlorg
from conftest import EXAMPLE
from mlorg.analyses import maturity, roles
from mlorg.analyses.context import AnalysisContext
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

TEAMS = [{"id": "lead", "kind": "leadership"}, {"id": "ml", "kind": "ml"}, {"id": "shop", "kind": "product"}]


def plan(stage: str, people: list[dict[str, Any]], **sections: Any) -> list[str]:
    ctx = ctx_of(teams=TEAMS, people=people, **sections)
    return [h.id for h in roles.analyze(ctx, at_stage(stage)).hiring_plan]


def test_first_hires_come_in_the_framework_order() -> None:
    result = roles.analyze(
        ctx_of(teams=TEAMS, people=[person("ceo", "lead", "executive")]), at_stage("getting_started")
    )
    ids = [h.id for h in result.hiring_plan]
    assert ids[:3] == ["ml_product_manager", "ml_scientist", "ml_engineer"]
    assert "data_engineer" not in ids  # a building-stage hire, beyond the horizon
    pm, scientist, engineer = result.hiring_plan[:3]
    assert pm.experienced and scientist.experienced and not engineer.experienced
    assert pm.role == "product_manager" and scientist.role == "data_scientist"
    assert all(h.reason and h.sourcing and h.source for h in result.hiring_plan)


def test_covered_roles_are_skipped_and_the_next_stage_hires_follow() -> None:
    people = [
        person("pm", "ml", "product_manager", ml_experience="experienced"),
        person("sci", "ml", "data_scientist", ml_experience="experienced"),
        person("eng", "ml", "ml_engineer", ml_experience="learning"),
        person("de", "ml", "data_engineer"),
        person("pe", "shop", "product_engineer"),
        person("ba", "shop", "business_analyst"),
    ]
    big = {"headcount": 500}  # a small organization's ML engineer would hold the SRE-for-ML function too
    assert plan("exploring", people, organization=big) == [
        "more_data_scientists",
        "ml_architect",
        "qa_engineer",
        "sre_for_ml",
    ]


def test_hires_never_made_are_carried_into_later_stages() -> None:
    people = [person("sci", "ml", "data_scientist", ml_experience="experienced"), person("e", "ml", "ml_engineer")]
    ids = plan("scaling", people, organization={"headcount": 500})
    assert ids[0] == "ml_product_manager"
    assert ids.index("qa_engineer") < ids.index("sre_for_ml")
    # the advanced stage's leads wait until the hires of the stages up to scaling are made
    assert "lead_engineer" not in ids and "head_of_data_science" not in ids


def test_next_stage_hires_join_once_the_current_ones_are_made() -> None:
    people = [
        person("pm", "shop", "product_manager", ml_experience="experienced"),
        person("sci", "ml", "data_scientist", ml_experience="experienced"),
        person("e", "ml", "ml_engineer", ml_experience="experienced"),
    ]
    ids = plan("exploring", people)
    assert ids and ids[0] == "data_engineer"  # exploring's hires are made: building's come next


def test_a_learning_scientist_still_calls_for_an_experienced_one() -> None:
    people = [person("sci", "ml", "data_scientist", ml_experience="learning")]
    ids = plan("exploring", people)
    assert "ml_scientist" in ids
    people.append(person("x", "ml", "ml_engineer", ml_experience="experienced"))
    people.append(person("y", "ml", "ml_architect", ml_experience="experienced"))
    assert "ml_scientist" not in plan("exploring", people)  # enough experienced practitioners already


def test_scientists_whose_experience_is_not_given_are_confirmed_not_hired() -> None:
    """Unknown is not "no": five scientists counted with no word on their experience may include the two
    experienced practitioners needed. Only a stated count (here 0) proves the gap."""

    def scientist(experienced_ml: int | None) -> roles.Hire:
        team: dict[str, Any] = {"id": "ds", "kind": "data", "staffing": {"data_scientist": 5}}
        if experienced_ml is not None:
            team["experienced_ml"] = experienced_ml
        ctx = ctx_of(organization={"headcount": 400}, teams=[{"id": "lead", "kind": "leadership"}, team])
        return next(h for h in roles.analyze(ctx, at_stage("building")).hiring_plan if h.id == "ml_scientist")

    unknown = scientist(None)
    assert unknown.status == "confirm"
    assert unknown.reason.startswith(
        "The organization counts 0 of the 2 experienced ML practitioners it needs, but whether 5 of its ML staff "
        "are experienced is not given. Say who is (`ml_experience` on a person, `experienced_ml` on a team) and "
        "confirm before hiring. "
    )
    stated = scientist(0)
    assert stated.status == "hire"
    assert stated.reason.startswith(
        "The organization has 0 of the 2 experienced ML practitioners it needs (the scientists listed: 5). "
    )
    # a team's count of experienced staff says the rest are learning: one of two is a proven gap
    one = scientist(1)
    assert one.status == "hire" and one.reason.startswith("The organization has 1 of the 2 experienced")


def test_small_orgs_count_combined_roles_larger_ones_do_not() -> None:
    people = [person("a", "ml", "ml_engineer", "sre_ml"), person("ceo", "lead", "executive")]
    small = roles.analyze(ctx_of(teams=TEAMS, people=people), at_stage("exploring")).coverage
    assert small["sre_ml"].status == "covered"
    assert small["business_analyst"].status == "combined"  # the executive stands in
    big = roles.analyze(ctx_of(organization={"headcount": 500}, teams=TEAMS, people=people), at_stage("exploring"))
    assert big.coverage["sre_ml"].status == "combined"
    assert big.coverage["business_analyst"].status == "unknown"  # other people are a sample: not listed, not missing
    assert not big.small_org


def test_a_small_organizations_ml_engineer_holds_the_sre_for_ml_function() -> None:
    """rml-ch13: in a smaller organization the functions combine; whoever builds and runs the models holds
    their reliability too, so a 40-person startup is not told to hire an SRE for ML. A larger one is."""
    people = [person("sci", "ml", "data_scientist", ml_experience="experienced"), person("e", "ml", "ml_engineer")]
    small = roles.analyze(ctx_of(teams=TEAMS, people=people), at_stage("building"))
    assert small.coverage["sre_ml"].status == "combined"
    assert small.coverage["sre_ml"].note == "held by an ML engineer, as small organizations do; make the remit explicit"
    assert "sre_for_ml" not in [h.id for h in small.hiring_plan]
    big = roles.analyze(ctx_of(organization={"headcount": 500}, teams=TEAMS, people=people), at_stage("building"))
    assert big.coverage["sre_ml"].status == "missing"
    assert "sre_for_ml" in [h.id for h in big.hiring_plan]
    counted = [{"id": "ml", "kind": "ml", "staffing": {"ml_engineer": 2}}]
    assert roles.analyze(ctx_of(teams=counted), at_stage("building")).coverage["sre_ml"].status == "combined"


def test_pm_without_ml_experience_is_partial_and_sre_without_ml_is_partial() -> None:
    people = [person("pm", "shop", "product_manager", ml_experience="none"), person("ops", "shop", "sre")]
    cov = roles.analyze(ctx_of(teams=TEAMS, people=people), at_stage("exploring")).coverage
    assert cov["product_manager"].status == "partial"
    assert cov["sre_ml"].status == "partial" and cov["sre_ml"].count == 0


def test_staffing_aggregates_count_toward_coverage_and_partition() -> None:
    teams = [
        {"id": "ml", "kind": "ml", "staffing": {"data_scientist": 10, "ml_engineer": 5}, "experienced_ml": 3},
        {"id": "shop", "kind": "product", "staffing": {"product_manager": 2, "product_engineer": 20}},
    ]
    result = roles.analyze(ctx_of(organization={"headcount": 500}, teams=teams), at_stage("building"))
    assert result.coverage["data_engineer_or_scientist"].count == 10
    assert result.coverage["product_manager"].status == "covered"
    assert result.coverage["product_manager"].note == "ML experience not stated"
    part = result.partition
    assert part is not None and (part.experienced, part.learning, part.gap) == (3, 12, 0)


def test_partition_counts_unstated_experience_as_unknown() -> None:
    people = [person("a", "ml", "ml_engineer"), person("b", "ml", "data_scientist", ml_experience="experienced")]
    part = roles.analyze(ctx_of(teams=TEAMS, people=people), at_stage("exploring")).partition
    assert part is not None
    assert (part.experienced, part.unknown, part.needed_experienced, part.gap) == (1, 1, 2, 1)
    assert part.experienced_people == ("b",)


def test_nobody_described_gives_unknown_coverage_and_the_stage_hires() -> None:
    result = roles.analyze(ctx_of(), at_stage("getting_started"))
    assert {c.status for c in result.coverage.values()} == {"unknown"}
    assert [h.id for h in result.hiring_plan] == ["ml_product_manager", "ml_scientist", "ml_engineer"]


def test_yarnit_hiring_plan_in_order() -> None:
    spec = mlorg.load_spec(EXAMPLE)
    ctx = AnalysisContext(spec, SpecIndex(spec), Thresholds())
    result = roles.analyze(ctx, maturity.analyze(ctx))
    assert [h.role for h in result.hiring_plan] == [
        "product_manager",  # lena has no ML experience
        "data_scientist",  # tomas is learning; only maya is experienced
    ]  # the building stage's hires (architect, QA, SRE for ML) wait until these are made
    assert result.coverage["product_manager"].status == "partial"
    assert result.partition is not None and result.partition.gap == 1
