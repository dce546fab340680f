"""Who does ML and where: ML staff, ML homes, teams doing ML, ML leaders, placement and reporting lines.

Every analysis and rule reads these answers; none re-derives them (DESIGN §2, *One vocabulary of
facts*). One pass over teams and one over people; reporting chains are memoised, so the cost stays
linear in the size of the organization.

The definitions, in one place:

- **ML staff**: named people holding an ML role, plus the ML roles counted in team ``staffing``.
- **ML home**: a team that exists to do ML (kind ``ml`` or ``research``), or a ``data`` or
  ``platform`` team that holds ML staff (a central analytics team full of data scientists).
  A leadership team is never an ML home: ML people there are leaders, not a central team.
- **Placement** of each team holding ML staff: ``leadership`` (executives and founders), ``central``
  (an ML home not nested under a product or business team, or a team above such a home: the office
  of a chief data officer who heads the data science team is the top of the central ML function,
  not the product side), or ``embedded`` (anywhere else, including an ML team nested inside a
  business unit). Research homes are also counted as research.
- **ML platform teams** (decided in :class:`mlorg.facts.OrgFacts`, which also knows the lists): a team
  with ``function: platform``, or of kind ``platform`` holding ML staff. A ``platform`` team whose people
  are known and hold no ML role is general infrastructure; one whose people are not known may or may not
  serve ML, and an ``ml`` team whose function is not given may be the platform: a conclusion that needs
  to know asks.
- **Teams doing ML**: ML-kind teams, teams with ML staff, and teams that built or run a model that is
  not retired.
- **ML leaders**: a head of data science wherever they sit, anyone marked ``leads_ml``, and anyone in a
  leadership team who holds an ML role.
- **Central ML lead** (for reporting lines): an ML person in a central ML home, or a head of data
  science or marked ML lead who is not an executive. An executive who holds an ML role (a CTO who is
  also the chief scientist) heads everyone, so reporting to them says nothing about ML's structure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import compress, repeat
from operator import attrgetter, contains
from typing import Literal

from mlorg.results import Evidence
from mlorg.spec.index import ML_ROLES, ML_TEAM_KINDS, SpecIndex
from mlorg.spec.models import Person, Team

#: Team kinds that may be an ML home when they hold ML staff.
DATA_HOME_KINDS = frozenset({"data", "platform"})
#: Team kinds on the product and business side: ML teams nested under them are embedded there.
BUSINESS_KINDS = frozenset({"product", "business"})
#: Most evidence items one conclusion keeps; counts in the text always give the full number.
MAX_EVIDENCE = 10

Placement = Literal["leadership", "central", "embedded"]
#: How evidence names a team outside the product and business side that holds embedded ML staff.
_A_TEAM_OF_KIND = {"department": "a department", "design": "a design team", "it_ops": "an IT operations team"}

_LEADS_ML = attrgetter("leads_ml")
_FIELDS_SET = attrgetter("__pydantic_fields_set__")


def is_ml_person(person: Person) -> bool:
    return bool(ML_ROLES.intersection(person.roles))


def person_has_ml_skills(person: Person) -> bool | None:
    """An ML role or stated ML experience; ``None`` when nothing about the person says either way."""
    if is_ml_person(person) or person.ml_experience in ("experienced", "learning"):
        return True
    if person.ml_experience == "none" or person.roles:
        return False
    return None


def is_research_team(team: Team) -> bool:
    return team.kind == "research" or team.function == "research"


@dataclass(frozen=True, slots=True)
class TeamStaff:
    """One team's ML staff and where the team stands."""

    team: str
    ml_staff: int
    placement: Placement | None  # None: the team holds no ML staff
    ml_home: bool
    research: bool


@dataclass(frozen=True)
class StaffFacts:
    """The organization's ML staff and how they are placed; see the module docstring for definitions."""

    known: bool  # does the spec say who works here (people or staffing)?
    complete: bool  # are the ML staff named and counted all of them? (lists.people != partial)
    total: int  # ML staff outside leadership teams
    in_leadership: int
    experienced: int
    experience_unknown: int
    teams: dict[str, TeamStaff]
    ml_homes: tuple[str, ...]
    central_homes: tuple[str, ...]
    central: int
    embedded: int
    research: int
    dotted: int  # embedded named people whose line reaches a central ML lead
    embedded_named: int
    embedded_named_with_line: int
    central_teams: tuple[str, ...]  # central teams holding ML staff
    embedded_teams: tuple[str, ...]
    research_teams: tuple[str, ...]
    leaders: tuple[str, ...]  # person ids of ML leaders
    leader_evidence: tuple[Evidence, ...]
    evidence: tuple[Evidence, ...]

    @property
    def teams_with_ml(self) -> int:
        """ML pods: teams outside leadership that hold ML staff."""
        return len(self.central_teams) + len(self.embedded_teams)

    def ml_staff(self, team_id: str) -> int:
        found = self.teams.get(team_id)
        return found.ml_staff if found else 0

    def placement(self, team_id: str) -> Placement | None:
        found = self.teams.get(team_id)
        return found.placement if found else None

    def is_ml_home(self, team_id: str) -> bool:
        found = self.teams.get(team_id)
        return found.ml_home if found else False

    @cached_property
    def ml_teams(self) -> tuple[str, ...]:
        """ML homes and every other team holding ML staff outside leadership, in spec order (kept: asked often)."""
        return tuple(t for t, s in self.teams.items() if s.ml_home or s.placement in ("central", "embedded"))


def _business_above(index: SpecIndex) -> dict[str, bool]:
    """For every team: does a product or business team sit above it (before any leadership team)?

    Each team's answer is its parent's, so the tree is walked once (memoised), not once per team.
    """
    teams = index.teams
    # answer for a team as a *parent*: is it, or something above it, a business team (before leadership)?
    as_parent: dict[str, bool] = {}

    def from_parent(pid: str | None) -> bool:
        chain: list[str] = []
        result = False
        while pid:
            if pid in as_parent:
                result = as_parent[pid]
                break
            parent = teams.get(pid)
            if parent is None or parent.kind == "leadership":
                result = False
                break
            chain.append(pid)
            if parent.kind in BUSINESS_KINDS:
                result = True
                break
            pid = parent.parent
        for walked in chain:
            as_parent[walked] = result
        return result

    return {t.id: from_parent(t.parent) for t in index.spec.teams}


def _is_home(team: Team, ml_staff: int) -> bool:
    """An ML home: an ML or research team, or a data or platform team that holds ML staff."""
    return team.kind in ML_TEAM_KINDS or (team.kind in DATA_HOME_KINDS and ml_staff > 0)


def _above_central_homes(index: SpecIndex, counts: dict[str, int], business_above: dict[str, bool]) -> set[str]:
    """Teams with a central ML home somewhere beneath them, up to (not including) a leadership team.

    Only the chains of the few ML homes are walked, so the cost is their depth, not the organization's size.
    """
    teams = index.teams
    out: set[str] = set()
    for team in index.spec.teams:
        if not _is_home(team, counts.get(team.id, 0)) or business_above[team.id]:
            continue
        pid = team.parent
        while pid and pid not in out:
            parent = teams.get(pid)
            if parent is None or parent.kind == "leadership":
                break
            out.add(pid)
            pid = parent.parent
    return out


def _is_ml_leader(person: Person, team: Team | None) -> bool:
    if "head_of_data_science" in person.roles or person.leads_ml:
        return True
    return team is not None and team.kind == "leadership" and is_ml_person(person)


def _ml_leaders(index: SpecIndex) -> list[Person]:
    """:func:`_is_ml_leader` for every person, in spec order, without a Python step per person.

    A head of data science and an ML person in a leadership team are ML people (head of data science
    is an ML role), so only the ML people and those marked ``leads_ml`` are looked at; the rest are
    picked out in C, by object identity, which reads nothing of the 100,000 people themselves.
    """
    people = index.spec.people
    leadership = {t.id for t in index.spec.teams if t.kind == "leadership"}
    chosen = {id(p) for p in index.ml_people if "head_of_data_science" in p.roles or p.team in leadership}
    chosen.update(map(id, compress(people, map(_LEADS_ML, people))))
    if not chosen:
        return []
    return list(compress(people, map(chosen.__contains__, map(id, people))))


def _is_central_lead(person: Person, central: set[str]) -> bool:
    if person.leads_ml is False:
        return False
    if is_ml_person(person) and person.team in central:
        return True
    return ("head_of_data_science" in person.roles or bool(person.leads_ml)) and "executive" not in person.roles


def _reports_centrally(index: SpecIndex, people: list[Person], central: set[str]) -> dict[str, bool]:
    """For each person: does their ``reports_to`` chain reach a central ML lead? Memoised walks."""
    above: dict[str, bool] = {}
    out: dict[str, bool] = {}
    for person in people:
        path: list[str] = []
        cur = person.reports_to
        result = False
        seen: set[str] = set()
        while cur is not None and cur not in seen:
            seen.add(cur)
            if cur in above:
                result = above[cur]
                break
            path.append(cur)
            boss = index.people.get(cur)
            if boss is None:
                break
            if _is_central_lead(boss, central):
                result = True
                break
            cur = boss.reports_to
        for pid in path:
            above[pid] = result
        out[person.id] = result
    return out


def staff_facts(index: SpecIndex) -> StaffFacts:
    spec = index.spec
    counts = index.ml_count_by_team
    teams: dict[str, TeamStaff] = {}
    homes: list[str] = []
    central_homes: list[str] = []
    central = embedded = research = in_leadership = 0
    central_teams: list[str] = []
    embedded_teams: list[str] = []
    research_teams: list[str] = []
    evidence: list[Evidence] = []
    business_above = _business_above(index)
    over_home = _above_central_homes(index, counts, business_above)
    for team in spec.teams:
        n = counts.get(team.id, 0)
        home = _is_home(team, n)
        nested = business_above[team.id]
        if home:
            homes.append(team.id)
            if not nested:
                central_homes.append(team.id)
        placement: Placement | None = None
        if n:
            if team.kind == "leadership":
                placement = "leadership"
                in_leadership += n
            elif (home or team.id in over_home) and not nested:
                placement = "central"
                central += n
                central_teams.append(team.id)
            else:
                placement = "embedded"
                embedded += n
                embedded_teams.append(team.id)
            if placement != "leadership" and is_research_team(team):
                research += n
                research_teams.append(team.id)
            if len(evidence) < MAX_EVIDENCE:
                where = {
                    "leadership": "in the leadership team (ML leaders, not a central team)",
                    "central": "a central ML home",
                    "embedded": "embedded in the product or business side"
                    if nested or team.kind in BUSINESS_KINDS
                    else f"embedded in {_A_TEAM_OF_KIND.get(team.kind, 'a team')}, outside the ML homes",
                }[placement]
                evidence.append(
                    Evidence(path=index.path("teams", team.id, "kind"), value=team.kind, note=f"{n} ML staff: {where}")
                )
        teams[team.id] = TeamStaff(team.id, n, placement, home, is_research_team(team))

    central_ids = set(central_teams) | set(central_homes)
    embedded_ids = set(embedded_teams)
    embedded_people = [p for p in index.ml_people if p.team in embedded_ids]
    line = _reports_centrally(index, embedded_people, central_ids)
    dotted = 0
    for p in embedded_people:
        if line[p.id]:
            dotted += 1
            if len(evidence) < MAX_EVIDENCE:
                evidence.append(
                    Evidence(
                        path=index.path("people", p.id, "reports_to"),
                        value=p.reports_to,
                        note="sits in a product-side team but reports into a central ML lead",
                    )
                )

    leaders: list[str] = []
    leader_evidence: list[Evidence] = []
    for p in _ml_leaders(index):
        leaders.append(p.id)
        if len(leader_evidence) < MAX_EVIDENCE:
            leader_evidence.append(
                Evidence(path=index.path("people", p.id, "roles"), value=list(p.roles), note="leads ML")
            )
    for t in spec.teams:
        n = (t.staffing or {}).get("head_of_data_science", 0)
        if n and len(leader_evidence) < MAX_EVIDENCE:
            leader_evidence.append(
                Evidence(path=index.path("teams", t.id, "staffing", "head_of_data_science"), value=n, note="leads ML")
            )

    experienced = unknown_exp = 0
    for p in index.ml_people:
        if p.ml_experience == "experienced":
            experienced += 1
        elif p.ml_experience is None:
            unknown_exp += 1
    for t in spec.teams:
        unlisted = sum(n for r, n in (t.staffing or {}).items() if r in ML_ROLES)
        if t.experienced_ml is not None:
            experienced += t.experienced_ml
        elif unlisted:
            unknown_exp += unlisted

    known = bool(spec.people) or any(t.staffing for t in spec.teams)
    return StaffFacts(
        known=known,
        # the ML staff named are all of them once a `people` section is given (counts add to it), unless
        # someone's `roles` are missing; `lists.people` says otherwise either way
        complete=spec.lists.people == "complete"
        or (
            spec.lists.people is None
            and "people" in spec.model_fields_set
            # in C: the fields sets are shared (mlorg.spec.compact), and 100,000 people were a Python loop
            and all(map(contains, map(_FIELDS_SET, spec.people), repeat("roles")))
        ),
        total=central + embedded,
        in_leadership=in_leadership,
        experienced=experienced,
        experience_unknown=unknown_exp,
        teams=teams,
        ml_homes=tuple(homes),
        central_homes=tuple(central_homes),
        central=central,
        embedded=embedded,
        research=research,
        dotted=dotted,
        embedded_named=len(embedded_people),
        embedded_named_with_line=sum(1 for p in embedded_people if p.reports_to),
        central_teams=tuple(central_teams),
        embedded_teams=tuple(embedded_teams),
        research_teams=tuple(research_teams),
        leaders=tuple(leaders),
        leader_evidence=tuple(leader_evidence),
        evidence=tuple(evidence),
    )


@dataclass(frozen=True, slots=True)
class DoingMl:
    """Why a team counts as doing ML: the spec item that says so, and whether it builds (or only runs)."""

    section: str
    ident: str
    field: tuple[str, ...]
    value: object
    note: str | None
    builds: bool


def teams_doing_ml(index: SpecIndex, staff: StaffFacts) -> dict[str, DoingMl]:
    """Every team doing ML (ML kind, ML staff, or a model built or run that is not retired), in spec order.

    A team's reason is the first that applies: its kind, its ML staff, the first model it built, the
    first model it runs.
    """
    first: dict[str, dict[str, str]] = {"built_by": {}, "operated_by": {}}  # field -> team -> first model id
    for field, found in first.items():
        for m in index.spec.models:
            team = getattr(m, field)
            if m.status == "retired" or not team or team in found or team not in index.teams:
                continue
            if index.teams[team].kind == "leadership":
                continue
            found[team] = m.id
    built, run = first["built_by"], first["operated_by"]
    out: dict[str, DoingMl] = {}
    placed = staff.teams
    for t in index.spec.teams:
        tid = t.id
        if t.kind in ML_TEAM_KINDS:
            out[tid] = DoingMl("teams", tid, ("kind",), t.kind, None, True)
            continue
        here = placed.get(tid)
        if here is not None and here.ml_staff and here.placement != "leadership":
            out[tid] = DoingMl("teams", tid, (), here.ml_staff, "ML staff in this team", True)
        elif tid in built:
            out[tid] = DoingMl("models", built[tid], ("built_by",), tid, "builds a model", True)
        elif tid in run:
            out[tid] = DoingMl("models", run[tid], ("operated_by",), tid, "runs a model", False)
    return out


def role_counts_by_team(index: SpecIndex) -> dict[str, dict[str, int]]:
    """People per role in each team, named and counted."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in index.spec.people:
        for r in p.roles:
            out[p.team][r] += 1
    for t in index.spec.teams:
        for r, n in (t.staffing or {}).items():
            out[t.id][r] += n
    return out


def joins(ml_in: set[str], business_in: set[str]) -> bool:
    """True if some team doing ML and some *other* product or business team both take part (a forum's teams)."""
    if not ml_in or not business_in:
        return False
    return not (len(ml_in) == 1 and ml_in == business_in)
