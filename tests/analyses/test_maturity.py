"""Maturity: the gated ladder reaches each stage on its evidence, and no further."""

from __future__ import annotations

from typing import Any

import pytest
from org_builder import ctx_of, person

import mlorg
from conftest import EXAMPLE
from mlorg.analyses import maturity
from mlorg.analyses.context import AnalysisContext
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex

SCALING_TOOLS = ["experiment_tracking", "data_catalog", "pipeline_orchestration", "model_monitoring"]
ADVANCED_TOOLS = [*SCALING_TOOLS, "feature_store", "metadata_orchestration", "unified_training_infra"]


def ladder(stage: str) -> dict[str, Any]:
    """A spec that has everything up to ``stage`` and nothing beyond."""
    spec: dict[str, Any] = {
        "strategy": {"written": True},
        "practices": {"data_audit_done": True},
        "initiatives": [{"id": "first", "first_project": True}],
        "teams": [{"id": "ml", "kind": "ml"}, {"id": "shop", "kind": "product"}, {"id": "app", "kind": "product"}],
        "people": [person("pm", "shop", "product_manager", ml_experience="experienced")],
    }
    if stage == "getting_started":
        return spec
    spec["people"] += [person("eng", "ml", "ml_engineer"), person("sci", "ml", "data_scientist")]
    if stage == "exploring":
        return spec
    spec["models"] = [{"id": "m0", "status": "production", "built_by": "ml"}]
    spec["practices"] |= {"repeatable_process": True, "methodology": "kanban"}
    spec["people"] += [person("de", "ml", "data_engineer"), person("arch", "ml", "ml_architect")]
    if stage == "building":
        return spec
    spec["people"] += [  # a pod is a few ML people, not a lone hire: two per product team
        person("s2", "shop", "data_scientist"),
        person("e2", "shop", "ml_engineer"),
        person("s3", "app", "data_scientist"),
        person("e3", "app", "ml_engineer"),
    ]
    spec["practices"]["tooling"] = SCALING_TOOLS
    if stage == "scaling":
        return spec
    spec["models"] = [{"id": f"m{i}", "status": "production", "built_by": "ml"} for i in range(10)]
    spec["people"] += [
        person("le", "ml", "lead_engineer"),
        person("lpm", "ml", "lead_product_manager"),
        person("hds", "ml", "head_of_data_science"),
    ]
    spec["practices"]["tooling"] = ADVANCED_TOOLS
    return spec


@pytest.mark.parametrize("stage", ["getting_started", "exploring", "building", "scaling", "advanced"])
def test_each_stage_is_reachable_on_its_evidence(stage: str) -> None:
    result = maturity.analyze(ctx_of(**ladder(stage)))
    assert result.stage == stage
    order = ["getting_started", "exploring", "building", "scaling", "advanced"]
    assert result.next_stage == (order[order.index(stage) + 1] if stage != "advanced" else None)


def test_ladder_is_gated_a_higher_rung_does_not_count_without_the_lower() -> None:
    spec = ladder("advanced")
    spec["people"] = [p for p in spec["people"] if p["id"] not in ("eng", "sci", "s2", "s3")]
    spec["initiatives"] = []
    spec["models"] = [{"id": "m0", "status": "idea"}]
    assert maturity.analyze(ctx_of(**spec)).stage == "getting_started"


def test_missing_lists_the_next_entry_checks_and_open_earlier_work() -> None:
    spec = ladder("exploring")
    spec["practices"] = {"data_audit_done": False}
    result = maturity.analyze(ctx_of(**spec))
    assert result.stage == "exploring"
    ids = [c.id for c in result.checks if c.status != "met"]
    assert ids[0] == "data_audit"  # carried over from getting_started, listed first
    assert {"model_in_production", "specialised_hires"} <= set(ids)
    assert any("Audit your data" in m for m in result.missing)


def test_unknown_checks_are_listed_and_lower_confidence() -> None:
    known = maturity.analyze(ctx_of(**ladder("exploring")))
    spec = ladder("exploring")
    del spec["strategy"]
    unknown = maturity.analyze(ctx_of(**spec))
    assert unknown.stage == "exploring"
    assert "strategy.written" in unknown.unknown
    assert any(m.endswith("(unknown: strategy.written)") for m in unknown.missing)
    assert unknown.confidence < known.confidence


def test_one_unknown_entry_check_is_not_a_wall() -> None:
    """Most of building's evidence is there: the estimate climbs, proof stops, and the gap is named."""
    spec = ladder("building")
    del spec["practices"]["repeatable_process"]
    result = maturity.analyze(ctx_of(**spec))
    assert (result.stage, result.proven) == ("building", "exploring")
    check = next(c for c in result.checks if c.id == "repeatable_process")
    assert check.status == "unknown" and check.unknown_path == "practices.repeatable_process"
    assert [s.path for s in result.to_settle if s.stage == "building"] == ["practices.repeatable_process"]


def test_an_unmet_entry_check_still_blocks() -> None:
    spec = ladder("building")
    spec["practices"]["repeatable_process"] = False
    result = maturity.analyze(ctx_of(**spec))
    assert result.stage == result.proven == result.possible == "exploring"


def test_tooling_is_judged_as_a_group_and_advanced_tooling_implies_scaling_tooling() -> None:
    from mlorg.analyses.maturity import CheckResult
    from mlorg.analyses.maturity import ladder as read_ladder

    def check(cid: str, stage: str, status: str) -> CheckResult:
        return CheckResult(id=cid, stage=stage, kind="entry", text=cid, status=status, source="georgian-maturity")

    met = {s: [] for s in ("getting_started", "exploring", "building", "scaling", "advanced")}
    met["exploring"] = [check("first_ml_hires", "exploring", "met")]
    met["building"] = [check("model_in_production", "building", "met")]
    met["scaling"] = [
        check("ml_pods", "scaling", "met"),
        check("data_catalog", "scaling", "unmet"),
        check("pipeline_orchestration", "scaling", "unmet"),
        check("model_monitoring", "scaling", "met"),
    ]
    met["advanced"] = [
        check("many_models", "advanced", "met"),
        check("feature_store", "advanced", "met"),
        check("metadata_orchestration", "advanced", "met"),
        check("unified_training_infra", "advanced", "unmet"),
    ]
    estimate, _proven, possible, gates = read_ladder(met, 0.5)  # type: ignore[arg-type]
    assert gates["advanced"] == ["met", "met"]  # many_models, and the tooling group (two of three)
    assert gates["scaling"] == ["met", "met"]  # pods, and the scaling tooling implied by advanced tooling
    assert (estimate, possible) == (4, 4)


def test_empty_spec_is_getting_started_with_unknowns() -> None:
    result = maturity.analyze(ctx_of())
    assert result.stage == "getting_started"
    assert result.confidence < 0.5
    assert "people" in result.unknown


def test_aggregate_staffing_counts_like_named_people() -> None:
    spec = ladder("getting_started")
    spec["teams"][0]["staffing"] = {"ml_engineer": 3, "data_scientist": 2}
    assert maturity.analyze(ctx_of(**spec)).stage == "exploring"


def test_thresholds_move_the_stage() -> None:
    spec = ladder("building")
    # left: one specialist, the dedicated product manager with ML experience; every team listed whole
    spec["people"] = [p for p in spec["people"] if p["id"] not in ("arch", "de")]
    for team in spec["teams"]:
        team["people_list"] = "complete"
    spec["organization"] = {"headcount": len(spec["people"])}  # and nobody works outside the teams listed
    assert maturity.analyze(ctx_of(**spec)).stage == "exploring"
    assert maturity.analyze(ctx_of({"building_specialised_roles": 1}, **spec)).stage == "building"


def yarnit() -> AnalysisContext:
    spec = mlorg.load_spec(EXAMPLE)
    return AnalysisContext(spec, SpecIndex(spec), Thresholds())


def test_yarnit_is_exploring_with_a_non_empty_checklist() -> None:
    result = maturity.analyze(yarnit())
    # First ML hires (maya, tomas) and a model in production prove exploring; the data audit
    # (getting-started work) is not done, which the framework treats as open work, not a demotion.
    assert result.stage == "exploring"
    assert result.next_stage == "building"
    assert result.missing
    status = {c.id: c.status for c in result.checks}
    assert status["data_audit"] == "unmet"
    assert status["first_ml_hires"] == status["first_project"] == "met"
    # data engineers, architects and QA are not ML roles: the people list is a sample, so unknown
    assert status["specialised_hires"] == "unknown"
    assert status["repeatable_process"] == "unknown"
    assert {e.path for e in result.evidence} >= {"models[0].status", "strategy.written"}
