"""Portfolio: value/cost matrix and the first (or next) ML project (georgian-maturity, rml-ch13).

Every open initiative is scored on the same criteria with a transparent points scheme: each
criterion gives between -2 and +2 points with a one-line reason, and a criterion the spec is
silent on gives 0 and is listed as unknown (unknown counts neither for nor against). The
highest total is the pick; ties go to fewer unknowns, then fewer weeks, then the id.

Before any model is in production the criteria are those of a good first project: one use
case, a high chance of success, results within weeks, a useful but not critical surface,
additive rather than replacing what runs today, greenfield rather than brownfield, few
departments, data ready. Once a model is in production (or an initiative has shipped) the
organization picks its *next* project, and expected value and cost count as well.

An initiative the organization has already chosen as its first (``first_project: true``, or
in progress before anything shipped) is judged against the same bar.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.data_readiness import DataReadinessResult
from mlorg.analyses.fast import evidence
from mlorg.results import Evidence, Result
from mlorg.spec.models import Initiative

Quadrant = Literal["quick_win", "big_bet", "fill_in", "money_pit", "unplaced"]
Mode = Literal["first", "next"]

QUADRANTS: dict[Quadrant, tuple[str, str]] = {
    "quick_win": ("Quick wins", "High value at low cost: do these first."),
    "big_bet": ("Big bets", "High value at high cost: plan them once the team has shipped something."),
    "fill_in": ("Fill-ins", "Low value at low cost: good for learning or spare capacity, not for a headline."),
    "money_pit": ("Money pits", "Low value at high cost: drop or rethink them."),
    "unplaced": ("Unplaced", "Value or cost not stated: estimate both to place them."),
}
CLOSED = frozenset({"shipped", "dropped"})
CRITICALITY_POINTS = {"low": 2, "medium": 1, "high": -1, "critical": -2}
LIKELIHOOD_POINTS = {"high": 2, "medium": 0, "low": -2}
SURFACE = {
    "low": "a low-stakes",
    "medium": "a medium-stakes",
    "high": "a high-stakes",
    "critical": "a revenue-critical",
}


class CriterionScore(Result):
    """Points one criterion gave an initiative, and why."""

    criterion: str
    points: int = Field(ge=-2, le=2)
    reason: str
    known: bool = True
    evidence: tuple[Evidence, ...] = ()


class Ranked(Result):
    """One initiative's place in the ranking."""

    initiative: str
    title: str | None = None
    rank: int = 0
    score: int
    quadrant: Quadrant
    value: int | None = None
    cost: int | None = None
    criteria: tuple[CriterionScore, ...] = ()
    reasons: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()


class Check(Result):
    """One first-project criterion, passed (True), failed (False) or not known (None)."""

    criterion: str
    ok: bool | None
    reason: str


class Judged(Result):
    """An initiative the organization already chose as its first, against the same bar."""

    initiative: str
    why_judged: str
    fits: bool | None
    rank: int | None = None
    checks: tuple[Check, ...] = ()
    failed: tuple[str, ...] = ()


class QuadrantInfo(Result):
    id: Quadrant
    name: str
    meaning: str
    initiatives: tuple[str, ...] = ()


class PortfolioResult(Result):
    mode: Mode = "first"
    mode_reason: str = ""
    first_project: str | None = None
    reasons: tuple[str, ...] = ()
    runner_up: str | None = None
    runner_up_reasons: tuple[str, ...] = ()
    ranking: tuple[Ranked, ...] = ()
    quadrants: tuple[QuadrantInfo, ...] = ()
    judged: tuple[Judged, ...] = ()
    not_ranked: tuple[str, ...] = Field(default=(), description="Shipped or dropped initiatives.")
    source: str = "georgian-maturity"


def quadrant(ctx: AnalysisContext, value: int | None, cost: int | None) -> Quadrant:
    if value is None or cost is None:
        return "unplaced"
    high_value = value >= ctx.thresholds.portfolio_high_value_from
    high_cost = cost >= ctx.thresholds.portfolio_high_cost_from
    if high_value:
        return "big_bet" if high_cost else "quick_win"
    return "money_pit" if high_cost else "fill_in"


def teams_involved(i: Initiative) -> set[str] | None:
    """Distinct teams the initiative involves: its own team plus its departments."""
    if i.departments is None:
        return None
    return set(i.departments) | ({i.team} if i.team else set())


Readiness = Mapping[str, bool | None]
"""Model id -> is its data ready (from the data readiness audit)."""
Scorer = Callable[[AnalysisContext, Initiative, Readiness], CriterionScore]


def _ev(ctx: AnalysisContext, i: Initiative, field: str) -> tuple[Evidence, ...]:
    return (evidence(ctx.index.path("initiatives", i.id, field), getattr(i, field)),)


def _unknown(name: str, field: str, ctx: AnalysisContext, i: Initiative) -> CriterionScore:
    return CriterionScore(
        criterion=name, points=0, reason=f"`{field}` not stated", known=False, evidence=_ev(ctx, i, field)
    )


def one_use_case(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.use_cases is None:
        return _unknown("one_use_case", "use_cases", ctx, i)
    n = i.use_cases
    pts, why = (2, "a single use case") if n == 1 else ((-1, "two use cases") if n == 2 else (-2, f"{n} use cases"))
    return CriterionScore(criterion="one_use_case", points=pts, reason=why, evidence=_ev(ctx, i, "use_cases"))


def success_likelihood(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.success_likelihood is None:
        return _unknown("success_likelihood", "success_likelihood", ctx, i)
    return CriterionScore(
        criterion="success_likelihood",
        points=LIKELIHOOD_POINTS[i.success_likelihood],
        reason=f"{i.success_likelihood} chance of success",
        evidence=_ev(ctx, i, "success_likelihood"),
    )


def weeks_to_results(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.weeks is None:
        return _unknown("weeks_to_results", "weeks", ctx, i)
    limit = ctx.thresholds.first_project_max_weeks
    w = i.weeks
    if w * 2 <= limit:
        pts, why = 2, f"results in {w} weeks, well within {limit}"
    elif w <= limit:
        pts, why = 1, f"results in {w} weeks, within {limit}"
    elif w <= 2 * limit:
        pts, why = -1, f"{w} weeks to results, over {limit}"
    else:
        pts, why = -2, f"{w} weeks to results, more than twice {limit}"
    return CriterionScore(criterion="weeks_to_results", points=pts, reason=why, evidence=_ev(ctx, i, "weeks"))


def useful_not_critical(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.criticality is None:
        return _unknown("useful_not_critical", "criticality", ctx, i)
    pts = CRITICALITY_POINTS[i.criticality]
    why = f"touches {SURFACE[i.criticality]} surface"
    if pts > 0 and i.value is not None and i.value <= 1:
        pts, why = 0, f"{why}, but little value rides on it either"
    elif pts > 0:
        why += ": useful, and a failure would not hurt much"
    else:
        why += ": a failure would cost real revenue"
    return CriterionScore(criterion="useful_not_critical", points=pts, reason=why, evidence=_ev(ctx, i, "criticality"))


def additive(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.additive is None:
        return _unknown("additive", "additive", ctx, i)
    pts, why = (2, "adds ML where nothing runs today") if i.additive else (-2, "replaces something that runs today")
    return CriterionScore(criterion="additive", points=pts, reason=why, evidence=_ev(ctx, i, "additive"))


def greenfield(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.greenfield is None:
        return _unknown("greenfield", "greenfield", ctx, i)
    pts, why = (
        (1, "greenfield: no existing system or owner to win over")
        if i.greenfield
        else (-1, "brownfield: expect opposition from those invested in the current system")
    )
    return CriterionScore(criterion="greenfield", points=pts, reason=why, evidence=_ev(ctx, i, "greenfield"))


def departments(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    involved = teams_involved(i)
    if involved is None:
        return _unknown("departments", "departments", ctx, i)
    n, limit = len(involved), ctx.thresholds.first_project_max_departments
    if n <= 1:
        pts, why = 2, "one team involved" if n == 1 else "no other team involved"
    elif n <= limit:
        pts, why = 1, f"{n} teams involved, within {limit}"
    else:
        pts, why = -2, f"{n} teams involved, more than {limit}"
    return CriterionScore(criterion="departments", points=pts, reason=why, evidence=_ev(ctx, i, "departments"))


def data_readiness(ctx: AnalysisContext, i: Initiative, audit: Readiness) -> CriterionScore:
    blocked = _blocked_models(i, audit)
    ev = _ev(ctx, i, "data_ready")
    if blocked:
        return CriterionScore(
            criterion="data_readiness",
            points=-1 if i.data_ready else -2,
            reason=f"the data audit finds inputs not ready for model(s) {', '.join(blocked)}",
            evidence=ev,
        )
    if i.data_ready is None:
        if i.models and _all_ready(i, audit):
            return CriterionScore(
                criterion="data_readiness", points=1, reason="its models' features all pass the data audit", evidence=ev
            )
        return _unknown("data_readiness", "data_ready", ctx, i)
    pts, why = (2, "the data it needs is available today") if i.data_ready else (-2, "the data it needs is not ready")
    return CriterionScore(criterion="data_readiness", points=pts, reason=why, evidence=ev)


def expected_value(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.value is None:
        return _unknown("expected_value", "value", ctx, i)
    return CriterionScore(
        criterion="expected_value",
        points=i.value - 3,
        reason=f"expected value {i.value} of 5",
        evidence=_ev(ctx, i, "value"),
    )


def expected_cost(ctx: AnalysisContext, i: Initiative, _: Readiness) -> CriterionScore:
    if i.cost is None:
        return _unknown("expected_cost", "cost", ctx, i)
    return CriterionScore(
        criterion="expected_cost",
        points=3 - i.cost,
        reason=f"expected cost {i.cost} of 5",
        evidence=_ev(ctx, i, "cost"),
    )


FIRST_CRITERIA: tuple[Scorer, ...] = (
    one_use_case,
    success_likelihood,
    weeks_to_results,
    useful_not_critical,
    additive,
    greenfield,
    departments,
    data_readiness,
)
NEXT_CRITERIA: tuple[Scorer, ...] = (*FIRST_CRITERIA, expected_value, expected_cost)


def _blocked_models(i: Initiative, audit: Readiness) -> list[str]:
    return sorted({m for m in i.models or () if audit.get(m) is False})


def _all_ready(i: Initiative, audit: Readiness) -> bool:
    return bool(i.models) and all(audit.get(m) is True for m in i.models or ())


def choose_mode(ctx: AnalysisContext) -> tuple[Mode, str]:
    live = sorted(m.id for m in ctx.spec.models if m.status == "production")
    shipped = sorted(i.id for i in ctx.spec.initiatives if i.status == "shipped")
    if live:
        return "next", f"model(s) already in production ({', '.join(live[:3])}): ranking for the next project"
    if shipped:
        return "next", f"initiative(s) already shipped ({', '.join(shipped[:3])}): ranking for the next project"
    return "first", "no model in production and nothing shipped: ranking for the first project"


def rank_one(ctx: AnalysisContext, i: Initiative, audit: Readiness, mode: Mode) -> Ranked:
    criteria = tuple(score(ctx, i, audit) for score in (NEXT_CRITERIA if mode == "next" else FIRST_CRITERIA))
    return Ranked(
        initiative=i.id,
        title=i.title,
        score=sum(c.points for c in criteria),
        quadrant=quadrant(ctx, i.value, i.cost),
        value=i.value,
        cost=i.cost,
        criteria=criteria,
        reasons=tuple(f"{c.points:+d} {c.criterion}: {c.reason}" for c in criteria if c.known),
        unknown=tuple(c.criterion for c in criteria if not c.known),
    )


def analyze(ctx: AnalysisContext, audit: DataReadinessResult) -> PortfolioResult:
    mode, mode_reason = choose_mode(ctx)
    ready = {m.model: m.ready for m in audit.models}
    open_ = [i for i in ctx.spec.initiatives if i.status not in CLOSED]
    scored = [rank_one(ctx, i, ready, mode) for i in open_]
    scored.sort(key=lambda r: (-r.score, len(r.unknown), _weeks(ctx, r.initiative), r.initiative))
    ranking = tuple(r.model_copy(update={"rank": n}) for n, r in enumerate(scored, start=1))

    members: dict[Quadrant, list[str]] = {q: [] for q in QUADRANTS}
    for i in ctx.spec.initiatives:
        members[quadrant(ctx, i.value, i.cost)].append(i.id)
    quadrants = tuple(
        QuadrantInfo(id=q, name=name, meaning=meaning, initiatives=tuple(sorted(members[q])))
        for q, (name, meaning) in QUADRANTS.items()
    )

    first = ranking[0] if ranking else None
    second = ranking[1] if len(ranking) > 1 else None
    reasons: tuple[str, ...] = ()
    if first is not None:
        head = f"first of {len(ranking)} open initiatives on the {mode}-project criteria, scoring {first.score:+d}"
        if second is not None:
            head += f"; the runner-up, {second.title or second.initiative}, scores {second.score:+d}"
        reasons = (head, *(c.reason for c in first.criteria if c.known and c.points > 0))
        if first.unknown:
            reasons += (f"not stated, so not counted: {', '.join(first.unknown)}",)
    return PortfolioResult(
        mode=mode,
        mode_reason=mode_reason,
        first_project=first.initiative if first else None,
        reasons=reasons,
        runner_up=second.initiative if second else None,
        runner_up_reasons=second.reasons if second else (),
        ranking=ranking,
        quadrants=quadrants,
        judged=judge_chosen(ctx, mode, {r.initiative: r.rank for r in ranking}),
        not_ranked=tuple(sorted(i.id for i in ctx.spec.initiatives if i.status in CLOSED)),
    )


def _weeks(ctx: AnalysisContext, initiative: str) -> int:
    weeks = ctx.index.initiatives[initiative].weeks
    return weeks if weeks is not None else 10**6


def chosen_first(ctx: AnalysisContext, mode: Mode) -> list[tuple[Initiative, str]]:
    """Initiatives the organization already treats as its first project, and why we think so."""
    marked = [(i, "marked `first_project: true`") for i in ctx.spec.initiatives if i.first_project]
    if marked or mode == "next":
        return marked
    return [
        (i, "in progress before anything shipped, so it is the first project in practice")
        for i in ctx.spec.initiatives
        if i.status == "in_progress" and i.first_project is not False
    ]


def first_project_checks(ctx: AnalysisContext, i: Initiative) -> tuple[Check, ...]:
    """The first-project bar as pass / fail / unknown checks (used by `judged` and the rules)."""
    t = ctx.thresholds
    involved = teams_involved(i)

    def check(name: str, ok: bool | None, yes: str, no: str, missing: str) -> Check:
        return Check(criterion=name, ok=ok, reason=missing if ok is None else (yes if ok else no))

    return (
        check(
            "one_use_case",
            None if i.use_cases is None else i.use_cases == 1,
            "a single use case",
            f"{i.use_cases} use cases",
            "`use_cases` not stated",
        ),
        check(
            "success_likelihood",
            None if i.success_likelihood is None else i.success_likelihood != "low",
            f"{i.success_likelihood} chance of success",
            "low chance of success",
            "`success_likelihood` not stated",
        ),
        check(
            "weeks_to_results",
            None if i.weeks is None else i.weeks <= t.first_project_max_weeks,
            f"{i.weeks} weeks to results",
            f"{i.weeks} weeks to results, over {t.first_project_max_weeks}",
            "`weeks` not stated",
        ),
        check(
            "useful_not_critical",
            None if i.criticality is None else i.criticality in ("low", "medium"),
            f"touches {SURFACE.get(i.criticality or '', 'a')} surface",
            f"touches {SURFACE.get(i.criticality or '', 'a')} surface: failure would cost real revenue",
            "`criticality` not stated",
        ),
        check(
            "additive",
            i.additive,
            "adds ML where nothing runs today",
            "replaces something that runs today",
            "`additive` not stated",
        ),
        check(
            "greenfield",
            i.greenfield,
            "greenfield",
            "brownfield: expect opposition",
            "`greenfield` not stated",
        ),
        check(
            "departments",
            None if involved is None else len(involved) <= t.first_project_max_departments,
            f"{len(involved or ())} teams involved",
            f"{len(involved or ())} teams involved, over {t.first_project_max_departments}",
            "`departments` not stated",
        ),
        check(
            "data_readiness",
            i.data_ready,
            "data ready",
            "data not ready",
            "`data_ready` not stated",
        ),
    )


def judge_chosen(ctx: AnalysisContext, mode: Mode, ranks: dict[str, int]) -> tuple[Judged, ...]:
    out = []
    for i, why in sorted(chosen_first(ctx, mode), key=lambda p: p[0].id):
        checks = first_project_checks(ctx, i)
        failed = tuple(c.criterion for c in checks if c.ok is False)
        fits = False if failed else (None if any(c.ok is None for c in checks) else True)
        out.append(
            Judged(initiative=i.id, why_judged=why, fits=fits, rank=ranks.get(i.id), checks=checks, failed=failed)
        )
    return tuple(out)
