"""Lookups over a validated spec, built once and shared by every analysis and rule."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from mlorg.spec.models import Feature, Forum, Initiative, Model, Organization, Person, Role, Team
from mlorg.spec.source import SourceMap

ML_ROLES: frozenset[Role] = frozenset(
    {"data_scientist", "ml_researcher", "ml_engineer", "sre_ml", "ml_architect", "head_of_data_science"}
)
ML_TEAM_KINDS = frozenset({"ml", "research"})
# The kind in a finding's subject (`model:fraud-score`) -> the spec section holding that item.
SUBJECT_SECTION = {
    "team": "teams",
    "person": "people",
    "model": "models",
    "feature": "features",
    "initiative": "initiatives",
    "forum": "forums",
}


@dataclass
class SpecIndex:
    """Id lookups, positions (for evidence paths) and derived groupings."""

    spec: Organization
    teams: dict[str, Team] = field(init=False)
    people: dict[str, Person] = field(init=False)
    models: dict[str, Model] = field(init=False)
    features: dict[str, Feature] = field(init=False)
    initiatives: dict[str, Initiative] = field(init=False)
    forums: dict[str, Forum] = field(init=False)
    position: dict[tuple[str, str], int] = field(init=False)
    facts_cache: Any = field(init=False, default=None, repr=False)  # mlorg.facts.OrgFacts, built on first use

    def __post_init__(self) -> None:
        s = self.spec
        self.teams = {t.id: t for t in s.teams}
        self.people = {p.id: p for p in s.people}
        self.models = {m.id: m for m in s.models}
        self.features = {f.id: f for f in s.features}
        self.initiatives = {i.id: i for i in s.initiatives}
        self.forums = {f.id: f for f in s.forums}
        self.position = {}
        for section in ("teams", "people", "models", "features", "initiatives", "forums"):
            for i, item in enumerate(getattr(s, section)):
                self.position[(section, item.id)] = i

    @classmethod
    def of(cls, spec: Organization) -> SpecIndex:
        """The spec's index, built on first use and kept with the (immutable) spec."""
        if spec._index is None or spec._index.spec is not spec:  # model_copy carries a stale one along
            spec._index = cls(spec)
        index: SpecIndex = spec._index
        return index

    @property
    def source(self) -> SourceMap | None:
        return self.spec._source

    def path(self, section: str, ident: str, *rest: str | int) -> str:
        """Evidence path such as ``models[0].monitoring`` for the item with id ``ident``."""
        out = f"{section}[{self.position[(section, ident)]}]"
        if len(rest) == 1 and type(rest[0]) is str:  # the usual `models[0].monitoring`, without the loop
            return f"{out}.{rest[0]}"
        for part in rest:
            out += f"[{part}]" if isinstance(part, int) else f".{part}"
        return out

    @cached_property
    def people_by_team(self) -> dict[str, list[Person]]:
        out: dict[str, list[Person]] = defaultdict(list)
        for p in self.spec.people:
            out[p.team].append(p)
        return dict(out)

    @cached_property
    def children(self) -> dict[str, list[Team]]:
        out: dict[str, list[Team]] = defaultdict(list)
        for t in self.spec.teams:
            if t.parent:
                out[t.parent].append(t)
        return dict(out)

    @cached_property
    def forums_by_team(self) -> dict[str, list[Forum]]:
        out: dict[str, list[Forum]] = defaultdict(list)
        for f in self.spec.forums:
            for t in f.teams:
                out[t].append(f)
        return dict(out)

    @cached_property
    def ml_people(self) -> list[Person]:
        """Named people holding at least one ML role."""
        return [p for p in self.spec.people if ML_ROLES.intersection(p.roles)]

    @cached_property
    def ml_count_by_team(self) -> dict[str, int]:
        """ML staff per team: named ML people plus unlisted ML ``staffing`` counts."""
        out: dict[str, int] = defaultdict(int)
        for p in self.ml_people:
            out[p.team] += 1
        for t in self.spec.teams:
            if t.staffing:
                out[t.id] += sum(n for role, n in t.staffing.items() if role in ML_ROLES)
        return {k: v for k, v in out.items() if v > 0}

    @cached_property
    def role_counts(self) -> dict[str, int]:
        """People per role across named people and team ``staffing`` counts."""
        out: dict[str, int] = defaultdict(int)
        for p in self.spec.people:
            for r in p.roles:
                out[r] += 1
        for t in self.spec.teams:
            for role, n in (t.staffing or {}).items():
                out[role] += n
        return dict(sorted(out.items()))

    @cached_property
    def headcount(self) -> int:
        """Declared organization headcount, else team headcounts, else named people."""
        if self.spec.organization.headcount:
            return self.spec.organization.headcount
        declared = sum(t.headcount or 0 for t in self.spec.teams)
        return max(declared, len(self.spec.people))

    def team_ancestors(self, team_id: str) -> list[str]:
        """Parents of a team, nearest first (cycles are refused by the loader)."""
        out = []
        cur = self.teams.get(team_id)
        while cur is not None and cur.parent:
            out.append(cur.parent)
            cur = self.teams.get(cur.parent)
        return out

    def share_forum(self, team_a: str, team_b: str) -> bool:
        a = {f.id for f in self.forums_by_team.get(team_a, [])}
        return any(f.id in a for f in self.forums_by_team.get(team_b, []))
