"""Star Model alignment (rml-ch13, after Galbraith).

Each point (strategy, structure, processes, rewards, people) is scored 1..5 for how well it
supports ``strategy.ml_ambition``. The criteria live in ``knowledge/star_model.yaml``; a more
ambitious strategy brings more criteria into play. A met criterion counts 1, an unknown one 0.5
(neutral: unknown is not false) and an unmet one 0; the share maps onto 1..5. Points whose scores
differ by at least ``star_misalignment_gap`` are reported as misaligned with each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

from pydantic import Field

from mlorg import knowledge
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.data_readiness import constraint_names
from mlorg.analyses.ml_staff import Placement, placement, staff_known
from mlorg.analyses.roles import RolesResult
from mlorg.analyses.staff_view import staff_views
from mlorg.analyses.structure import MITIGATION_CHECKS, StructureResult
from mlorg.facts import facts_of
from mlorg.results import Evidence, Result
from mlorg.spec.models import MlAmbition, StarPoint

POINTS: tuple[StarPoint, ...] = ("strategy", "structure", "processes", "rewards", "people")
AMBITION_RANK: dict[MlAmbition, int] = {"none": 0, "experimental": 1, "core": 2, "everywhere": 3}


class StarPointScore(Result):
    score: int
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()
    confidence: float = Field(1.0, description="Share of this point's criteria the spec answers.")
    staff_score: float | None = Field(
        None, description="The staff survey's view of this point on the same 1-5 scale (null without a survey)."
    )


class Misalignment(Result):
    points: tuple[str, str]
    gap: int
    message: str


class StarModelResult(Result):
    strategy: StarPointScore
    structure: StarPointScore
    processes: StarPointScore
    rewards: StarPointScore
    people: StarPointScore
    misalignments: tuple[Misalignment, ...] = ()
    ambition: MlAmbition | None = Field(None, description="The ambition scored against (null: not stated).")
    rationale: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inputs:
    ctx: AnalysisContext
    placement: Placement
    structure: StructureResult
    roles: RolesResult


Outcome = tuple[bool | None, tuple[Evidence, ...]]


def _flag(path: str, value: bool | None) -> Outcome:
    return value, ((Evidence(path=path, value=value),) if value is not None else ())


def _listed(path: str, value: tuple[str, ...] | None) -> Outcome:
    if value is None:
        return None, ()
    return bool(value), (Evidence(path=path, value=list(value)),)


def _recognizes(i: Inputs, *kinds: str) -> Outcome:
    rec = i.ctx.spec.rewards.recognizes
    if rec is None:
        return None, ()
    return bool(set(kinds).intersection(rec)), (Evidence(path="rewards.recognizes", value=list(rec)),)


def _literacy(i: Inputs) -> Outcome:
    lit = i.ctx.spec.strategy.leadership_ml_literacy
    if lit is None:
        return None, ()
    return lit != "low", (Evidence(path="strategy.leadership_ml_literacy", value=lit),)


def _ml_home(i: Inputs) -> Outcome:
    if i.placement.total:
        return True, i.placement.evidence[:3]
    if staff_known(i.ctx.spec):
        return False, (Evidence(path="people", value=0, note="nobody holds an ML role"),)
    return None, ()


def _fits(i: Inputs) -> Outcome:
    s = i.structure
    if not staff_known(i.ctx.spec):
        return None, ()
    note = f"current structure; recommended {s.recommended}"
    if s.on_path:
        note += ", which grows from this first central team"
    return s.current == s.recommended or s.on_path, (Evidence(path="teams", value=s.current, note=note),)


def _platform_team(i: Inputs) -> Outcome:
    due = i.ctx.thresholds.platform_team_due_ml_teams
    n = len(facts_of(i.ctx.index).doing_ml)  # the count `no-platform-team` judges by
    if n < due:
        return True, (Evidence(path="teams", value=n, note=f"teams doing ML; a platform team is due at {due}"),)
    return MITIGATION_CHECKS["platform_team"](i.ctx, i.placement)


def _methodology(i: Inputs) -> Outcome:
    m = i.ctx.spec.practices.methodology
    if m is None:
        return None, ()
    return m != "none", (Evidence(path="practices.methodology", value=m),)


def _experienced(i: Inputs) -> Outcome:
    part = i.roles.partition
    if part is None or not staff_known(i.ctx.spec):
        return None, ()
    ev = (Evidence(path="people", value=part.experienced, note="experienced ML practitioners"),)
    if part.experienced:
        return True, ev
    return (None, ()) if part.unknown else (False, ev)


def _learners(i: Inputs) -> Outcome:
    part = i.roles.partition
    if part is None or not staff_known(i.ctx.spec):
        return None, ()
    ev = (Evidence(path="people", value=part.learning, note="people learning ML on the job"),)
    if part.learning:
        return True, ev
    return (None, ()) if part.unknown else (False, ev)


def _coverage(i: Inputs, function: str) -> Outcome:
    c = i.roles.coverage.get(function)
    if c is None or c.status == "unknown" or (c.status == "covered" and c.note):
        return None, ()
    return c.status in ("covered", "combined"), c.evidence[:3]


def _mitigation(name: str) -> Callable[[Inputs], Outcome]:
    return lambda i: MITIGATION_CHECKS[name](i.ctx, i.placement)


CRITERIA: dict[str, Callable[[Inputs], Outcome]] = {
    "strategy_written": lambda i: _flag("strategy.written", i.ctx.spec.strategy.written),
    "goals_listed": lambda i: _listed("strategy.goals", i.ctx.spec.strategy.goals),
    "assumptions_written": lambda i: _listed("strategy.assumptions", i.ctx.spec.strategy.assumptions),
    "leadership_literacy": _literacy,
    "business_constraints": lambda i: _listed("strategy.business_constraints", constraint_names(i.ctx.spec.strategy)),
    "ml_home": _ml_home,
    "fits_recommendation": _fits,
    "clear_function": _mitigation("clear_function"),
    "ml_voice_in_leadership": lambda i: _flag(
        "strategy.ml_leader_in_leadership", i.ctx.spec.strategy.ml_leader_in_leadership
    ),
    "platform_team": _platform_team,
    "prioritization_process": lambda i: _flag(
        "practices.prioritization_process", i.ctx.spec.practices.prioritization_process
    ),
    "experimentation_budget": _mitigation("experimentation_budget"),
    "integration_point": _mitigation("integration_point"),
    "delivery_method": _methodology,
    "repeatable_process": lambda i: _flag("practices.repeatable_process", i.ctx.spec.practices.repeatable_process),
    "idea_intake": lambda i: _flag("practices.idea_intake", i.ctx.spec.practices.idea_intake),
    "rewards_outcomes": lambda i: _recognizes(i, "delivery", "business_impact"),
    "rewards_reliability": lambda i: _recognizes(i, "reliability", "fairness", "robustness"),
    "rewards_ml_learning": lambda i: _recognizes(i, "ml_learning"),
    "rewards_knowledge_sharing": lambda i: _recognizes(i, "knowledge_sharing"),
    "experienced_ml": _experienced,
    "ml_pm": lambda i: _coverage(i, "product_manager"),
    "learners": _learners,
    "sre_for_ml": lambda i: _coverage(i, "sre_ml"),
    "ml_training": lambda i: _flag("practices.ml_training_for_staff", i.ctx.spec.practices.ml_training_for_staff),
}


def score_point(point: knowledge.StarPointInfo, rank: int, inputs: Inputs) -> StarPointScore:
    applicable = [c for c in point.criteria if AMBITION_RANK[c.from_] <= rank]
    credit = 0.0
    known = 0
    notes: list[str] = []
    evidence: list[Evidence] = []
    for c in applicable:
        value, ev = CRITERIA[c.id](inputs)
        evidence.extend(ev)
        if value is None:
            credit += 0.5
            notes.append(f"unknown: {c.text}")
        else:
            known += 1
            credit += value
            notes.append(f"{'met' if value else 'missing'}: {c.text}")
    ratio = credit / len(applicable) if applicable else 0.5
    return StarPointScore(
        score=1 + int(4 * ratio + 0.5),
        evidence=tuple(evidence),
        notes=tuple(notes),
        confidence=round(known / len(applicable), 3) if applicable else 0.0,
    )


def misalignments(scores: dict[StarPoint, StarPointScore], gap: int) -> tuple[Misalignment, ...]:
    model = knowledge.star_model()
    out = []
    for a, b in combinations(POINTS, 2):
        diff = abs(scores[a].score - scores[b].score)
        if diff < gap:
            continue
        hi, lo = (a, b) if scores[a].score > scores[b].score else (b, a)
        out.append(
            Misalignment(
                points=(a, b),
                gap=diff,
                message=(
                    f"{hi} ({scores[hi].score}/5) is ahead of {lo} ({scores[lo].score}/5): {model.point(lo).lagging}."
                ),
            )
        )
    return tuple(sorted(out, key=lambda m: -m.gap))


def with_staff_view(ctx: AnalysisContext, scores: dict[StarPoint, StarPointScore]) -> dict[StarPoint, StarPointScore]:
    """Set the staff survey's view beside each point's score; note where the two disagree widely."""
    views = staff_views(ctx, "star.")
    out = {}
    for point, scored in scores.items():
        view = views.get(point)
        if view is None:
            out[point] = scored
            continue
        staff_score = round(1 + 4 * view.agreement, 1)
        notes = scored.notes
        if abs(staff_score - scored.score) >= ctx.thresholds.star_misalignment_gap:
            notes = (
                *notes,
                f"Staff see this point at {staff_score} of 5 ({view.respondents} respondents), "
                f"far from the {scored.score} the spec supports: find out who is right.",
            )
        out[point] = scored.model_copy(update={"staff_score": staff_score, "notes": notes})
    return out


def analyze(
    ctx: AnalysisContext, structure: StructureResult, roles: RolesResult, staff: Placement | None = None
) -> StarModelResult:
    ambition = ctx.spec.strategy.ml_ambition
    rank = max(AMBITION_RANK[ambition or "experimental"], 1)
    inputs = Inputs(ctx, staff or placement(ctx), structure, roles)
    model = knowledge.star_model()
    scores = with_staff_view(ctx, {p: score_point(model.point(p), rank, inputs) for p in POINTS})
    rationale = []
    if ambition is None:
        rationale.append("strategy.ml_ambition is not given; points are scored against an experimental ambition.")
    elif ambition == "none":
        rationale.append("The stated ML ambition is none; points are scored against the experimental baseline.")
    else:
        rationale.append(f"Scored against the stated ML ambition: {ambition}.")
    return StarModelResult(
        **scores,
        misalignments=misalignments(scores, ctx.thresholds.star_misalignment_gap),
        ambition=ambition,
        rationale=tuple(rationale),
    )
