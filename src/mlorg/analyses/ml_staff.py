"""Where ML people sit and whom they report to: facts shared by several analyses.

One pass over teams and one over people (reporting chains are memoised), so the cost stays
linear in the size of the organization. Named people and unlisted team ``staffing`` are counted
alike; only named people carry a reporting line.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlorg.analyses.context import AnalysisContext
from mlorg.knowledge import StructureId
from mlorg.results import Evidence
from mlorg.settings import Thresholds
from mlorg.spec.index import ML_ROLES, SpecIndex
from mlorg.spec.models import Organization, Person, Team

#: Team kinds that are a home of their own for ML people (as opposed to product or business teams).
ML_HOME_KINDS = frozenset({"ml", "research", "data", "platform", "leadership"})
#: Parent kinds that make a nested ML-home team part of a product line.
PRODUCT_SIDE_KINDS = frozenset({"product", "business"})
#: Most evidence items one conclusion lists; counts in the text always give the full number.
MAX_EVIDENCE = 10


def section_given(spec: Organization, section: str) -> bool:
    """Did the spec state this top-level section at all? Absent means unknown; ``[]`` means none."""
    return section in spec.model_fields_set


def staff_known(spec: Organization) -> bool:
    """Does the spec say who works here, by name or by ``staffing`` counts?"""
    return bool(spec.people) or any(t.staffing for t in spec.teams)


def is_research_team(team: Team) -> bool:
    return team.kind == "research" or team.function == "research"


def is_central_team(index: SpecIndex, team: Team) -> bool:
    """An ML-home team that is not nested inside a product or business team."""
    if team.kind not in ML_HOME_KINDS:
        return False
    parent = index.teams.get(team.parent) if team.parent else None
    return parent is None or parent.kind not in PRODUCT_SIDE_KINDS


def is_ml_person(person: Person) -> bool:
    return bool(ML_ROLES.intersection(person.roles))


@dataclass(frozen=True)
class Placement:
    """ML staff counted by where they sit; ``dotted`` = embedded people reporting into a central ML lead."""

    known: bool
    total: int
    central: int
    embedded: int
    research: int
    dotted: int
    embedded_named: int
    embedded_named_with_line: int
    central_teams: tuple[str, ...]
    embedded_teams: tuple[str, ...]
    research_teams: tuple[str, ...]
    evidence: tuple[Evidence, ...]

    @property
    def teams_with_ml(self) -> int:
        return len(self.central_teams) + len(self.embedded_teams)


def reports_into_central(index: SpecIndex, people: list[Person]) -> dict[str, bool]:
    """For each given person: does their ``reports_to`` chain reach a central ML lead?

    A central ML lead is a head of data science anywhere, or anyone holding an ML role who sits
    in a central ML-home team. Chains are walked once each thanks to memoisation.
    """
    central_team = {t.id: is_central_team(index, t) for t in index.spec.teams}

    def is_lead(p: Person) -> bool:
        return "head_of_data_science" in p.roles or (is_ml_person(p) and central_team.get(p.team, False))

    above: dict[str, bool] = {}  # person id -> "this person or someone above them is a lead"
    out: dict[str, bool] = {}
    for person in people:
        path: list[str] = []
        cur = person.reports_to
        result = False
        while cur is not None:
            if cur in above:
                result = above[cur]
                break
            path.append(cur)
            boss = index.people.get(cur)
            if boss is None:
                break
            if is_lead(boss):
                result = True
                break
            cur = boss.reports_to
        for pid in path:
            above[pid] = result
        out[person.id] = result
    return out


def placement(ctx: AnalysisContext) -> Placement:
    """Count ML staff in central ML teams versus product-side teams, and who reports centrally."""
    index = ctx.index
    counts = index.ml_count_by_team
    central = embedded = research = 0
    central_teams: list[str] = []
    embedded_teams: list[str] = []
    research_teams: list[str] = []
    evidence: list[Evidence] = []
    for team in ctx.spec.teams:
        n = counts.get(team.id, 0)
        if not n:
            continue
        where = "central" if is_central_team(index, team) else "embedded"
        if where == "central":
            central += n
            central_teams.append(team.id)
        else:
            embedded += n
            embedded_teams.append(team.id)
        if is_research_team(team):
            research += n
            research_teams.append(team.id)
        if len(evidence) < MAX_EVIDENCE:
            evidence.append(
                Evidence(
                    path=index.path("teams", team.id, "kind"),
                    value=team.kind,
                    note=f"{n} ML staff sit here ({'an ML home' if where == 'central' else 'a product-side team'})",
                )
            )
    embedded_ids = set(embedded_teams)
    embedded_people = [p for p in index.ml_people if p.team in embedded_ids]
    central_line = reports_into_central(index, embedded_people)
    dotted = 0
    for p in embedded_people:
        if central_line[p.id]:
            dotted += 1
            if len(evidence) < MAX_EVIDENCE:
                evidence.append(
                    Evidence(
                        path=index.path("people", p.id, "reports_to"),
                        value=p.reports_to,
                        note="sits in a product-side team but reports into a central ML lead",
                    )
                )
    return Placement(
        known=staff_known(ctx.spec),
        total=central + embedded,
        central=central,
        embedded=embedded,
        research=research,
        dotted=dotted,
        embedded_named=len(embedded_people),
        embedded_named_with_line=sum(1 for p in embedded_people if p.reports_to),
        central_teams=tuple(central_teams),
        embedded_teams=tuple(embedded_teams),
        research_teams=tuple(research_teams),
        evidence=tuple(evidence),
    )


def classify(p: Placement, thresholds: Thresholds) -> tuple[StructureId, str]:
    """Name today's structure and say why, from where ML staff sit and whom they report to.

    Mostly in ML teams reads as centralized; mostly in product-side teams as decentralized,
    unless most named embedded people report into a central ML lead (hybrid); a real mix of a
    central core and embedded people is hybrid too.
    """
    if p.total == 0:
        if not p.known:
            return "none", "The spec names no people and no staffing, so no ML staff can be placed."
        return "none", "Nobody in the spec holds an ML role."
    central_share = p.central / p.total
    split = f"{p.central} of {p.total} ML staff sit in ML teams, {p.embedded} in product-side teams"
    if central_share >= thresholds.structure_dominant_share:
        return "centralized", f"Centralized: {split}."
    if p.embedded / p.total >= thresholds.structure_dominant_share:
        if p.dotted and p.dotted * 2 >= p.embedded_named:
            return (
                "hybrid",
                f"Hybrid: {split}, and {p.dotted} of the {p.embedded_named} named embedded people "
                "report into a central ML lead.",
            )
        return "decentralized", f"Decentralized: {split}, reporting inside their product teams."
    return "hybrid", f"Hybrid: {split} (a central core plus embedded people)."
