"""Model operations (tecton-embedded): who built each model, who runs it, and who answers for it.

Per model: the building and running teams and whether the running team has ML skills (a model
handed to a team without them is a handoff to IT), the accountable owner, what is monitored,
where a drift or quality problem escalates and whether that target can debug a model, and
whether the model is judged on product and business KPIs or on model metrics.

A team has ML skills when it is an ML or research team, or has ML people (named, or in its
``staffing`` counts). It lacks them when the spec tells us who is in it and none does ML.
Otherwise we do not know. Linear in models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.fast import build_many, evidence_many, evidence_row
from mlorg.facts import facts_of
from mlorg.facts.staff import person_has_ml_skills
from mlorg.results import Evidence, Result
from mlorg.spec.models import Kpi, Model, ModelStatus, Monitoring

DRIFT_SIGNALS: frozenset[Monitoring] = frozenset({"drift", "quality"})


class ModelOps(Result):
    """How one model is run in production."""

    model: str
    status: ModelStatus | None = None
    built_by: str | None = None
    operated_by: str | None = None
    owner: str | None = None
    owner_declared_none: bool = False
    handed_off: bool | None = None
    running_team_ml_skills: bool | None = None
    monitoring: tuple[Monitoring, ...] | None = None
    watches_drift: bool | None = None
    escalation: str | None = None
    escalation_kind: Literal["team", "person"] | None = None
    escalation_ml_skills: bool | None = None
    escalation_declared_none: bool = False
    kpi: Kpi | None = None
    kpi_on_product: bool | None = None
    evidence: tuple[Evidence, ...] = ()


class ModelOpsResult(Result):
    models: tuple[ModelOps, ...] = ()
    counts: dict[str, int] = Field(default_factory=dict)
    source: str = "tecton-embedded"


def team_ml_skills(ctx: AnalysisContext, team_id: str) -> bool | None:
    """Does this team have ML skills? ``None`` when the spec does not say who is in it."""
    team = ctx.index.teams.get(team_id)
    if team is None:
        return None
    staff = facts_of(ctx.index).staff
    if staff.is_ml_home(team_id) or staff.ml_staff(team_id) > 0 or (team.experienced_ml or 0) > 0:
        return True
    if ctx.index.people_by_team.get(team_id) or team.staffing is not None:
        return False
    if staff.known and staff.complete:  # the ML staff named are all of them, and none sits here
        return False
    return None


def person_ml_skills(ctx: AnalysisContext, person_id: str) -> bool | None:
    person = ctx.index.people.get(person_id)
    return None if person is None else person_has_ml_skills(person)


def analyze(ctx: AnalysisContext) -> ModelOpsResult:
    skills: dict[str, bool | None] = {}  # team id -> team_ml_skills, asked once per team
    rows = [_one(ctx, m, skills) for m in ctx.spec.models]
    # every model's five evidence items and then the models themselves are built at once, not one by one
    # (30,000 objects for 5,000 models); zipping one iterator five times cuts the items back into fives
    items = iter(evidence_many([e for row in rows for e in row["evidence"]]))
    for row, five in zip(rows, zip(items, items, items, items, items, strict=True), strict=True):
        row["evidence"] = five
    ops = tuple(build_many(ModelOps, rows))
    counts = {
        "models": len(ops),
        "in_production": sum(1 for o in ops if o.status == "production"),
        "handed_off": sum(1 for o in ops if o.handed_off is True),
        "watching_drift": sum(1 for o in ops if o.watches_drift is True),
        "with_escalation": sum(1 for o in ops if o.escalation is not None),
        "judged_on_product": sum(1 for o in ops if o.kpi_on_product is True),
    }
    return ModelOpsResult(models=ops, counts=counts)


def _skills(ctx: AnalysisContext, team_id: str, known: dict[str, bool | None]) -> bool | None:
    if team_id in known:
        return known[team_id]
    found = known[team_id] = team_ml_skills(ctx, team_id)
    return found


def _one(ctx: AnalysisContext, m: Model, skills: dict[str, bool | None]) -> dict[str, Any]:
    """The fields of one model's :class:`ModelOps`, its ``evidence`` still as :func:`evidence_row` dicts."""
    running_ml = _skills(ctx, m.operated_by, skills) if m.operated_by else None
    handed_off: bool | None = None
    if m.built_by and m.operated_by:
        handed_off = False if m.built_by == m.operated_by else (None if running_ml is None else not running_ml)

    kind: Literal["team", "person"] | None = None
    esc_ml: bool | None = None
    if m.escalation:
        if m.escalation in ctx.index.teams:
            kind, esc_ml = "team", _skills(ctx, m.escalation, skills)
        elif m.escalation in ctx.index.people:
            kind, esc_ml = "person", person_ml_skills(ctx, m.escalation)

    watches = None if m.monitoring is None else bool(DRIFT_SIGNALS.intersection(m.monitoring))
    on_product = None if m.kpi is None else m.kpi == "business"
    at = ctx.index.path("models", m.id)  # `models[i]`: each evidence path below adds its field
    return {
        "model": m.id,
        "status": m.status,
        "built_by": m.built_by,
        "operated_by": m.operated_by,
        "owner": m.owner,
        # said_none(m, field), the cheaper test first
        "owner_declared_none": m.owner is None and "owner" in m.model_fields_set,
        "handed_off": handed_off,
        "running_team_ml_skills": running_ml,
        "monitoring": m.monitoring,
        "watches_drift": watches,
        "escalation": m.escalation,
        "escalation_kind": kind,
        "escalation_ml_skills": esc_ml,
        "escalation_declared_none": m.escalation is None and "escalation" in m.model_fields_set,
        "kpi": m.kpi,
        "kpi_on_product": on_product,
        "evidence": (
            evidence_row(at + ".built_by", m.built_by),
            evidence_row(at + ".operated_by", m.operated_by),
            evidence_row(at + ".monitoring", m.monitoring),
            evidence_row(at + ".escalation", m.escalation),
            evidence_row(at + ".kpi", m.kpi),
        ),
    }
