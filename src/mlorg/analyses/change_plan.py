"""The sequenced change plan (rml-ch13, after Galbraith's Star Model).

Changing one point of the Star Model on its own rarely sticks, but the points need not move at
once: announce the whole change, then change one point at a time, touching every point that
matters, on a stated timescale with stated success criteria and regular progress updates.

Which points matter: those scoring below ``star_change_below``, those on the weaker side of a
misalignment, and those the findings point at. Order: strategy first when it needs change
(every other point is judged against it); then the rest, weakest first, ties broken by how many
findings point there and then by the order structure, processes, rewards, people.

The plan opens with the four questions a leader should answer before starting, pre-filled with
what the spec tells and flagged where it tells nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.data_readiness import constraint_names
from mlorg.analyses.star_model import StarModelResult
from mlorg.results import SEVERITY_ORDER, Evidence, Finding, Result

Point = Literal["strategy", "structure", "processes", "rewards", "people"]
POINTS: tuple[Point, ...] = ("strategy", "structure", "processes", "rewards", "people")
POINT_OF: dict[str, Point] = {p: p for p in POINTS}
_RULE_SEVERITY = attrgetter("rule", "severity")

# Which Star Model point each rule's finding calls on. Rules about the change itself
# (single-dimension-change, big-bang-communication) shape the plan and point nowhere.
RULE_POINT: dict[str, Point] = {
    "no-written-strategy": "strategy",
    "ml-seen-as-magic": "strategy",
    "no-ml-voice-in-leadership": "strategy",
    "strategy-structure-mismatch": "strategy",
    "no-data-audit": "strategy",
    "first-project-too-critical": "strategy",
    "first-project-too-ambitious": "strategy",
    "brownfield-opposition": "strategy",
    "siloed-ml-team": "structure",
    "no-platform-team": "structure",
    "unclear-team-function": "structure",
    "research-without-production-path": "structure",
    "handoff-to-it": "structure",
    "no-integration-point": "processes",
    "no-prioritization-process": "processes",
    "no-idea-intake": "processes",
    "no-experimentation-budget": "processes",
    "tool-divergence": "processes",
    "model-without-owner": "processes",
    "no-drift-escalation": "processes",
    "feature-unavailable-in-production": "processes",
    "feature-too-stale": "processes",
    "unbounded-aggregate-feature": "processes",
    "quasi-identifier-combination": "processes",
    "uncoordinated-upstream-data": "processes",
    "missing-business-constraints": "processes",
    "model-kpi-misaligned": "rewards",
    "rewards-ignore-reliability": "rewards",
    "ml-learning-not-rewarded": "rewards",
    "isolated-ml-hire": "people",
    "no-ml-community": "people",
    "ml-pm-without-ml-experience": "people",
    "no-experienced-ml": "people",
    "experienced-only-hiring": "people",
    "no-sre-for-ml": "people",
    "rule-oriented-culture": "people",
    "power-oriented-culture": "people",
}

WHAT_CHANGES: dict[Point, str] = {
    "strategy": (
        "Restate what ML is for, which goals come first and what you assume it can do; write it down "
        "and fund the work that follows from it."
    ),
    "structure": (
        "Settle where ML people sit and report, who owns each model end to end, and where ML work meets the business."
    ),
    "processes": (
        "Change how work and decisions flow: intake and prioritisation of ML ideas, the path to production, "
        "coordination with the teams upstream of the data, monitoring and escalation."
    ),
    "rewards": (
        "Recognise what the strategy needs: product outcomes, reliability, fairness and robustness of "
        "models, and staff outside ML learning it."
    ),
    "people": (
        "Hire the one or two experienced ML people you need, let the rest learn on the job, and raise ML "
        "literacy where decisions about it are made."
    ),
}


class LeaderQuestion(Result):
    """One of the four questions, with what the spec already answers and what it leaves open."""

    id: Literal["cares_about", "today", "ease", "duration"]
    question: str
    answers: tuple[str, ...] = ()
    gaps: tuple[str, ...] = Field(default=(), description="What the spec does not tell; flagged for the leader.")
    answered: bool = False
    evidence: tuple[Evidence, ...] = ()


class Step(Result):
    order: int
    point: Literal["announce", "strategy", "structure", "processes", "rewards", "people"]
    change: str
    why: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    addresses: tuple[str, ...] = Field(default=(), description="Rule slugs whose findings this step should clear.")
    success_criteria: tuple[str, ...] = ()
    score: int | None = None
    start_week: int = 0
    weeks: int = 1


class Communication(Result):
    cadence_days: int
    from_spec: bool
    note: str


class ChangePlanResult(Result):
    questions: tuple[LeaderQuestion, ...] = ()
    steps: tuple[Step, ...] = ()
    total_weeks: int = 0
    timescale_from_spec: bool = False
    communication: Communication | None = None
    notes: tuple[str, ...] = ()
    source: str = "rml-ch13"


def analyze(ctx: AnalysisContext, star: StarModelResult, findings: tuple[Finding, ...]) -> ChangePlanResult:
    by_point = _findings_by_point(findings)
    chosen = _points_that_matter(ctx, star, by_point)
    questions = leader_questions(ctx)
    communication = plan_communication(ctx)
    if not chosen:
        return ChangePlanResult(
            questions=questions,
            communication=communication,
            notes=("No Star Model point scores below the bar or draws findings: no change plan is needed.",),
        )
    ordered = _order(star, chosen, by_point)
    weeks = ctx.spec.change.timescale_weeks
    per_step = _split(weeks - 1 if weeks else None, len(ordered), ctx.thresholds.change_step_weeks)
    steps = [_announce(ctx, ordered, weeks, communication)]
    start = 1
    for n, (point, why) in enumerate(ordered, start=2):
        span = per_step[n - 2]
        drawn = by_point.get(point)
        steps.append(_point_step(ctx, n, point, why, star, drawn.remedies if drawn else {}, start, span))
        start += span
    notes = []
    if weeks is None:
        notes.append(
            f"The spec states no timescale (`change.timescale_weeks`); each step is given "
            f"{ctx.thresholds.change_step_weeks} weeks (`change_step_weeks`)."
        )
    return ChangePlanResult(
        questions=questions,
        steps=tuple(steps),
        total_weeks=start,
        timescale_from_spec=weeks is not None,
        communication=communication,
        notes=tuple(notes),
    )


@dataclass
class _Drawn:
    """What the findings pointing at one point tell the plan: how many there are and, for each rule, the
    remedy of its most severe finding (the first one at that level)."""

    count: int = 0
    remedies: dict[str, tuple[int, str]] = field(default_factory=dict)


def _findings_by_point(findings: tuple[Finding, ...]) -> dict[Point, _Drawn]:
    """One pass over the findings, a run of one rule's findings at one severity at a time (sorted
    findings come in such runs): 100,000 findings are read once, in C, instead of once per use."""
    out: dict[Point, _Drawn] = {}
    for (rule, severity), run in groupby(findings, _RULE_SEVERITY):
        point = RULE_POINT.get(rule)
        if point is None:
            continue
        drawn = out.get(point)
        if drawn is None:
            drawn = out[point] = _Drawn()
        group = list(run)
        drawn.count += len(group)
        rank = SEVERITY_ORDER[severity]
        known = drawn.remedies.get(rule)
        if known is None or rank < known[0]:  # the rest of the run ranks the same: the first one's remedy holds
            drawn.remedies[rule] = (rank, group[0].remedy)
    return out


def _points_that_matter(
    ctx: AnalysisContext, star: StarModelResult, by_point: dict[Point, _Drawn]
) -> dict[Point, list[str]]:
    """Each point that needs a step, with the reasons it does."""
    bar = ctx.thresholds.star_change_below
    why: dict[Point, list[str]] = defaultdict(list)
    for p in POINTS:
        score = getattr(star, p).score
        if score < bar:
            why[p].append(f"scores {score} of 5, below {bar}")
    for m in star.misalignments:
        a, b = POINT_OF.get(m.points[0]), POINT_OF.get(m.points[1])
        if a is None or b is None:
            continue
        weaker, other = (a, b) if getattr(star, a).score <= getattr(star, b).score else (b, a)
        why[weaker].append(f"misaligned with {other} (gap {m.gap}): {m.message}")
    for p, drawn in by_point.items():
        why[p].append(f"{drawn.count} finding(s) point here: {', '.join(sorted(drawn.remedies))}")
    return dict(why)


def _order(
    star: StarModelResult, chosen: dict[Point, list[str]], by_point: dict[Point, _Drawn]
) -> list[tuple[Point, list[str]]]:
    rest = [p for p in POINTS if p in chosen and p != "strategy"]
    rest.sort(key=lambda p: (getattr(star, p).score, -(by_point[p].count if p in by_point else 0), POINTS.index(p)))
    out: list[tuple[Point, list[str]]] = []
    if "strategy" in chosen:
        out.append(("strategy", ["strategy goes first: every other point is judged against it", *chosen["strategy"]]))
    for n, p in enumerate(rest):
        lead = "the weakest of the remaining points" if n == 0 else "the next weakest point"
        out.append((p, [lead, *chosen[p]]))
    return out


def _split(total: int | None, n: int, default: int) -> list[int]:
    if total is None:
        return [default] * n
    base, extra = divmod(max(total, n), n)
    return [base + (1 if k < extra else 0) for k in range(n)]


def _announce(
    ctx: AnalysisContext, ordered: list[tuple[Point, list[str]]], weeks: int | None, comm: Communication
) -> Step:
    c = ctx.spec.change
    seq = ", then ".join(p for p, _ in ordered)
    why = [
        "announcing the whole change first, and committing to it in public, wins supporters and "
        "lets people plan for what is coming"
    ]
    if c.announced:
        why.append("already announced (`change.announced`); restate it with the sequence, timescale and criteria")
    criteria = list(c.success_criteria or ())
    if not criteria:
        criteria.append("success criteria to be written: the spec states none (`change.success_criteria`)")
    criteria.append("everyone affected can say what changes, in which order and by when")
    timescale = f"{weeks} weeks" if weeks else "a timescale you state"
    return Step(
        order=1,
        point="announce",
        change=(
            f"Announce the overall goal and the order of change ({seq}) over {timescale}, say how success "
            f"will be judged, and admit that not everything changes at once. Then give a progress update "
            f"every {comm.cadence_days} days."
        ),
        why=tuple(why),
        success_criteria=tuple(criteria),
        start_week=0,
        weeks=1,
    )


def _point_step(
    ctx: AnalysisContext,
    order: int,
    point: Point,
    why: list[str],
    star: StarModelResult,
    remedies: dict[str, tuple[int, str]],
    start: int,
    weeks: int,
) -> Step:
    ranked = sorted(remedies.items(), key=lambda kv: (kv[1][0], kv[0]))
    score = getattr(star, point).score
    bar = ctx.thresholds.star_change_below
    criteria = [f"{point} scores at least {bar} of 5 on reassessment"] if score < bar else []
    criteria += [f"no `{rule}` finding remains" for rule, _ in ranked]
    return Step(
        order=order,
        point=point,
        change=WHAT_CHANGES[point],
        why=tuple(why),
        actions=tuple(remedy for _, (_, remedy) in ranked),
        addresses=tuple(rule for rule, _ in ranked),
        success_criteria=tuple(criteria) or (f"{point} keeps a score of at least {bar} of 5",),
        score=score,
        start_week=start,
        weeks=weeks,
    )


def plan_communication(ctx: AnalysisContext) -> Communication:
    c = ctx.spec.change
    t = ctx.thresholds
    days = c.communication_cadence_days
    if days is not None and days <= t.change_max_communication_days:
        return Communication(cadence_days=days, from_spec=True, note=f"progress update every {days} days, as planned")
    if days is not None:
        note = f"the planned {days} days between updates is too long; update every {t.change_communication_days} days"
    elif "communication_cadence_days" in c.model_fields_set:
        note = f"no regular updates are planned; update every {t.change_communication_days} days"
    else:
        note = f"the spec states no cadence; update every {t.change_communication_days} days"
    return Communication(cadence_days=t.change_communication_days, from_spec=False, note=note)


def leader_questions(ctx: AnalysisContext) -> tuple[LeaderQuestion, ...]:
    return (_cares_about(ctx), _today(ctx), _ease(ctx), _duration(ctx))


def _question(
    id_: Literal["cares_about", "today", "ease", "duration"],
    text: str,
    answers: list[str],
    gaps: list[str],
    evidence: list[Evidence],
) -> LeaderQuestion:
    return LeaderQuestion(
        id=id_,
        question=text,
        answers=tuple(answers),
        gaps=tuple(gaps),
        answered=bool(answers),
        evidence=tuple(evidence),
    )


def _cares_about(ctx: AnalysisContext) -> LeaderQuestion:
    s = ctx.spec.strategy
    answers, gaps, ev = [], [], []
    if s.statement:
        answers.append(f"strategy: {s.statement}")
        ev.append(Evidence(path="strategy.statement", value=s.statement))
    else:
        gaps.append("no strategy statement (`strategy.statement`)")
    if s.goals:
        answers.extend(f"goal: {g}" for g in s.goals)
        ev.append(Evidence(path="strategy.goals", value=list(s.goals)))
    else:
        gaps.append("no goals for ML (`strategy.goals`)")
    if s.ml_ambition:
        answers.append(f"ML ambition: {s.ml_ambition}")
    else:
        gaps.append("ML ambition not stated (`strategy.ml_ambition`)")
    if constraints := constraint_names(s):
        answers.append(f"constraints the business holds to: {', '.join(constraints)}")
    return _question("cares_about", "What does the organization care about?", answers, gaps, ev)


def _today(ctx: AnalysisContext) -> LeaderQuestion:
    spec = ctx.spec
    answers, gaps, ev = [], [], []
    if spec.practices.methodology:
        answers.append(f"work is run with {spec.practices.methodology}")
    else:
        gaps.append("delivery methodology not stated (`practices.methodology`)")
    if spec.rewards.recognizes is not None:
        shown = ", ".join(spec.rewards.recognizes) or "nothing in particular"
        answers.append(f"reviews and promotions recognise: {shown}")
        ev.append(Evidence(path="rewards.recognizes", value=list(spec.rewards.recognizes)))
    else:
        gaps.append("what is rewarded is not stated (`rewards.recognizes`)")
    live = sum(1 for m in spec.models if m.status == "production")
    if spec.models:
        answers.append(f"{live} of {len(spec.models)} listed model(s) in production")
    else:
        gaps.append("no models listed (`models`)")
    if spec.practices.repeatable_process is not None:
        answers.append(
            "a repeatable path to production exists"
            if spec.practices.repeatable_process
            else "no repeatable path to production"
        )
    return _question("today", "What do people do day to day now, and what has to change in it?", answers, gaps, ev)


def _ease(ctx: AnalysisContext) -> LeaderQuestion:
    spec = ctx.spec
    answers, gaps, ev = [], [], []
    p = spec.practices
    if p.tooling is not None:
        answers.append(f"ML tooling in place: {', '.join(p.tooling) or 'none'}")
        ev.append(Evidence(path="practices.tooling", value=list(p.tooling)))
    else:
        gaps.append("ML tooling not stated (`practices.tooling`)")
    if p.repeatable_process is None:
        gaps.append("whether a repeatable path to production exists (`practices.repeatable_process`)")
    if p.ml_training_for_staff is not None:
        answers.append("staff outside ML get ML training" if p.ml_training_for_staff else "no ML training for staff")
    else:
        gaps.append("whether staff get ML training (`practices.ml_training_for_staff`)")
    w = spec.culture.westrum
    if w is not None:
        answers.append(f"Westrum culture mean {w.mean} of 7 (the new way is easier where people cooperate)")
    else:
        gaps.append("no culture survey (`culture.westrum`)")
    return _question("ease", "How easy will the new way be, compared with the old one?", answers, gaps, ev)


def _duration(ctx: AnalysisContext) -> LeaderQuestion:
    c = ctx.spec.change
    answers, gaps, ev = [], [], []
    if c.timescale_weeks:
        answers.append(f"announced timescale: {c.timescale_weeks} weeks")
        ev.append(Evidence(path="change.timescale_weeks", value=c.timescale_weeks))
    else:
        gaps.append("no timescale stated (`change.timescale_weeks`)")
    if c.communication_cadence_days:
        answers.append(f"progress updates every {c.communication_cadence_days} days")
    else:
        gaps.append("no regular progress updates planned (`change.communication_cadence_days`)")
    return _question("duration", "How long will it take, and how will you keep people informed?", answers, gaps, ev)
