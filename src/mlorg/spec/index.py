"""Lookups over a validated spec, built once and shared by every analysis and rule."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from operator import attrgetter
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


class Positions(Mapping[tuple[str, str], int]):
    """``(section, id) -> position``, read through one id -> position dict per section.

    Built per section in C (``dict(zip(ids, range(n)))``) rather than one tuple key per item: at
    100,000 people that is most of the index's cost, and :meth:`SpecIndex.path` skips a tuple hash.
    """

    __slots__ = ("by_section",)

    def __init__(self, by_section: dict[str, dict[str, int]]) -> None:
        self.by_section = by_section

    def __getitem__(self, key: tuple[str, str]) -> int:
        section, ident = key
        return self.by_section[section][ident]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, tuple) or len(key) != 2:
            return False
        found = self.by_section.get(key[0])
        return found is not None and key[1] in found

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return ((section, ident) for section, found in self.by_section.items() for ident in found)

    def __len__(self) -> int:
        return sum(map(len, self.by_section.values()))


_ID = attrgetter("id")
_ROLES = attrgetter("roles")


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
    position: Positions = field(init=False)
    _at: dict[str, dict[str, int]] = field(init=False, repr=False)  # section -> id -> position
    facts_cache: Any = field(init=False, default=None, repr=False)  # mlorg.facts.OrgFacts, built on first use

    def __post_init__(self) -> None:
        s = self.spec
        known = s._positions or {}
        s._positions = None  # taken over: the spec need not keep a second reference
        by_section: dict[str, dict[str, int]] = {}
        for section in ("teams", "people", "models", "features", "initiatives", "forums"):
            items = getattr(s, section)
            ids = list(map(_ID, items))
            # both dicts built in C; a repeated id (only outside the loader, which refuses them) keeps
            # its last item and position, as item-by-item inserts would
            setattr(self, section, dict(zip(ids, items, strict=True)))
            given = known.get(section)
            if given is not None and given[0] is items and len(given[1]) == len(items):
                by_section[section] = given[1]  # the loader's, from this very list
            else:
                by_section[section] = dict(zip(ids, range(len(ids)), strict=True))
        self._at = by_section
        self.position = Positions(by_section)

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
        out = f"{section}[{self._at[section][ident]}]"
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
        """Named people holding at least one ML role.

        Decided once per distinct ``roles`` (a few dozen at 100,000 people) and picked out in C.
        """
        people = self.spec.people
        roles = list(map(_ROLES, people))
        ml = {held: not ML_ROLES.isdisjoint(held) for held in set(roles)}
        return list(compress(people, map(ml.__getitem__, roles)))

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
