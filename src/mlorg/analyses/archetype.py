"""Archetype (fsdl-teams) and the three design dimensions.

A decision list, first match wins:

1. nobody does ML, or a few people do it without backing (at most ``nascent_ml_staff_max`` ML
   staff, no voice in leadership, ambition below ``core``) -> ``nascent_ad_hoc``;
2. ambition ``everywhere``, ML people in at least two product-side teams *and* a central ML team,
   and a voice in leadership -> ``ml_first``;
3. otherwise by where most ML staff sit: research teams -> ``research_and_development``;
   product-side teams -> ``product_embedded``; central ML teams -> ``independent_ml_division``.

The dimensions are averages of the signals the spec gives (each 0..1); a dimension with no
signal is unknown (score null), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from mlorg import knowledge
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.ml_staff import MAX_EVIDENCE, Placement, placement
from mlorg.facts import facts_of
from mlorg.facts.staff import is_research_team
from mlorg.knowledge import ArchetypeId
from mlorg.results import Evidence, Result
from mlorg.spec.index import ML_TEAM_KINDS

ENGINEERING_ROLES = ("ml_engineer", "sre_ml", "ml_architect")
RESEARCH_ROLES = ("ml_researcher",)
FOCUS_SCORE = {"implementation": 1.0, "both": 0.5, "research": 0.0}
FUNCTION_SCORE = {"business_metrics": 1.0, "platform": 1.0, "research": 0.0}
HIGH, LOW = 2 / 3, 1 / 3
YES_NO = {True: "yes", False: "no", None: "unknown"}


class Dimension(Result):
    score: float | None = Field(
        description="0 (research / owned elsewhere) .. 1 (engineering / owned); null = unknown."
    )
    label: str
    evidence: tuple[Evidence, ...] = ()
    name: str = ""
    question: str = ""


class ArchetypeResult(Result):
    id: ArchetypeId
    dimensions: dict[str, Dimension] = Field(default_factory=dict)
    rationale: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0
    name: str = ""
    strengths: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()


# --- dimensions ------------------------------------------------------------------------------


class Signals:
    """A dimension's signals: every score (in order, for the mean) and the evidence of the first few.

    Only the first ``MAX_EVIDENCE`` signals are shown, so evidence is built for those alone (at
    100,000 people a dimension has tens of thousands of signals).
    """

    def __init__(self) -> None:
        self.scores: list[float] = []
        self.evidence: list[Evidence] = []

    @property
    def full(self) -> bool:
        """No more evidence is shown: add scores with :meth:`score` alone."""
        return len(self.evidence) >= MAX_EVIDENCE

    def add(self, score: float, evidence: Evidence) -> None:
        self.scores.append(score)
        if len(self.evidence) < MAX_EVIDENCE:
            self.evidence.append(evidence)

    def score(self, score: float) -> None:
        """A signal past the evidence shown (call only when :attr:`full`)."""
        self.scores.append(score)


def _dimension(info: knowledge.DimensionInfo, signals: Signals) -> Dimension:
    if not signals.scores:
        return Dimension(score=None, label="unknown", name=info.name, question=info.question)
    score = round(sum(signals.scores) / len(signals.scores), 3)
    label = info.high if score >= HIGH else info.low if score <= LOW else info.middle
    return Dimension(
        score=score,
        label=label,
        evidence=tuple(signals.evidence),
        name=info.name,
        question=info.question,
    )


def _ml_teams(ctx: AnalysisContext, p: Placement) -> Iterable[str]:
    return iter(p.ml_teams)


def engineering_signals(ctx: AnalysisContext, p: Placement) -> Signals:
    out = Signals()
    focus = ctx.spec.organization.ml_focus
    if focus is not None:
        out.add(FOCUS_SCORE[focus], Evidence(path="organization.ml_focus", value=focus))
    counts = ctx.index.role_counts
    eng = sum(counts.get(r, 0) for r in ENGINEERING_ROLES)
    res = sum(counts.get(r, 0) for r in RESEARCH_ROLES)
    sci = counts.get("data_scientist", 0)
    if eng + res + sci:
        share = (eng + 0.5 * sci) / (eng + res + sci)
        mix = {"engineers": eng, "data_scientists": sci, "researchers": res}
        out.add(share, Evidence(path="people", value=mix, note="engineering share of ML roles"))
    index = ctx.index
    for tid in _ml_teams(ctx, p):
        t = index.teams[tid]
        if t.function in FUNCTION_SCORE:
            if out.full:
                out.score(FUNCTION_SCORE[t.function])
            else:
                out.add(
                    FUNCTION_SCORE[t.function], Evidence(path=index.path("teams", tid, "function"), value=t.function)
                )
        if t.own_engineering is not None:
            if out.full:
                out.score(float(t.own_engineering))
            else:
                out.add(
                    float(t.own_engineering),
                    Evidence(path=index.path("teams", tid, "own_engineering"), value=t.own_engineering),
                )
    return out


def data_signals(ctx: AnalysisContext, p: Placement) -> Signals:
    """Do the teams that build models own the features they use? Do ML teams hold data engineers?"""
    index = ctx.index
    features = index.features
    owned = total = 0
    for m in ctx.spec.models:
        builder = m.built_by
        if not builder:
            continue
        for fid in m.features or ():
            feat = features.get(fid)
            if feat is not None and feat.owner:
                total += 1
                owned += feat.owner == builder
    out = Signals()
    if total:
        out.add(
            owned / total,
            Evidence(path="features", value=f"{owned} of {total}", note="model features owned by the building team"),
        )
    with_ml = [*p.central_teams, *p.embedded_teams]
    if with_ml:
        by_team = index.people_by_team  # only the ML-staffed teams' people are read
        has_de = 0
        for tid in with_ml:
            staffed = (index.teams[tid].staffing or {}).get("data_engineer", 0)
            has_de += bool(staffed or any("data_engineer" in q.roles for q in by_team.get(tid, ())))
        out.add(
            has_de / len(with_ml),
            Evidence(path="teams", value=f"{has_de} of {len(with_ml)}", note="ML-staffed teams with a data engineer"),
        )
    return out


def model_signals(ctx: AnalysisContext) -> Signals:
    """Do the teams that build models also run them, own them and get their escalations?"""
    index = ctx.index
    people = index.people
    out = Signals()
    for m in ctx.spec.models:
        builder = m.built_by
        if m.status == "idea" or not builder:
            continue
        if out.full:  # the same scores as below, without the evidence no one will see
            if m.operated_by:
                out.score(float(m.operated_by == builder))
            if m.escalation:
                person = people.get(m.escalation)
                out.score(float((person.team if person else m.escalation) == builder))
            if m.owner and m.owner in people:
                out.score(float(people[m.owner].team == builder))
            continue
        if m.operated_by:
            out.add(
                float(m.operated_by == builder),
                Evidence(path=index.path("models", m.id, "operated_by"), value=m.operated_by),
            )
        if m.escalation:
            person = people.get(m.escalation)
            team = person.team if person else m.escalation
            out.add(float(team == builder), Evidence(path=index.path("models", m.id, "escalation"), value=m.escalation))
        if m.owner and m.owner in people:
            out.add(
                float(people[m.owner].team == builder),
                Evidence(path=index.path("models", m.id, "owner"), value=m.owner),
            )
    return out


# --- archetype -------------------------------------------------------------------------------


def _reports_to_leadership(ctx: AnalysisContext, p: Placement) -> bool:
    """Does a central ML team sit directly under a leadership team (or at the top)?"""
    for tid in p.central_teams:
        t = ctx.index.teams[tid]
        if t.kind not in ML_TEAM_KINDS:
            continue
        parent = ctx.index.teams.get(t.parent) if t.parent else None
        if parent is None or parent.kind == "leadership":
            return True
    return False


def _builders(ctx: AnalysisContext, p: Placement) -> dict[str, int]:
    """Models in development or production by where the team that built them stands."""
    out = {"research": 0, "embedded": 0, "central": 0}
    for m in ctx.spec.models:
        team = ctx.index.teams.get(m.built_by) if m.built_by else None
        if team is None or m.status not in ("development", "production"):
            continue
        if p.placement(team.id) == "embedded" or (not p.is_ml_home(team.id) and team.kind != "leadership"):
            out["embedded"] += 1
        elif is_research_team(team):
            out["research"] += 1
        elif team.id not in facts_of(ctx.index).ml_platform_teams:
            out["central"] += 1
    return out


def decide(ctx: AnalysisContext, p: Placement) -> tuple[ArchetypeId, list[str], float]:
    """The archetype id, the reasons, and a factor (<= 1) for how clear-cut the decision was."""
    spec, th = ctx.spec, ctx.thresholds
    ambition = spec.strategy.ml_ambition
    voice = spec.strategy.ml_leader_in_leadership
    if not p.known:
        return "nascent_ad_hoc", ["The spec names no people or staffing, so no ML work can be seen."], 0.5
    if p.total == 0:
        return "nascent_ad_hoc", ["Nobody holds an ML role: ML is not being done, or only ad hoc."], 1.0
    backed = ambition in ("core", "everywhere") or voice is True
    if p.total <= th.nascent_ml_staff_max and not backed:
        return (
            "nascent_ad_hoc",
            [
                f"{p.total} ML staff (at most {th.nascent_ml_staff_max}), ambition {ambition or 'unknown'}, "
                f"ML voice in leadership {YES_NO[voice]}: ML is done ad hoc, "
                "without the backing of an established function."
            ],
            1.0 if ambition is not None and voice is not None else 0.7,
        )
    if ambition == "everywhere" and voice is True and len(p.embedded_teams) >= 2 and p.central:
        return (
            "ml_first",
            [
                "Ambition everywhere with ML in leadership, ML people in "
                f"{len(p.embedded_teams)} product-side teams and a central ML team for the long projects."
            ],
            1.0,
        )
    central = set(p.central_teams)
    platform = sum(p.ml_staff(t) for t in facts_of(ctx.index).ml_platform_teams if t in central)
    central_other = p.central - p.research - platform
    shares = {"research": p.research, "embedded": p.embedded, "central": central_other}
    split = f"{p.research} in research teams, {p.embedded} in product-side teams, {central_other} in other ML teams"
    if platform:
        split += f" ({platform} more in platform teams, which serve the others rather than build for them)"
    built = _builders(ctx, p)
    if sum(built.values()):
        top = max(built, key=lambda k: (built[k], shares[k], -list(built).index(k)))
        split += (
            f"; models are built by research teams ({built['research']}), product-side teams "
            f"({built['embedded']}) and other ML teams ({built['central']})"
        )
        lead = "Most models are built"
    else:
        top = max(shares, key=lambda k: (shares[k], -list(shares).index(k)))
        lead = "Most ML staff sit"
    if top == "research":
        return "research_and_development", [f"{lead} in research: {split}."], 1.0
    if top == "embedded":
        return "product_embedded", [f"{lead} in product-side teams: {split}."], 1.0
    if _reports_to_leadership(ctx, p):
        return "independent_ml_division", [f"Most ML staff sit in a central ML team under leadership: {split}."], 1.0
    return (
        "independent_ml_division",
        [
            f"Most ML staff sit in a central ML team ({split}), though it sits under a department rather "
            "than reporting straight to senior leadership."
        ],
        0.8,
    )


def analyze(ctx: AnalysisContext, staff: Placement | None = None) -> ArchetypeResult:
    p = staff or placement(ctx)
    archetype_id, rationale, clarity = decide(ctx, p)
    info = next(a for a in knowledge.archetypes().archetypes if a.id == archetype_id)
    dims = {d.id: d for d in knowledge.archetypes().dimensions}
    dimensions = {
        "engineering_vs_research": _dimension(dims["engineering_vs_research"], engineering_signals(ctx, p)),
        "data_ownership": _dimension(dims["data_ownership"], data_signals(ctx, p)),
        "model_ownership": _dimension(dims["model_ownership"], model_signals(ctx)),
    }
    spec = ctx.spec
    asked = (spec.strategy.ml_ambition, spec.strategy.ml_leader_in_leadership, spec.organization.ml_focus)
    known = sum(v is not None for v in asked) + p.known
    evidence = (
        Evidence(path="strategy.ml_ambition", value=spec.strategy.ml_ambition),
        Evidence(path="strategy.ml_leader_in_leadership", value=spec.strategy.ml_leader_in_leadership),
        *p.evidence,
    )
    return ArchetypeResult(
        id=archetype_id,
        dimensions=dimensions,
        rationale=(*rationale, f"{info.name}: {info.description} [{info.source}]"),
        evidence=evidence,
        confidence=round(clarity * known / 4, 3),
        name=info.name,
        strengths=info.strengths,
        challenges=info.challenges,
    )
