"""Section builders for the work: portfolio, data readiness, model operations, change plan, open questions.

One builder per analysis; each is the only code that reads its analysis' result fields.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mlorg.analyses.data_readiness import FeatureReadiness, ModelReadiness
from mlorg.analyses.model_ops import ModelOps
from mlorg.analyses.portfolio import CriterionScore
from mlorg.render import charts
from mlorg.render.report_blocks import (
    CRITERIA_COLUMNS,
    LIST_CAP,
    MATRIX_POINTS,
    Block,
    Bullets,
    Context,
    Facts,
    Figure,
    Note,
    Section,
    Steps,
    StepView,
    T,
    Table,
    first_sentence,
    fmt_score,
    in_place,
    initiative_name,
    pick_note,
    weeks_label,
)
from mlorg.render.words import count, human


def portfolio(ctx: Context) -> Section:
    po = ctx.a.portfolio
    first = po.first_project
    label = "First project" if po.mode == "first" else "Next project"
    facts = [(label, initiative_name(ctx, first) if first else "none chosen")]
    if po.runner_up:
        facts.append(("Runner-up", initiative_name(ctx, po.runner_up)))
    blocks: list[Block] = [Facts(tuple(facts))]
    if po.mode_reason:
        blocks.append(Note(po.mode_reason[:1].upper() + po.mode_reason[1:] + "."))
    if pick_note(ctx):
        blocks.append(Note(pick_note(ctx)))
    if first and po.reasons:
        blocks.append(Bullets(f"Why {initiative_name(ctx, first)}", po.reasons))
    points = matrix_points(ctx)
    if points:
        blocks.append(
            Figure(
                charts.value_cost_matrix(
                    points[:MATRIX_POINTS],
                    value_from=ctx.thresholds.portfolio_high_value_from,
                    cost_from=ctx.thresholds.portfolio_high_cost_from,
                ),
                f"Initiatives by expected value and cost (1 to 5); value {ctx.thresholds.portfolio_high_value_from} "
                f"or more is high, and so is cost {ctx.thresholds.portfolio_high_cost_from} or more. The large red "
                "dot is the pick."
                + (
                    f" Only the first {MATRIX_POINTS} ranked initiatives are placed."
                    if len(points) > MATRIX_POINTS
                    else ""
                ),
                Table(
                    "What each quadrant means",
                    ("Quadrant", "Meaning", "Initiatives"),
                    tuple(
                        (
                            q.name,
                            q.meaning,
                            capped_join([initiative_name(ctx, i) for i in q.initiatives[:LIST_CAP]], len(q.initiatives))
                            or "none",
                        )
                        for q in po.quadrants
                    ),
                )
                if po.quadrants
                else None,
            )
        )
    unplaced = [r for r in po.ranking if r.value is None or r.cost is None]
    if unplaced:
        blocks.append(
            Note(
                f"{count(len(unplaced), 'initiative')} without a value or cost estimate, not on the matrix: "
                + capped_join([r.title or r.initiative for r in unplaced[:LIST_CAP]], len(unplaced))
                + "."
            )
        )
    if po.ranking:
        quadrant_names = {q.id: q.name for q in po.quadrants}
        more = more_note(len(po.ranking), ctx.limits.ranking, "").strip()
        shown = po.ranking[: ctx.limits.ranking]
        blocks.append(
            Table(
                "Ranking",
                ("#", "Initiative", "Points", "Quadrant", "Value", "Cost", "Not stated"),
                tuple(
                    (
                        str(r.rank or i),
                        r.title or ctx.name("initiative", r.initiative),
                        str(r.score),
                        quadrant_names.get(r.quadrant, human(r.quadrant)),
                        fmt_score(r.value),
                        fmt_score(r.cost),
                        ", ".join(human(u) for u in r.unknown),
                    )
                    for i, r in enumerate(shown, 1)
                ),
                more,
            )
        )
        columns = shown[:CRITERIA_COLUMNS]
        criteria = [c.criterion for c in columns[0].criteria]
        if criteria:
            cells = [criterion_cells(r.criteria, criteria) for r in columns]
            blocks.append(
                Table(
                    "Points per criterion",
                    ("Criterion", *(f"{r.rank or i}. {r.title or r.initiative}" for i, r in enumerate(columns, 1))),
                    tuple((human(c), *(col[k] for col in cells)) for k, c in enumerate(criteria)),
                    "Each criterion gives -2 to +2 points; ? means the spec does not say, which counts as 0."
                    + (
                        f" Only the {CRITERIA_COLUMNS} best-ranked initiatives are shown."
                        if len(po.ranking) > CRITERIA_COLUMNS
                        else ""
                    ),
                )
            )
    else:
        blocks.append(Note("No open initiative to rank: list candidate ML projects under `initiatives`."))
    for j in po.judged:
        verdict = (
            "fits the first-project bar"
            if j.fits
            else (
                "misses it on " + ", ".join(human(f) for f in j.failed)
                if j.fits is False
                else "cannot be fully judged: the spec leaves some criteria open"
            )
        )
        blocks.append(
            Bullets(
                f"Chosen first project {initiative_name(ctx, j.initiative)}: {verdict}",
                tuple(f"{in_place(c.ok)}: {human(c.criterion)}, {c.reason}" for c in j.checks),
            )
        )
    if po.not_ranked:
        blocks.append(
            Note(
                "Not ranked (shipped or dropped): "
                + capped_join([initiative_name(ctx, i) for i in po.not_ranked[:LIST_CAP]], len(po.not_ranked))
                + "."
            )
        )
    return Section(
        "portfolio",
        "Portfolio and " + label.lower(),
        ("georgian-maturity", "rml-ch13"),
        tuple(blocks),
        ctx.findings("portfolio"),
    )


def criterion_cells(scores: Sequence[CriterionScore], criteria: Sequence[str]) -> tuple[str, ...]:
    by_name = {c.criterion: c for c in scores}
    out = []
    for name in criteria:
        c = by_name.get(name)
        out.append("" if c is None else (f"{c.points:+d}" if c.known else "?"))
    return tuple(out)


def capped_join(items: Sequence[str], total: int) -> str:
    out = ", ".join(items)
    return out + (f" and {total - len(items)} more" if total > len(items) else "")


def matrix_points(ctx: Context) -> list[charts.MatrixPoint]:
    """Ranked initiatives with both value and cost, in ranking order, the pick marked."""
    po = ctx.a.portfolio
    return [
        charts.MatrixPoint(
            r.initiative,
            r.title or ctx.name("initiative", r.initiative),
            float(r.value),
            float(r.cost),
            r.initiative == po.first_project,
            human(r.quadrant),
        )
        for r in po.ranking
        if r.value is not None and r.cost is not None
    ]


def data_readiness(ctx: Context) -> Section:
    d = ctx.a.data_readiness
    groups = ctx.findings("data_readiness")
    if not d.features and not d.models:
        return Section(
            "data_readiness",
            "Data readiness",
            ("tecton-embedded", "rml-ch13"),
            (Note("The spec lists no features or models to check."),),
            groups,
        )
    n = d.counts
    blocks: list[Block] = [
        Facts(
            (
                ("Features", str(n.get("features", len(d.features)))),
                ("Not in production", str(n.get("unavailable", 0))),
                ("Too stale", str(n.get("stale", 0))),
                ("Not computable at serving time", str(n.get("infeasible", 0))),
                ("From a team the model's team never meets", str(n.get("uncoordinated", 0))),
                ("Models whose inputs are ready", f"{n.get('models_ready', 0)} of {n.get('models', len(d.models))}"),
            )
        ),
        Note(
            "Declared business constraints: "
            + (
                "not stated (`strategy.business_constraints`)."
                if d.declared_constraints is None
                else (", ".join(d.declared_constraints) or "none") + "."
            )
        ),
    ]
    if d.models:
        models = flagged_first(d.models, model_flagged)
        blocks.append(
            Table(
                "Models",
                (
                    "Model",
                    "Inputs servable",
                    "Not in production",
                    "Too stale",
                    "Unbounded",
                    "Uncoordinated",
                    "Can single out a person",
                    "Constraints missing",
                ),
                tuple(
                    (
                        ctx.name("model", m.model),
                        in_place(m.ready),
                        listed(m.unavailable),
                        listed(m.stale),
                        listed(m.infeasible),
                        listed(m.uncoordinated),
                        singles_out(m.singles_out, m.quasi_identifiers + m.identifying),
                        constraints_cell(m),
                    )
                    for m in models[: ctx.limits.rows]
                ),
                more_note(len(models), ctx.limits.rows, "Models with a problem come first."),
            )
        )
    if d.features:
        features = flagged_first(d.features, feature_flagged)
        blocks.append(
            Table(
                "Features",
                ("Feature", "Owner", "Used by", "In production", "Fresh enough", "Servable", "Not told", "Instead"),
                tuple(
                    (
                        ctx.name("feature", f.feature),
                        ctx.name("team", f.owner) if f.owner else "unknown",
                        capped_join(f.used_by[:LIST_CAP], len(f.used_by)),
                        in_place(f.available),
                        in_place(f.fresh_enough),
                        in_place(f.serving_feasible),
                        ", ".join(ctx.name("team", t) for t in f.uncoordinated_teams),
                        f.alternative or "",
                    )
                    for f in features[: ctx.limits.rows]
                ),
                more_note(
                    len(features),
                    ctx.limits.rows,
                    "Features with a problem come first. \u201cNot told\u201d lists teams using the feature that "
                    "share no forum with its owner, so changes upstream reach them unannounced.",
                ),
            )
        )
    return Section("data_readiness", "Data readiness", ("tecton-embedded", "rml-ch13"), tuple(blocks), groups)


def model_flagged(m: ModelReadiness) -> bool:
    return m.ready is False or bool(m.uncoordinated or m.constraints_missing) or m.singles_out is True


def feature_flagged(f: FeatureReadiness) -> bool:
    return False in (f.available, f.fresh_enough, f.serving_feasible) or bool(f.uncoordinated_models)


def flagged_first(items: Sequence[T], flagged: Callable[[T], bool]) -> list[T]:
    """Items with a problem first, each group in the analysis' order (a stable, linear partition)."""
    marks = [flagged(i) for i in items]
    return [i for i, m in zip(items, marks, strict=True) if m] + [i for i, m in zip(items, marks, strict=True) if not m]


def constraints_cell(m: ModelReadiness) -> str:
    """Missing constraints, or "unknown" when the model's features are not given (unknown is not none)."""
    if m.constraints_unknown:
        return f"unknown ({', '.join(m.constraints_unknown)}; features not given)"
    return listed(m.constraints_missing)


def listed(items: Sequence[str]) -> str:
    return ", ".join(items) or "none"


def more_note(total: int, limit: int, note: str) -> str:
    return note + (f" {total - limit:,} more not shown." if total > limit else "")


def singles_out(flag: bool | None, fields: Sequence[str]) -> str:
    if flag is None:
        return "unknown"
    return f"yes: {', '.join(fields)}" if flag else "no"


def model_ops(ctx: Context) -> Section:
    o = ctx.a.model_ops
    groups = ctx.findings("model_ops")
    if not o.models:
        return Section(
            "model_ops",
            "Model operations",
            ("tecton-embedded", "rml-ch13"),
            (Note("The spec lists no models."),),
            groups,
        )
    n = o.counts
    total = n.get("models", len(o.models))
    blocks: list[Block] = [
        Facts(
            (
                ("In production", f"{n.get('in_production', 0)} of {total}"),
                ("Handed off to a team that did not build them", str(n.get("handed_off", 0))),
                ("Watched for drift", str(n.get("watching_drift", 0))),
                ("With an escalation path", str(n.get("with_escalation", 0))),
                ("Judged on a product KPI", str(n.get("judged_on_product", 0))),
            )
        )
    ]
    models = flagged_first(o.models, ops_flagged)
    blocks.append(
        Table(
            "Models",
            ("Model", "Status", "Built by → run by", "Owner", "Monitoring", "Drift watched", "Escalates to", "KPI"),
            tuple(
                (
                    ctx.name("model", m.model),
                    m.status or "unknown",
                    built_and_run(ctx, m),
                    ctx.name("person", m.owner) if m.owner else ("nobody" if m.owner_declared_none else "unknown"),
                    (", ".join(m.monitoring) or "nothing") if m.monitoring is not None else "unknown",
                    in_place(m.watches_drift),
                    escalation(ctx, m),
                    KPI_LABELS.get(m.kpi or "", "unknown"),
                )
                for m in models[: ctx.limits.rows]
            ),
            more_note(len(models), ctx.limits.rows, "Models with a gap come first."),
        )
    )
    return Section("model_ops", "Model operations", ("tecton-embedded", "rml-ch13"), tuple(blocks), groups)


KPI_LABELS = {"business": "product and business KPIs", "model": "model metrics only", "none": "none"}


def ops_flagged(m: ModelOps) -> bool:
    return (
        m.handed_off is True
        or m.watches_drift is False
        or (m.escalation is None and m.status == "production")
        or (m.owner is None and m.status == "production")
    )


def built_and_run(ctx: Context, m: ModelOps) -> str:
    built = ctx.name("team", m.built_by) if m.built_by else "unknown"
    run = ctx.name("team", m.operated_by) if m.operated_by else "unknown"
    out = f"{built} → {run}"
    if m.handed_off:
        out += " (handed off"
        out += ", no ML skills there)" if m.running_team_ml_skills is False else ")"
    return out


def escalation(ctx: Context, m: ModelOps) -> str:
    if m.escalation is None:
        return "nobody" if m.escalation_declared_none else "unknown"
    name = ctx.name(m.escalation_kind or "team", m.escalation)
    return name + (" (no ML skills)" if m.escalation_ml_skills is False else "")


def change_plan(ctx: Context) -> Section:
    cp = ctx.a.change_plan
    blocks: list[Block] = []
    if cp.questions:
        blocks.append(
            Table(
                "Four questions to answer before starting",
                ("Question", "What the spec tells", "Not told"),
                tuple((q.question, "; ".join(q.answers), "; ".join(q.gaps)) for q in cp.questions),
            )
        )
    if cp.steps:
        facts = [("Duration", f"{cp.total_weeks} weeks" + ("" if cp.timescale_from_spec else " (a proposal)"))]
        if cp.communication is not None:
            facts.append(("Progress updates", f"every {cp.communication.cadence_days} days"))
        blocks.append(Facts(tuple(facts)))
        blocks.append(
            Figure(
                charts.change_timeline(
                    [
                        charts.TimelineStep(
                            s.order,
                            s.point,
                            first_sentence(s.change),
                            weeks_label(s.start_week, s.weeks),
                            s.start_week,
                            s.weeks,
                        )
                        for s in cp.steps
                    ],
                    total_weeks=cp.total_weeks,
                ),
                "The change, one Star Model point at a time, in the order to make it; each bar spans the step's "
                "weeks. The steps below say why, what to do and how to tell it is done.",
            )
        )
        blocks.append(
            Steps(
                tuple(
                    StepView(
                        s.order,
                        human(s.point),
                        weeks_label(s.start_week, s.weeks),
                        s.change,
                        s.why,
                        s.actions,
                        s.success_criteria,
                    )
                    for s in cp.steps
                )
            )
        )
    else:
        blocks.append(Note("No change plan steps."))
    if cp.communication is not None:
        blocks.append(Note(f"Communication: {cp.communication.note}."))
    blocks.extend(Note(n) for n in cp.notes)
    return Section("change_plan", "Change plan", ("rml-ch13",), tuple(blocks), ctx.findings("change_plan"))


def other(ctx: Context) -> Section | None:
    groups = ctx.findings("other")
    return Section("other", "Other findings", (), (), groups) if groups else None


def open_questions(ctx: Context) -> Section:
    groups = ctx.questions
    if not groups:
        return Section(
            "open_questions", "Open questions", (), (), (), "None: the spec answers every question the rules ask."
        )
    return Section(
        "open_questions",
        "Open questions",
        (),
        (
            Note("The spec does not say. Answering these settles the rules listed and raises the confidence."),
            Table(
                "",
                ("Spec field", "Question", "Settles"),
                tuple((f"`{g.path}`", g.text(), ", ".join(g.settles)) for g in groups[: ctx.limits.rows]),
                more_note(len(groups), ctx.limits.rows, ""),
            ),
        ),
    )
