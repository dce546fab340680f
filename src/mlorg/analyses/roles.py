"""Role coverage, the experienced/learning partition and the hiring plan (rml-ch13, georgian-maturity).

Coverage counts named people and team ``staffing`` alike. In a small organization one person may
hold several functions and each counts; in a larger one only a person's first role counts fully,
the others show as ``combined``. The hiring plan walks the stage-specific sequence of
``knowledge/roles.yaml`` up to the next stage, skipping roles already covered, and carries over
earlier-stage hires that were never made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field

from mlorg import knowledge
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity import MaturityResult
from mlorg.analyses.ml_staff import staff_known
from mlorg.facts import facts_of
from mlorg.knowledge import STAGE_ORDER
from mlorg.results import Evidence, Result
from mlorg.spec.index import ML_ROLES
from mlorg.spec.models import Role

CoverageStatus = Literal["covered", "combined", "partial", "missing", "unknown"]
SCIENTISTS: tuple[Role, ...] = ("data_scientist", "ml_researcher")
EVIDENCE_PER_ROLE = 5
NAMES_SHOWN = 20


class Coverage(Result):
    count: int
    status: CoverageStatus
    evidence: tuple[Evidence, ...] = ()
    name: str = ""
    roles: tuple[str, ...] = ()
    note: str | None = None
    source: str = "rml-ch13"


class Partition(Result):
    """The few experienced ML people the work needs versus those learning ML on the job."""

    experienced: int
    learning: int
    unknown: int
    needed_experienced: int
    gap: int = Field(description="Experienced practitioners still to find (0 when enough).")
    experienced_people: tuple[str, ...] = ()
    learning_people: tuple[str, ...] = ()
    note: str = ""
    source: str = "rml-ch13"


class Hire(Result):
    role: str
    status: Literal["hire", "confirm"] = Field(
        "hire",
        description="`hire`: the role is known to be missing; `confirm`: it is only not listed, so ask first.",
    )
    reason: str
    sourcing: tuple[str, ...] = ()
    experienced: bool = False
    source: str = "georgian-maturity"
    id: str = ""
    stage: str = ""


class RolesResult(Result):
    coverage: dict[str, Coverage] = Field(default_factory=dict)
    hiring_plan: tuple[Hire, ...] = ()
    partition: Partition | None = None
    small_org: bool = False
    rationale: tuple[str, ...] = ()


# --- counting -------------------------------------------------------------------------------


@dataclass
class Tally:
    """Per-function counts from one pass over people and team staffing."""

    primary: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    combined: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    stand_in: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    partial: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ml_experienced: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ml_unknown: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    ml_learning: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))


def tally(ctx: AnalysisContext, small: bool) -> Tally:
    """One pass over people and one over team staffing; constant work per role held."""
    holds: dict[str, list[str]] = defaultdict(list)
    stands: dict[str, list[str]] = defaultdict(list)
    partial: dict[str, list[str]] = defaultdict(list)
    needs_ml: set[str] = set()
    for fn in knowledge.roles().functions:
        for r in fn.roles:
            holds[r].append(fn.id)
        for r in fn.small_org_stand_ins:
            stands[r].append(fn.id)
        for r in fn.partial_roles:
            partial[r].append(fn.id)
        if fn.needs_ml_experience:
            needs_ml.add(fn.id)
    t = Tally()
    # counts per combination of roles and experience (the same for everyone holding it), then
    # evidence from the first people in spec order, until every function that has some is full
    for (roles, experience), n in facts_of(ctx.index).people_kinds.items():
        seen: set[str] = set()
        for pos, r in enumerate(roles):
            for fid in holds.get(r, ()):
                if fid in seen:
                    continue
                seen.add(fid)
                (t.primary if pos == 0 or small else t.combined)[fid] += n
                if fid in needs_ml:
                    if experience == "experienced":
                        t.ml_experienced[fid] += n
                    elif experience == "learning":
                        t.ml_learning[fid] += n
                    elif experience is None:
                        t.ml_unknown[fid] += n
            for fid in partial.get(r, ()):
                t.partial[fid] += n
            if small:
                for fid in stands.get(r, ()):
                    t.stand_in[fid] += n
    _people_evidence(ctx, holds, t.evidence)
    index = ctx.index
    for team in ctx.spec.teams:
        for r, n in (team.staffing or {}).items():
            if not n:
                continue
            for fid in holds.get(r, ()):
                t.primary[fid] += n
                if fid in needs_ml:
                    t.ml_unknown[fid] += n
                if len(t.evidence[fid]) < EVIDENCE_PER_ROLE:
                    t.evidence[fid].append(Evidence(path=index.path("teams", team.id, "staffing", r), value=n))
            for fid in partial.get(r, ()):
                t.partial[fid] += n
            if small:
                for fid in stands.get(r, ()):
                    t.stand_in[fid] += n
    return t


def _people_evidence(ctx: AnalysisContext, holds: dict[str, list[str]], evidence: dict[str, list[Evidence]]) -> None:
    """The first ``EVIDENCE_PER_ROLE`` people holding each function, in spec order (one item per person)."""
    functions_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # roles -> functions they hold, each once
    for roles, _ in facts_of(ctx.index).people_kinds:
        if roles not in functions_of:
            functions_of[roles] = tuple(dict.fromkeys(fid for r in roles for fid in holds.get(r, ())))
    holders: dict[str, int] = defaultdict(int)
    for (roles, _), n in facts_of(ctx.index).people_kinds.items():
        for fid in functions_of[roles]:
            holders[fid] += n
    # stop reading people once every function has all the evidence it will get
    remaining = sum(min(n, EVIDENCE_PER_ROLE) for n in holders.values())
    full: set[str] = set()  # functions with enough evidence already
    for i, p in enumerate(ctx.spec.people):
        if not remaining:
            break
        for fid in functions_of[p.roles]:
            if fid not in full:
                bucket = evidence[fid]
                bucket.append(Evidence(path=f"people[{i}].roles", value=list(p.roles), note=p.ml_experience))
                remaining -= 1
                if len(bucket) == EVIDENCE_PER_ROLE:
                    full.add(fid)


def coverage(ctx: AnalysisContext, small: bool) -> dict[str, Coverage]:
    known = staff_known(ctx.spec)
    facts = facts_of(ctx.index)
    t = tally(ctx, small)
    out: dict[str, Coverage] = {}
    for fn in knowledge.roles().functions:
        count = t.primary[fn.id] + t.combined[fn.id]
        note: str | None = None
        status: CoverageStatus
        if not known:
            status, note = "unknown", "the spec names no people and no staffing"
        elif t.primary[fn.id]:
            status = "covered"
            if fn.needs_ml_experience and not t.ml_experienced[fn.id]:
                if t.ml_unknown[fn.id]:
                    note = "ML experience not stated"
                elif t.ml_learning[fn.id]:
                    note = "learning ML on the job; pair with an experienced practitioner"
                else:
                    status, note = "partial", "nobody in this role has ML experience, which ML work needs"
        elif t.combined[fn.id]:
            status, note = (
                "combined",
                "held only as a second role; in an organization this size it needs its own person",
            )
        elif t.stand_in[fn.id]:
            status, note = "combined", fn.small_org_note
            count = t.stand_in[fn.id]
        elif t.partial[fn.id]:
            status, note = "partial", f"{t.partial[fn.id]} without the ML focus; they can grow into it"
        elif all(facts.role(r) == "absent" for r in fn.roles):
            status = "missing"
        else:
            status, note = "unknown", "not listed; the people list of the teams that would hold it is partial"
        out[fn.id] = Coverage(
            count=count,
            status=status,
            evidence=tuple(t.evidence[fn.id]),
            name=fn.name,
            roles=fn.roles,
            note=note,
            source=fn.source,
        )
    return out


def partition(ctx: AnalysisContext) -> Partition:
    experienced = learning = unknown = 0
    exp_names: list[str] = []
    learn_names: list[str] = []
    for (roles, exp), n in facts_of(ctx.index).people_kinds.items():
        if exp == "experienced":
            experienced += n
        elif exp == "learning" or ML_ROLES.intersection(roles):
            if exp is None:
                unknown += n
            else:
                learning += n
    # the first few names of each, in spec order: stop once both lists are as long as they will get
    exp_shown, learn_shown = min(experienced, NAMES_SHOWN), min(learning, NAMES_SHOWN)
    for p in ctx.spec.people:
        if len(exp_names) == exp_shown and len(learn_names) == learn_shown:
            break
        exp = p.ml_experience
        if exp == "experienced":
            if len(exp_names) < NAMES_SHOWN:
                exp_names.append(p.id)
        elif (
            exp is not None and (exp == "learning" or ML_ROLES.intersection(p.roles)) and len(learn_names) < NAMES_SHOWN
        ):
            learn_names.append(p.id)
    for team in ctx.spec.teams:
        ml_n = sum(n for r, n in (team.staffing or {}).items() if r in ML_ROLES)
        if team.experienced_ml is None:
            unknown += ml_n
        else:
            experienced += team.experienced_ml
            learning += max(0, ml_n - team.experienced_ml)
    needed = ctx.thresholds.experienced_ml_needed
    info = knowledge.roles().partition
    return Partition(
        experienced=experienced,
        learning=learning,
        unknown=unknown,
        needed_experienced=needed,
        gap=max(0, needed - experienced),
        experienced_people=tuple(exp_names),
        learning_people=tuple(learn_names),
        note=f"{info.experienced_role} {info.learning_role}",
        source=info.source,
    )


# --- the hiring plan ------------------------------------------------------------------------


@dataclass
class PlanState:
    ctx: AnalysisContext
    coverage: dict[str, Coverage]
    partition: Partition
    planned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # hires whose gap rests on what the spec leaves out (whether listed staff are experienced): confirm them
    unproven: set[str] = field(default_factory=set)

    def count(self, *roles: str) -> int:
        counts = self.ctx.index.role_counts
        return sum(counts.get(r, 0) for r in roles)


def _named(ctx: AnalysisContext, roles: tuple[str, ...], limit: int = 3) -> str:
    """The first few people holding one of ``roles``, for a readable reason."""
    wanted = set(roles)
    ids: list[str] = []
    for p in ctx.spec.people:
        if wanted.intersection(p.roles):
            ids.append(p.id)
            if len(ids) == limit:
                break
    return ", ".join(ids)


def _pm_gap(s: PlanState) -> str | None:
    c = s.coverage["product_manager"]
    if c.status == "covered":  # with ML experience, or experience not stated (not a proven gap)
        return None
    who = _named(s.ctx, ("product_manager", "lead_product_manager")) or "unlisted staff"
    if c.status == "partial":
        return f"No product manager has ML experience ({who})."
    if c.status == "combined":
        return f"Product management is only someone's second role ({who})."
    return "No product manager is listed."


def _scientist_gap(s: PlanState) -> str | None:
    n = s.count(*SCIENTISTS)
    if not n:
        return "No ML scientist is listed."
    # named scientists by what their experience says: "experienced", not given (None), or less
    said = {exp for roles, exp in facts_of(s.ctx.index).people_kinds if set(SCIENTISTS).intersection(roles)}
    experienced = "experienced" in said
    part = s.partition
    if experienced or part.gap == 0:
        return None
    if part.unknown >= part.gap:
        # unknown is not "no": the staff whose experience is not given may hold the experience needed
        s.unproven.add("ml_scientist")
        return (
            f"The organization counts {part.experienced} of the {part.needed_experienced} experienced ML "
            f"practitioners it needs, but whether {part.unknown} of its ML staff are experienced is not given. "
            "Say who is (`ml_experience` on a person, `experienced_ml` on a team) and confirm before hiring."
        )
    listed = _named(s.ctx, SCIENTISTS) or n
    counted = any(k for t in s.ctx.spec.teams for r, k in (t.staffing or {}).items() if r in SCIENTISTS)
    if not counted and None not in said:  # every scientist is named, with experience other than "experienced"
        return (
            f"The scientists listed ({listed}) are not experienced, and the organization has "
            f"{part.experienced} of the {part.needed_experienced} experienced practitioners it needs."
        )
    short = f", and the {part.unknown} whose experience is not given could not close the gap" if part.unknown else ""
    return (
        f"The organization has {part.experienced} of the {part.needed_experienced} experienced ML practitioners it "
        f"needs{short} (the scientists listed: {listed})."
    )


def _role_gap(*roles: str) -> Callable[[PlanState], str | None]:
    def gap(s: PlanState) -> str | None:
        if s.count(*roles) + sum(s.planned[r] for r in roles):
            return None
        return f"No one is listed in the {roles[0]} role."

    return gap


def _more_scientists_gap(s: PlanState) -> str | None:
    have = s.count(*SCIENTISTS) + sum(s.planned[r] for r in SCIENTISTS)
    return None if have >= 2 else f"{have} ML scientist(s), counting planned hires."


def _sre_gap(s: PlanState) -> str | None:
    c = s.coverage["sre_ml"]
    if c.status in ("covered", "combined"):
        return None
    if c.status == "partial":
        return f"SREs exist ({_named(s.ctx, ('sre',)) or 'unlisted'}) but none works on ML reliability."
    return "Nobody owns the reliability of ML in production."


def _function_gap(function: str) -> Callable[[PlanState], str | None]:
    def gap(s: PlanState) -> str | None:
        status = s.coverage[function].status
        if status == "missing":
            return "This function is missing."
        return "Nobody in this function is listed." if status == "unknown" else None

    return gap


GAPS: dict[str, Callable[[PlanState], str | None]] = {
    "ml_product_manager": _pm_gap,
    "ml_scientist": _scientist_gap,
    "ml_engineer": _role_gap("ml_engineer", "ml_architect"),
    "data_engineer": _role_gap("data_engineer"),
    "more_data_scientists": _more_scientists_gap,
    "ml_architect": _role_gap("ml_architect"),
    "qa_engineer": _role_gap("qa_engineer"),
    "sre_for_ml": _sre_gap,
    "lead_engineer": _role_gap("lead_engineer"),
    "lead_product_manager": _role_gap("lead_product_manager"),
    "head_of_data_science": _role_gap("head_of_data_science"),
    "business_analyst": _function_gap("business_analyst"),
    "product_engineer": _function_gap("product_engineer"),
}


#: Hires that answer a quality gap among people who are listed (not an absence), so they are never "confirm".
QUALITY_GAPS = frozenset({"ml_scientist", "ml_product_manager", "more_data_scientists", "sre_for_ml"})


def _status(ctx: AnalysisContext, hire_id: str, role: str, known: bool) -> Literal["hire", "confirm"]:
    """``hire`` where the role is known to be missing (or the gap is among people listed), else ``confirm``."""
    if not known:
        return "confirm"
    presence = facts_of(ctx.index).role(role)
    if presence == "unknown" and not (hire_id in QUALITY_GAPS and ctx.index.role_counts.get(role, 0)):
        return "confirm"
    return "hire"


def hiring_plan(ctx: AnalysisContext, stage: str, cov: dict[str, Coverage], part: Partition) -> tuple[Hire, ...]:
    """Hires in the framework's order, skipping what is covered.

    The next stage's hires join the plan only once the hires of the current stage and those before
    it are made: the framework grows a team in sequence, so an organization still missing its first
    ML engineer is not yet told to add more data scientists.
    """
    current = STAGE_ORDER.index(stage)
    plan = _plan(ctx, current, cov, part)
    if not any(h.stage != "any" for h in plan) and current + 1 < len(STAGE_ORDER):
        plan = _plan(ctx, current + 1, cov, part)
    return plan


def _plan(ctx: AnalysisContext, horizon: int, cov: dict[str, Coverage], part: Partition) -> tuple[Hire, ...]:
    info = knowledge.roles()
    known = staff_known(ctx.spec)
    state = PlanState(ctx, cov, part)
    plan: list[Hire] = []
    ordered = [h for h in info.hires if h.stage != "any"] + [h for h in info.hires if h.stage == "any"]
    for h in ordered:
        if h.stage == "any":
            if not known:
                continue
        elif STAGE_ORDER.index(h.stage) > horizon:
            continue
        context = GAPS[h.id](state) if known else "The spec does not say who works here yet."
        if context is None:
            continue
        state.planned[h.role] += 1
        if h.id in state.unproven:
            status: Literal["hire", "confirm"] = "confirm"  # the context says what to confirm
        else:
            status = _status(ctx, h.id, h.role, known)
            if status == "confirm":
                context += " The list that would name them is not complete: confirm before hiring."
        plan.append(
            Hire(
                role=h.role,
                status=status,
                reason=f"{context} {h.reason}",
                sourcing=tuple(info.route(r).text for r in h.sourcing),
                experienced=h.experienced,
                source=h.source,
                id=h.id,
                stage=h.stage,
            )
        )
    return tuple(plan)


def analyze(ctx: AnalysisContext, maturity: MaturityResult) -> RolesResult:
    small = ctx.index.headcount <= ctx.thresholds.small_org_headcount
    cov = coverage(ctx, small)
    part = partition(ctx)
    plan = hiring_plan(ctx, maturity.stage, cov, part)
    rationale = [
        f"{'Small' if small else 'Not a small'} organization ({ctx.index.headcount} people, small up to "
        f"{ctx.thresholds.small_org_headcount}): "
        + ("one person may cover several functions." if small else "each function needs its own person."),
        f"Experienced ML practitioners: {part.experienced} of the {part.needed_experienced} needed; "
        f"{part.learning} learning on the job; {part.unknown} not stated.",
        f"Hiring plan follows the {maturity.stage} stage, and the one after it once its hires are made, "
        "skipping covered roles.",
    ]
    return RolesResult(coverage=cov, hiring_plan=plan, partition=part, small_org=small, rationale=tuple(rationale))
