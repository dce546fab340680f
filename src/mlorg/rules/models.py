"""Rules about how models are run: handoffs, ownership, drift escalation and the KPIs they answer to.

They read the model operations analysis (``analyses.model_ops``), so each model is looked at once.
Operational rules judge models in production; a model whose status is unknown raises a question.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules import _trusted as trusted
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule


def _status_question(ctx: RuleContext, model: str) -> Question:
    return Question(
        ctx.index.path("models", model, "status"),
        f"Is model '{model}' an idea, in development, in production or retired?",
    )


@rule(
    "handoff-to-it",
    severity="high",
    source="tecton-embedded",
    summary="A model is built by one team and run by another that has no ML skills.",
    flags=(
        "A model whose `operated_by` team differs from its `built_by` team and has no ML people "
        "(no ML roles among its named people or `staffing`, and it is not an ML or research team)."
    ),
    why=(
        "Whoever builds a model knows what its data must look like; a team without ML skills that "
        "inherits it cannot tell a broken pipeline from drift, and rarely has a way back to the builders, "
        "who have moved on. Models thrown over the wall to IT tend to decay quietly."
    ),
    example="""
teams:
  - {id: ds, kind: ml}
  - {id: ops, kind: it_ops, staffing: {sre: 3}}
models:
  - {id: churn, status: production, built_by: ds, operated_by: ops}
""",
    remedy=(
        "Let the team that builds the model run it, or put ML skills (an embedded data scientist or an "
        "SRE for ML) into the running team, with a documented way to call the builders back."
    ),
)
def handoff_to_it(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for ops in ctx.analyses.model_ops.models:
        if ops.status == "retired":
            continue
        if ops.operated_by is None:
            if ops.status == "production":
                yield Question(path("models", ops.model, "operated_by"), f"Which team runs model '{ops.model}'?")
            continue
        if ops.built_by is None or ops.built_by == ops.operated_by:
            continue
        if ops.handed_off is None:
            yield Question(
                path("teams", ops.operated_by, "staffing"),
                f"Does team '{ops.operated_by}', which runs model '{ops.model}', have anyone with ML skills?",
            )
        elif ops.handed_off:
            yield Hit(
                f"model:{ops.model}",
                f"Model '{ops.model}' is built by '{ops.built_by}' but run by '{ops.operated_by}', "
                "a team with no ML skills.",
                (
                    trusted.evidence(path("models", ops.model, "built_by"), ops.built_by),
                    trusted.evidence(path("models", ops.model, "operated_by"), ops.operated_by),
                    trusted.noted(
                        path("teams", ops.operated_by, "kind"),
                        ctx.index.teams[ops.operated_by].kind,
                        "no ML roles among its people or staffing",
                    ),
                ),
            )


@rule(
    "model-without-owner",
    severity="high",
    source="tecton-embedded",
    summary="A model in production has nobody accountable for it.",
    flags="A production model whose `owner` or `operated_by` is set explicitly to null.",
    why=(
        "When a model misbehaves someone has to decide, fast, whether to roll it back, retrain it or live "
        "with it. Without a named owner that decision waits until the damage is visible to customers."
    ),
    example="""
teams:
  - {id: recs, kind: ml}
models:
  - {id: ranker, status: production, built_by: recs, owner: null}
""",
    remedy=(
        "Name an accountable owner for every production model, ideally in the product team whose KPI it "
        "moves, and record it in the model registry."
    ),
)
def model_without_owner(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for ops in ctx.analyses.model_ops.models:
        if ops.status is None:
            yield _status_question(ctx, ops.model)
            continue
        if ops.status != "production":
            continue
        model = ctx.index.models[ops.model]
        nobody_runs = "operated_by" in model.model_fields_set and model.operated_by is None
        if ops.owner_declared_none or nobody_runs:
            missing = [f for f, gone in (("owner", ops.owner_declared_none), ("operated_by", nobody_runs)) if gone]
            yield Hit(
                f"model:{ops.model}",
                f"Model '{ops.model}' is in production with no {' and no '.join(missing)}.",
                tuple(trusted.evidence(path("models", ops.model, f)) for f in missing),
            )
        elif ops.owner is None:
            yield Question(path("models", ops.model, "owner"), f"Who is accountable for model '{ops.model}'?")


@rule(
    "no-drift-escalation",
    severity="high",
    source="tecton-embedded",
    summary="Drift or quality loss in a production model would go unnoticed, or has nobody able to act on it.",
    flags=(
        "A production model that monitors neither `drift` nor `quality`, whose `escalation` is explicitly "
        "null, or whose escalation target has no ML skills."
    ),
    why=(
        "Every model degrades as the world moves away from its training data. Debugging that needs people "
        "who understand the model and its data; unless someone watches for it and a path leads back to "
        "them, the loss shows up first in the business numbers."
    ),
    example="""
teams:
  - {id: recs, kind: ml}
models:
  - {id: ranker, status: production, built_by: recs, operated_by: recs, monitoring: [latency]}
""",
    remedy=(
        "Monitor drift and prediction quality for every production model and route alerts to a team or "
        "person who can debug the model, with the path written into the on-call runbook."
    ),
)
def no_drift_escalation(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for ops in ctx.analyses.model_ops.models:
        if ops.status != "production":
            continue
        reasons: list[str] = []
        evidence: list[Evidence] = []
        if ops.watches_drift is False:
            reasons.append(f"it monitors only {', '.join(ops.monitoring or ()) or 'nothing'}, not drift or quality")
            evidence.append(trusted.evidence(path("models", ops.model, "monitoring"), list(ops.monitoring or ())))
        if ops.escalation_declared_none:
            reasons.append("nobody is named to escalate to")
            evidence.append(trusted.evidence(path("models", ops.model, "escalation")))
        elif ops.escalation is not None and ops.escalation_ml_skills is False:
            reasons.append(f"problems escalate to '{ops.escalation}', who has no ML skills")
            evidence.append(trusted.evidence(path("models", ops.model, "escalation"), ops.escalation))
        elif ops.escalation is None and reasons:
            reasons.append("no escalation target is stated")
            evidence.append(trusted.noted(path("models", ops.model, "escalation"), None, "not stated"))
        if reasons:
            yield Hit(
                f"model:{ops.model}",
                f"Drift in model '{ops.model}' would not reach anyone who can fix it: {'; '.join(reasons)}.",
                tuple(evidence),
            )
            continue
        if ops.monitoring is None:
            yield Question(path("models", ops.model, "monitoring"), f"What is monitored for model '{ops.model}'?")
        if ops.escalation is None:
            yield Question(
                path("models", ops.model, "escalation"),
                f"Who does a drift or quality problem in model '{ops.model}' escalate to?",
            )
        elif ops.escalation_ml_skills is None:
            yield Question(
                path("models", ops.model, "escalation"),
                f"Does '{ops.escalation}', where problems with model '{ops.model}' escalate, have ML skills?",
            )


@rule(
    "model-kpi-misaligned",
    severity="medium",
    source="tecton-embedded",
    summary="A model is judged on model metrics, not on the product and business KPIs it should move.",
    flags="A model in production or development whose `kpi` is `model` or `none`.",
    why=(
        "Accuracy and similar model scores only loosely follow what the business wants. A team measured on "
        "them can improve the number while engagement or sales stay flat, and nobody notices the gap."
    ),
    example="""
teams:
  - {id: recs, kind: ml}
models:
  - {id: ranker, status: production, built_by: recs, kpi: model}
""",
    remedy=(
        "Judge the model, and the team that builds it, on the same product KPI as the product team it serves "
        "(engagement, sales, cost); keep model metrics as diagnostics."
    ),
)
def model_kpi_misaligned(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for ops in ctx.analyses.model_ops.models:
        if ops.status not in ("production", "development"):
            continue
        if ops.kpi is None:
            if ops.status == "production":
                yield Question(
                    path("models", ops.model, "kpi"),
                    f"Is model '{ops.model}' judged on business KPIs or on model metrics?",
                )
        elif ops.kpi_on_product is False:
            judged = "model metrics" if ops.kpi == "model" else "no KPI at all"
            yield Hit(
                f"model:{ops.model}",
                f"Model '{ops.model}' is judged on {judged}, not on a product or business KPI.",
                (trusted.evidence(path("models", ops.model, "kpi"), ops.kpi),),
            )
