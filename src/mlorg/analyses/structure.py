"""Current and recommended ML structure (hasty-structures, tecton-embedded, georgian-maturity, rml-ch13).

Today's structure is read from where ML staff sit (ML teams versus product-side teams) and whom
named people report to. The recommendation comes from the size band, the research-versus-
implementation focus and the maturity stage, through the table in ``knowledge/structures.yaml``.
The weak points of the recommended structure are always listed, with each mitigation marked as
in place, missing or unknown.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import Field

from mlorg import knowledge
from mlorg.analyses.collaboration import CollaborationAnalysis, ObservedVerdict
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity import MaturityResult
from mlorg.analyses.ml_staff import MAX_EVIDENCE, Placement, classify, placement, section_given
from mlorg.facts import INTEGRATION_KINDS, facts_of
from mlorg.knowledge import Focus, SizeBand, StageId, StructureId
from mlorg.results import Evidence, Result
from mlorg.settings import Thresholds
from mlorg.spec.index import ML_TEAM_KINDS

__all__ = ["Mitigation", "StructureId", "StructureResult", "WeakPoint", "analyze", "classify"]


class WeakPoint(Result):
    id: str
    text: str
    source: str
    mitigations: tuple[str, ...] = Field(default=(), description="Ids of the mitigations that address it.")


class Mitigation(Result):
    id: str
    text: str
    in_place: bool | None = Field(None, description="True, false, or null when the spec does not say.")
    evidence: tuple[Evidence, ...] = ()
    source: str = ""
    addresses: tuple[str, ...] = Field(default=(), description="Ids of the weak points it addresses.")


class StructureResult(Result):
    current: StructureId
    recommended: StructureId
    rationale: tuple[str, ...] = ()
    weak_points: tuple[WeakPoint, ...] = ()
    mitigations: tuple[Mitigation, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    size_band: SizeBand = "mid"
    focus: Focus = "implementation"
    focus_assumed: bool = Field(False, description="True when `organization.ml_focus` was not given.")
    on_path: bool = Field(
        False,
        description="True when today's structure is the early path to the recommended one: a first central ML "
        "team, at the getting-started or exploring stage, from which the recommended hybrid grows.",
    )
    confidence: float = 1.0

    @property
    def missing_mitigations(self) -> tuple[Mitigation, ...]:
        return tuple(m for m in self.mitigations if m.in_place is not True)


# --- recommendation -------------------------------------------------------------------------


def size_band(headcount: int, thresholds: Thresholds) -> SizeBand:
    if headcount <= thresholds.small_org_headcount:
        return "small"
    if headcount >= thresholds.enterprise_headcount:
        return "enterprise"
    return "mid"


def recommend(size: SizeBand, focus: Focus, stage: StageId) -> knowledge.Recommendation:
    """The first row of the recommendation table that matches."""
    for row in knowledge.structures().recommendations:
        if row.matches(size, focus, stage):
            return row
    raise LookupError(f"no structure recommendation for {size}/{focus}/{stage}")  # pragma: no cover


# --- mitigations ----------------------------------------------------------------------------

Outcome = tuple[bool | None, tuple[Evidence, ...]]


def _flag(path: str, value: bool | None) -> Outcome:
    return value, ((Evidence(path=path, value=value),) if value is not None else ())


def _ml_teams(ctx: AnalysisContext, p: Placement) -> list[str]:
    """Teams of an ML kind plus any other team holding ML staff, in spec order."""
    return list(p.ml_teams)


def _observed(ctx: AnalysisContext, kind: str, verdict: ObservedVerdict) -> Outcome:
    """The observed ties' verdict on a forum-kind mitigation: ties count, a forum nobody uses does not."""
    ties = Evidence(path="collaboration.ties", value=verdict.ties, note=verdict.what)
    live = [f for f in verdict.forums if f not in verdict.unused]
    unused = tuple(
        Evidence(
            path=ctx.index.path("forums", f, "teams"),
            value=list(ctx.index.forums[f].teams),
            note="declared, but the observed ties show nobody uses it; it does not count as a mitigation",
        )
        for f in verdict.unused[:MAX_EVIDENCE]
    )
    if verdict.ties >= ctx.thresholds.network_min_link_ties:
        return True, (ties,)
    if live:
        path = ctx.index.path("forums", live[0], "kind")
        value = ctx.index.forums[live[0]].kind
        return True, (Evidence(path=path, value=value, note="declared, and the observed ties do not show it unused"),)
    return False, (ties, *unused)


def _forum_of_kind(ctx: AnalysisContext, p: Placement, kind: str) -> Outcome:
    if not section_given(ctx.spec, "forums"):
        return None, ()
    ml = set(_ml_teams(ctx, p))
    for f in ctx.spec.forums:
        if f.kind == kind and (not ml or ml.intersection(f.teams)):
            return True, (Evidence(path=ctx.index.path("forums", f.id, "kind"), value=f.kind),)
    return False, (Evidence(path="forums", value=len(ctx.spec.forums), note=f"no {kind} forum with an ML team"),)


def _integration_point(ctx: AnalysisContext, p: Placement, verdict: ObservedVerdict | None = None) -> Outcome:
    """In place when a forum joins ML with the business, as the facts decide it for the rule too."""
    if verdict is not None:
        return _observed(ctx, "integration_point", verdict)
    if not section_given(ctx.spec, "forums"):
        return None, ()
    known = facts_of(ctx.index)
    kinds = [f for f in ctx.spec.forums if f.kind in INTEGRATION_KINDS]
    if not known.doing_ml:  # nobody does ML yet: a venue of the kind is in place for when they do
        if kinds:
            return True, (Evidence(path=ctx.index.path("forums", kinds[0].id, "kind"), value=kinds[0].kind),)
        return False, (Evidence(path="forums", value=len(ctx.spec.forums), note="no integration-point forum"),)
    if known.integration_forums:
        f = ctx.index.forums[known.integration_forums[0]]
        path = ctx.index.path("forums", f.id, "kind")
        note = None if f.kind == "integration_point" else "attended by ML and a product or business team"
        return True, (Evidence(path=path, value=f.kind, note=note),)
    if not known.business_teams or known.lists.question("forums"):
        return None, ()  # no business team to meet, or a partial list may hold the forum
    return False, (
        Evidence(path="forums", value=len(kinds), note="forums of an integration kind, none joining ML with business"),
    )


def _ml_community(ctx: AnalysisContext, p: Placement, verdict: ObservedVerdict | None = None) -> Outcome:
    """In place when a community of practice joins ML people of two teams, as the facts decide it for the
    rule too; with ML staff in one team at most, any community of practice it takes part in."""
    if verdict is not None:
        return _observed(ctx, "community_of_practice", verdict)
    known = facts_of(ctx.index)
    if len(known.community_teams) < 2:
        return _forum_of_kind(ctx, p, "community_of_practice")
    if not section_given(ctx.spec, "forums"):
        return None, ()
    if known.community_forums:
        return True, (
            Evidence(path=ctx.index.path("forums", known.community_forums[0], "kind"), value="community_of_practice"),
        )
    if known.lists.question("forums"):
        return None, ()  # a partial list may hold the forum
    return False, (
        Evidence(
            path="forums",
            value=len(ctx.spec.forums),
            note="no community of practice joins ML staff of two teams",
        ),
    )


def _platform_team(ctx: AnalysisContext, p: Placement) -> Outcome:
    known = facts_of(ctx.index)
    if known.ml_platform_teams:
        tid = known.ml_platform_teams[0]
        return True, (Evidence(path=ctx.index.path("teams", tid), value=tid, note="platform team"),)
    if known.platform_teams_unsure or not ctx.spec.teams:
        return None, ()  # a platform team whose people are not given may or may not serve ML
    return False, (Evidence(path="teams", value=len(ctx.spec.teams), note="no ML platform team"),)


def _shared_tooling(ctx: AnalysisContext, p: Placement) -> Outcome:
    products: dict[str, dict[str, str]] = {}
    for t in ctx.spec.teams:
        for function, product in (t.tools or {}).items():
            products.setdefault(function, {}).setdefault(product.lower(), t.id)
    if not products:
        return None, ()
    split = sorted(f for f, by_product in products.items() if len(by_product) > 1)
    if split:
        ev = tuple(
            Evidence(path=ctx.index.path("teams", team, "tools", f), value=product, note=f"one of several {f} tools")
            for f in split[:MAX_EVIDENCE]
            for product, team in sorted(products[f].items())[:2]
        )
        return False, ev
    first = next(t for t in ctx.spec.teams if t.tools)
    return True, (
        Evidence(path=ctx.index.path("teams", first.id, "tools"), value=sorted(products), note="one product each"),
    )


def _clear_function(ctx: AnalysisContext, p: Placement) -> Outcome:
    teams = [ctx.index.teams[t] for t in _ml_teams(ctx, p) if ctx.index.teams[t].kind in ML_TEAM_KINDS]
    if not teams:
        return None, ()
    # evidence only for the teams shown (thousands of ML teams at 100,000 people)
    if any(t.function == "undefined" for t in teams):
        undefined = [t for t in teams if t.function == "undefined"][:MAX_EVIDENCE]
        return False, tuple(
            Evidence(path=ctx.index.path("teams", t.id, "function"), value=t.function) for t in undefined
        )
    if any(t.function is None for t in teams):
        return None, ()
    return True, tuple(
        Evidence(path=ctx.index.path("teams", t.id, "function"), value=t.function) for t in teams[:MAX_EVIDENCE]
    )


def _experimentation_budget(ctx: AnalysisContext, p: Placement) -> Outcome:
    practice = ctx.spec.practices.experimentation_budget
    team_flags = [
        (t, t.experimentation_budget)
        for t in (ctx.index.teams[i] for i in _ml_teams(ctx, p))
        if t.experimentation_budget is not None
    ]
    if practice or any(v for _, v in team_flags):
        if practice:
            return _flag("practices.experimentation_budget", True)
        t = next(t for t, v in team_flags if v)
        return True, (Evidence(path=ctx.index.path("teams", t.id, "experimentation_budget"), value=True),)
    if practice is False:
        return _flag("practices.experimentation_budget", False)
    if team_flags:
        return False, tuple(
            Evidence(path=ctx.index.path("teams", t.id, "experimentation_budget"), value=False)
            for t, _ in team_flags[:MAX_EVIDENCE]
        )
    return None, ()


def _reporting_vs_seating(ctx: AnalysisContext, p: Placement) -> Outcome:
    if p.dotted:
        return True, tuple(e for e in p.evidence if e.path.endswith("reports_to"))
    if p.total and not p.embedded:
        return False, (
            Evidence(path="teams", value=list(p.central_teams[:MAX_EVIDENCE]), note="all ML staff sit in ML teams"),
        )
    if p.embedded_named_with_line:
        return False, (
            Evidence(path="people", value=p.embedded_named_with_line, note="embedded ML people report locally"),
        )
    return None, ()


def _own_engineering(ctx: AnalysisContext, p: Placement) -> Outcome:
    central = set(p.central_homes)
    teams = [t for t in ctx.spec.teams if t.kind in ML_TEAM_KINDS and t.id in central]
    known = [t for t in teams if t.own_engineering is not None]
    if any(t.own_engineering for t in known):
        t = next(t for t in known if t.own_engineering)
        return True, (Evidence(path=ctx.index.path("teams", t.id, "own_engineering"), value=True),)
    if known and len(known) == len(teams):
        return False, tuple(
            Evidence(path=ctx.index.path("teams", t.id, "own_engineering"), value=False) for t in known[:MAX_EVIDENCE]
        )
    return None, ()


def _product_kpis(ctx: AnalysisContext, p: Placement) -> Outcome:
    models = [m for m in ctx.spec.models if m.status in ("development", "production")]
    if not models:
        return None, ()
    off = [m for m in models if m.kpi in ("model", "none")]
    if off:
        return False, tuple(
            Evidence(path=ctx.index.path("models", m.id, "kpi"), value=m.kpi) for m in off[:MAX_EVIDENCE]
        )
    if any(m.kpi is None for m in models):
        return None, ()
    return True, tuple(Evidence(path=ctx.index.path("models", m.id, "kpi"), value=m.kpi) for m in models[:MAX_EVIDENCE])


MITIGATION_CHECKS: dict[str, Callable[[AnalysisContext, Placement], Outcome]] = {
    "integration_point": _integration_point,
    "ml_community": _ml_community,
    "platform_team": _platform_team,
    "shared_tooling": _shared_tooling,
    "idea_intake": lambda ctx, p: _flag("practices.idea_intake", ctx.spec.practices.idea_intake),
    "prioritization": lambda ctx, p: _flag(
        "practices.prioritization_process", ctx.spec.practices.prioritization_process
    ),
    "leadership_seat": lambda ctx, p: _flag(
        "strategy.ml_leader_in_leadership", ctx.spec.strategy.ml_leader_in_leadership
    ),
    "clear_function": _clear_function,
    "experimentation_budget": _experimentation_budget,
    "reporting_vs_seating": _reporting_vs_seating,
    "own_engineering": _own_engineering,
    "product_kpis": _product_kpis,
    "ml_training": lambda ctx, p: _flag("practices.ml_training_for_staff", ctx.spec.practices.ml_training_for_staff),
}


def mitigations_for(
    ctx: AnalysisContext, p: Placement, structure: StructureId, observed: CollaborationAnalysis | None = None
) -> tuple[Mitigation, ...]:
    """Every mitigation that addresses a weak point of ``structure``, in catalogue order, checked.

    With observed ties that can judge them (``observed.integration`` / ``observed.community``),
    the integration point and the ML community are judged by the ties, as the silo rules judge them.
    """
    checks = dict(MITIGATION_CHECKS)
    if observed is not None and observed.integration is not None:
        verdict_i = observed.integration
        checks["integration_point"] = lambda ctx, p: _integration_point(ctx, p, verdict_i)
    if observed is not None and observed.community is not None:
        verdict_c = observed.community
        checks["ml_community"] = lambda ctx, p: _ml_community(ctx, p, verdict_c)
    info = knowledge.structures()
    addresses: dict[str, list[str]] = {}
    for wp in info.structure(structure).weak_points:
        for mid in wp.mitigations:
            addresses.setdefault(mid, []).append(wp.id)
    out = []
    for m in info.mitigations:
        if m.id not in addresses:
            continue
        in_place, evidence = checks[m.id](ctx, p)
        out.append(
            Mitigation(
                id=m.id,
                text=m.text,
                in_place=in_place,
                evidence=evidence,
                source=m.source,
                addresses=tuple(addresses[m.id]),
            )
        )
    return tuple(out)


# --- the analysis ---------------------------------------------------------------------------


def analyze(
    ctx: AnalysisContext,
    maturity: MaturityResult,
    staff: Placement | None = None,
    observed: CollaborationAnalysis | None = None,
) -> StructureResult:
    th = ctx.thresholds
    p = staff or placement(ctx)
    current, why_current = classify(p)
    headcount = ctx.index.headcount
    band = size_band(headcount, th)
    given_focus = ctx.spec.organization.ml_focus
    focus: Focus = given_focus or "implementation"
    row = recommend(band, focus, maturity.stage)

    rationale = [why_current]
    rationale.append(
        f"Size: {headcount} people, {'an' if band[0] in 'aeiou' else 'a'} {band} organization "
        f"(small up to {th.small_org_headcount}, enterprise from {th.enterprise_headcount})."
    )
    if given_focus is None:
        rationale.append(
            "Focus: organization.ml_focus is not given; read as implementation, the more common case. "
            "A research focus would change the recommendation."
        )
    else:
        rationale.append(f"Focus: {focus}.")
    rationale.append(f"Stage: {maturity.stage}.")
    rationale.append(f"Recommended {row.structure}: {row.reason} [{row.source}]")
    early = maturity.stage in ("getting_started", "exploring")
    if early:
        path = knowledge.structures().early_path
        rationale.append(f"Path: {path.text} [{path.source}]")
        rationale.append(f"Path: {path.reasoning}")
    # georgian-maturity: the first team works as a startup inside the company; a hybrid's central core is
    # that team, so a centralized start is the hybrid's path, not a departure from it.
    on_path = early and current == "centralized" and row.structure == "hybrid"
    if current == row.structure:
        rationale.append(f"Today's structure already is {current}; the work is in its weak points below.")
    elif on_path:
        rationale.append(
            f"Today's structure is {current}: the first central ML team, which becomes the core of the "
            f"{row.structure} structure as more units take up ML. It is on the path, not off it."
        )
    elif current != "none":
        rationale.append(f"Today's structure is {current}, not the {row.structure} structure recommended here.")

    weak = tuple(
        WeakPoint(id=w.id, text=w.text, source=w.source, mitigations=w.mitigations)
        for w in knowledge.structures().structure(row.structure).weak_points
    )
    declared = ctx.spec.organization.headcount
    unknowns = (0 if p.known else 1) + (given_focus is None) + (declared is None)
    return StructureResult(
        current=current,
        recommended=row.structure,
        rationale=tuple(rationale),
        weak_points=weak,
        mitigations=mitigations_for(ctx, p, row.structure, observed),
        evidence=(
            Evidence(
                path="organization.headcount" if declared else "teams",
                value=headcount,
                note=None if declared else "headcount derived from teams and people",
            ),
            Evidence(path="organization.ml_focus", value=given_focus),
            *p.evidence,
        ),
        size_band=band,
        focus=focus,
        focus_assumed=given_focus is None,
        on_path=on_path,
        confidence=round(1 - unknowns / 3, 3),
    )
