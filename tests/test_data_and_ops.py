"""Data readiness audit and model operations analyses, field by field."""

from __future__ import annotations

from typing import Any

import pytest

import mlorg
from mlorg.analyses import data_readiness, model_ops
from mlorg.analyses.context import AnalysisContext
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Feature

HEAD = "version: 1\norganization: {name: D}\n"


def ctx(body: str, **thresholds: Any) -> AnalysisContext:
    spec = mlorg.load_spec_text(HEAD + body)
    return AnalysisContext(spec, SpecIndex(spec), Thresholds(**thresholds))


@pytest.mark.parametrize(
    ("have", "need", "ok"),
    [
        ("realtime", "weekly", True),
        ("daily", "daily", True),
        ("daily", "hourly", False),
        ("weekly", "realtime", False),
        (None, "daily", None),
        ("daily", None, None),
    ],
)
def test_freshness_ordering(have: Any, need: Any, ok: bool | None) -> None:
    assert data_readiness.fresh_enough(Feature(id="f", freshness=have, needed_freshness=need)) is ok


@pytest.mark.parametrize(
    ("transformation", "need", "ok"),
    [
        ("lifetime_aggregate", "realtime", False),
        ("lifetime_aggregate", "hourly", False),
        ("lifetime_aggregate", "daily", True),
        ("lifetime_aggregate", None, None),
        ("windowed_aggregate", "realtime", True),
        (None, "realtime", None),
    ],
)
def test_serving_feasibility(transformation: Any, need: Any, ok: bool | None) -> None:
    assert data_readiness.serving_feasible(Feature(id="f", transformation=transformation, needed_freshness=need)) is ok


def test_bounded_window_follows_settings() -> None:
    c = ctx(
        "features: [{id: f, transformation: lifetime_aggregate, needed_freshness: realtime}]",
        bounded_window_days=90,
        bounded_window_refresh="hourly",
    )
    (f,) = data_readiness.analyze(c).features
    assert f.alternative is not None and "90-day window" in f.alternative and "hourly" in f.alternative


def test_upstream_coordination_uses_built_and_operating_teams() -> None:
    body = """
teams: [{id: ds, kind: ml}, {id: ops, kind: platform}, {id: web, kind: design}]
forums: [{id: f1, kind: integration_point, teams: [ops, web]}]
models:
  - {id: a, built_by: ds, operated_by: ops, features: [ua]}
  - {id: b, built_by: ds, features: [ua]}
  - {id: old, built_by: ds, status: retired, features: [ua]}
features: [{id: ua, owner: web}]
"""
    res = data_readiness.analyze(ctx(body))
    (f,) = res.features
    assert f.uncoordinated_models == ("b",)  # a's operating team meets web in f1; retired models do not count
    assert f.uncoordinated_teams == ("ds",)
    assert f.used_by == ("a", "b")
    by_model = {m.model: m for m in res.models}
    assert by_model["b"].uncoordinated == ("ua",) and by_model["a"].uncoordinated == ()


def test_quasi_identifiers_and_constraints_per_model() -> None:
    body = """
strategy: {business_constraints: [margin, inventory]}
models:
  - {id: rec, purpose: recommendation, features: [ua, geo, stock]}
  - {id: fc, purpose: forecasting, features: [ua]}
  - {id: unk, features: [ua, x]}
features:
  - {id: ua, sensitivity: quasi_identifier}
  - {id: geo, sensitivity: quasi_identifier}
  - {id: stock, sensitivity: none, represents: [inventory]}
  - {id: x}
"""
    models = {m.model: m for m in data_readiness.analyze(ctx(body)).models}
    rec = models["rec"]
    assert rec.singles_out is True and rec.quasi_identifiers == ("geo", "ua")
    assert (rec.constraints_covered, rec.constraints_missing) == (("inventory",), ("margin",))
    assert models["fc"].singles_out is False and models["fc"].demand_shaping is False
    assert models["unk"].singles_out is None and models["unk"].demand_shaping is None
    any_mode = data_readiness.analyze(ctx(body, business_constraints_coverage="any"))
    assert {m.model: m for m in any_mode.models}["rec"].constraints_missing == ()


def test_model_readiness_summarises_its_features() -> None:
    body = """
models: [{id: m, features: [ok, late]}, {id: n, features: [ok, unknown]}]
features:
  - {id: ok, in_production: true, freshness: daily, needed_freshness: daily, transformation: raw}
  - {id: late, in_production: true, freshness: weekly, needed_freshness: daily, transformation: raw}
  - {id: unknown}
"""
    res = data_readiness.analyze(ctx(body))
    by_model = {m.model: m for m in res.models}
    assert by_model["m"].ready is False and by_model["m"].stale == ("late",)
    assert by_model["n"].ready is None
    assert res.counts["stale"] == 1


OPS = """
teams:
  - {id: ds, kind: ml}
  - {id: it, kind: it_ops, staffing: {sre: 2}}
  - {id: blank, kind: product}
  - {id: prod, kind: product}
people:
  - {id: ana, team: prod, roles: [data_scientist]}
  - {id: bo, team: it, roles: [sre], ml_experience: none}
models:
  - {id: handed, status: production, built_by: ds, operated_by: it, escalation: bo, monitoring: [drift], kpi: model}
  - {id: embedded, status: production, built_by: ds, operated_by: prod, escalation: ds, kpi: business}
  - {id: unknown, status: production, built_by: ds, operated_by: blank, owner: null, escalation: null}
"""


def test_model_ops_per_model() -> None:
    ops = {o.model: o for o in model_ops.analyze(ctx(OPS)).models}
    h, e, u = ops["handed"], ops["embedded"], ops["unknown"]
    assert (h.handed_off, h.running_team_ml_skills) == (True, False)
    assert (h.escalation_kind, h.escalation_ml_skills) == ("person", False)
    assert (h.watches_drift, h.kpi_on_product) == (True, False)
    assert (e.handed_off, e.running_team_ml_skills, e.escalation_ml_skills) == (False, True, True)
    assert e.watches_drift is None and e.kpi_on_product is True
    assert (u.handed_off, u.running_team_ml_skills) == (None, None)
    assert u.owner_declared_none and u.escalation_declared_none and not h.owner_declared_none


def test_rules_on_the_ops_spec() -> None:
    result = mlorg.assess(mlorg.load_spec_text(HEAD + OPS))
    fired = {(f.rule, f.subject) for f in result.findings}
    assert ("handoff-to-it", "model:handed") in fired
    assert ("no-drift-escalation", "model:handed") in fired  # escalates to a person without ML skills
    assert ("model-kpi-misaligned", "model:handed") in fired
    assert ("model-without-owner", "model:unknown") in fired
    assert ("handoff-to-it", "model:embedded") not in fired
    asked = {q.path for q in result.open_questions}
    assert "teams[2].staffing" in asked  # does the blank team running `unknown` have ML skills?
