"""Data readiness audit and model operations analyses, field by field."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

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
        ("weekly", "monthly", True),
        ("monthly", "weekly", False),
        ("monthly", "quarterly", True),
        ("quarterly", "monthly", False),
        ("quarterly", "quarterly", True),
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


@pytest.mark.parametrize(
    ("refresh", "words"),
    [
        ("realtime", "recomputed continuously as events arrive"),
        ("hourly", "recomputed every hour in batch"),
        ("monthly", "recomputed every month in batch"),
        ("quarterly", "recomputed every quarter in batch"),
    ],
)
def test_bounded_window_follows_settings(refresh: str, words: str) -> None:
    c = ctx(
        "features: [{id: f, transformation: lifetime_aggregate, needed_freshness: realtime}]",
        bounded_window_days=90,
        bounded_window_refresh=refresh,
    )
    (f,) = data_readiness.analyze(c).features
    assert f.alternative == f"the same aggregate over a bounded 90-day window, {words} and served from an online store"


@pytest.mark.parametrize(
    ("field", "text", "minutes"),
    [
        ("window: 15m", "15m", 15),
        ("window: 6h", "6h", 360),
        ("window: 30d", "30d", 30 * 1440),
        ("window: 12w", "12w", 12 * 7 * 1440),
        ("window_days: 7", "7d", 7 * 1440),  # version 1's field, read as days
    ],
)
def test_windows_are_read_in_minutes_including_under_a_day(field: str, text: str, minutes: int) -> None:
    (f,) = data_readiness.analyze(ctx(f"features: [{{id: f, transformation: windowed_aggregate, {field}}}]")).features
    assert (f.window, f.window_minutes) == (text, minutes)


def test_upstream_coordination_is_judged_for_the_team_that_built_the_model() -> None:
    """The modelling team is the one a silent upstream change hurts (rml-ch13), not the team running it."""
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
    assert f.uncoordinated_models == ("a", "b")  # ops meeting web does not help ds; retired models do not count
    assert f.uncoordinated_teams == ("ds",)
    assert f.used_by == ("a", "b")
    by_model = {m.model: m for m in res.models}
    assert by_model["b"].uncoordinated == ("ua",) and by_model["a"].uncoordinated == ("ua",)


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
    # the ML staff named are all of them, so the blank team running `unknown` is known to have none
    assert (u.handed_off, u.running_team_ml_skills) == (True, False)
    assert u.owner_declared_none and u.escalation_declared_none and not h.owner_declared_none


def test_rules_on_the_ops_spec() -> None:
    result = mlorg.assess(mlorg.load_spec_text(HEAD + OPS))
    fired = {(f.rule, f.subject) for f in result.findings}
    assert ("handoff-to-it", "model:handed") in fired
    assert ("no-drift-escalation", "model:handed") in fired  # escalates to a person without ML skills
    assert ("model-kpi-misaligned", "model:handed") in fired
    assert ("model-without-owner", "model:unknown") in fired
    assert ("handoff-to-it", "model:embedded") not in fired
    assert ("handoff-to-it", "model:unknown") in fired  # the ML staff list is complete: blank has none


def test_a_partial_ml_staff_list_asks_instead_of_concluding_a_handoff() -> None:
    result = mlorg.assess(mlorg.load_spec_text(HEAD + OPS + "lists: {people: partial}\n"))
    fired = {(f.rule, f.subject) for f in result.findings}
    assert ("handoff-to-it", "model:unknown") not in fired
    assert "teams[2].staffing" in {q.path for q in result.open_questions}


def test_a_model_without_features_has_unknown_inputs_not_none() -> None:
    """`features` left out: nothing resting on the feature list is concluded; `features: []` means none."""
    body = """
strategy: {business_constraints: [inventory]}
models:
  - {id: unknown, purpose: recommendation, status: production}
  - {id: none, purpose: recommendation, status: production, features: []}
features:
  - {id: ua, sensitivity: quasi_identifier}
  - {id: geo, sensitivity: quasi_identifier}
"""
    by_id = {m.model: m for m in data_readiness.analyze(ctx(body)).models}
    unknown, none = by_id["unknown"], by_id["none"]
    assert (unknown.features, unknown.singles_out, unknown.constraints_missing) == (None, None, ())
    assert unknown.constraints_unknown == ("inventory",)
    assert (none.features, none.singles_out, none.constraints_missing) == ((), False, ("inventory",))
    assert none.constraints_unknown == ()


def test_no_question_about_features_when_the_catalogue_cannot_combine() -> None:
    """One quasi-identifier alone cannot single anyone out, so an unknown feature list is not worth asking."""
    spec = mlorg.load_spec_text(
        HEAD + "models: [{id: m, status: production}]\nfeatures: [{id: ua, sensitivity: quasi_identifier}]\n"
    )
    assert [q.path for q in mlorg.assess(spec).open_questions if q.path == "models[0].features"] == []
    partial = mlorg.load_spec_text(
        HEAD
        + "lists: {features: partial}\nmodels: [{id: m, status: production}]\n"
        + "features: [{id: ua, sensitivity: quasi_identifier}]\n"
    )
    (asked,) = [q for q in mlorg.assess(partial).open_questions if q.path == "models[0].features"]
    assert asked.settles == ("quasi-identifier-combination",)


def test_scoped_constraints_render_in_every_format() -> None:
    from mlorg.render import render

    spec = mlorg.load_spec_text(
        HEAD
        + """
strategy:
  business_constraints: [inventory, {name: margin, models: [price], purposes: [promotion]}]
models:
  - {id: price, purpose: pricing, status: production, features: [stock]}
  - {id: promo, purpose: promotion, status: production}
features:
  - {id: stock, represents: [inventory]}
"""
    )
    result = mlorg.assess(spec)
    assert result.data_readiness.declared_constraints == ("inventory", "margin")
    by_id = {m.model: m for m in result.data_readiness.models}
    assert by_id["price"].constraints_missing == ("margin",)
    assert by_id["promo"].constraints_unknown == ("inventory", "margin")
    assert [(f.rule, f.subject) for f in result.findings if f.rule == "missing-business-constraints"] == [
        ("missing-business-constraints", "model:price")
    ]
    for fmt in ("json", "markdown", "html", "text"):
        assert render(result, fmt)
    assert "unknown (inventory, margin; features not given)" in render(result, "html")


@pytest.mark.parametrize("drop", ["models", "purposes", "both", "features", "purpose"])
def test_deleting_a_scope_or_a_feature_list_never_adds_a_finding(drop: str) -> None:
    """Unknown is not false: a constraint whose scope is deleted, or a model whose features or purpose
    are deleted, gives questions, never a finding the fuller spec did not give."""
    constraint = {"name": "margin", "models": ["price"], "purposes": ["promotion"]}
    model = {"id": "boost", "purpose": "recommendation", "status": "production", "features": ["stock"]}
    if drop in ("models", "purposes"):
        del constraint[drop]
    elif drop == "both":
        del constraint["models"], constraint["purposes"]
    else:
        del model[drop]

    def findings(c: dict[str, Any], m: dict[str, Any]) -> set[tuple[str, str]]:
        data = {
            "version": 2,
            "organization": {"name": "D"},
            "strategy": {"business_constraints": ["inventory", c]},
            "models": [m, {"id": "price", "purpose": "pricing", "status": "production", "features": ["stock"]}],
            "features": [{"id": "velocity"}, {"id": "stock", "represents": ["inventory"]}],
        }
        result = mlorg.assess(mlorg.load_spec_text(yaml.safe_dump(data)))
        return {(f.rule, f.subject) for f in result.findings}

    full = findings(
        {"name": "margin", "models": ["price"], "purposes": ["promotion"]},
        {"id": "boost", "purpose": "recommendation", "status": "production", "features": ["stock"]},
    )
    assert full == {("missing-business-constraints", "model:price")}
    assert findings(constraint, model) <= full
