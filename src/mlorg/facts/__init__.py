"""The one vocabulary of facts about an organization (DESIGN §4 ``facts``).

Who counts as ML staff, which teams are ML homes, which teams do ML, who leads ML, where ML people
sit and whom they report to, and how complete each list is: decided here, once per spec, and read
by every analysis and rule, so two sections of one assessment never disagree about the same fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from mlorg.facts.lists import LIST_QUESTIONS, ListFacts, Presence, list_facts, role_presence
from mlorg.facts.staff import (
    BUSINESS_KINDS,
    DoingMl,
    StaffFacts,
    TeamStaff,
    is_ml_person,
    joins,
    staff_facts,
    teams_doing_ml,
)
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import ForumKind, MlExperience, Role

__all__ = [
    "INTEGRATION_KINDS",
    "LIST_QUESTIONS",
    "DoingMl",
    "ListFacts",
    "OrgFacts",
    "Presence",
    "StaffFacts",
    "TeamStaff",
    "facts_of",
    "is_ml_person",
]


#: Forum kinds that can be the place where ML work and the business meet for oversight, steering and
#: context (rml-ch13: a venue that already exists serves, if it fits): one made for it, and a leadership
#: review that both sides attend. A community of practice or a training is for the practitioners.
INTEGRATION_KINDS: frozenset[ForumKind] = frozenset({"integration_point", "leadership_review"})


@dataclass(frozen=True)
class OrgFacts:
    index: SpecIndex
    staff: StaffFacts
    lists: ListFacts
    doing_ml: dict[str, DoingMl]

    @cached_property
    def people_kinds(self) -> dict[tuple[tuple[Role, ...], MlExperience | None], int]:
        """How many people hold each combination of roles and ML experience, in order of first appearance.

        Counts by role and experience read these few hundred combinations, not 100,000 people.
        """
        return dict(Counter(map(attrgetter("roles", "ml_experience"), self.index.spec.people)))

    @cached_property
    def ml_leads_by_team(self) -> dict[str, int]:
        """Per team, its ML staff who lead ML people: a head of data science, or someone marked ``leads_ml``
        whom an ML person reports to. They manage ML work; they are not a lone practitioner or a pod of their
        own (a lone scientist marked ``leads_ml`` with nobody to lead is still alone)."""
        index = self.index
        managers = {p.reports_to for p in index.ml_people if p.reports_to}
        out: dict[str, int] = {}
        for pid in self.staff.leaders:
            person = index.people[pid]
            if is_ml_person(person) and ("head_of_data_science" in person.roles or pid in managers):
                out[person.team] = out.get(person.team, 0) + 1
        return out

    @cached_property
    def ml_platform_teams(self) -> tuple[str, ...]:
        """Teams that provide shared ML tooling: ``function: platform``, or kind ``platform`` with ML staff."""
        staff = self.staff
        return tuple(
            t.id
            for t in self.index.spec.teams
            if t.function == "platform" or (t.kind == "platform" and staff.ml_staff(t.id) > 0)
        )

    @cached_property
    def platform_teams_unsure(self) -> tuple[str, ...]:
        """Teams that may be the ML platform: an ``ml`` team whose ``function`` is not given, and a kind
        ``platform`` team with no ML staff named and neither a complete people list nor ``staffing`` to
        say it has none (it may run only general infrastructure)."""
        chosen = set(self.ml_platform_teams)
        complete = self.lists.people_complete_teams
        return tuple(
            t.id
            for t in self.index.spec.teams
            if t.id not in chosen
            and (
                (t.kind == "ml" and t.function is None)
                or (t.kind == "platform" and t.id not in complete and not t.staffing)
            )
        )

    @cached_property
    def business_teams(self) -> tuple[str, ...]:
        """The product and business teams ML work serves and must meet (kinds in ``BUSINESS_KINDS``), in spec
        order: what integration, silos and handoffs are judged against."""
        return tuple(t.id for t in self.index.spec.teams if t.kind in BUSINESS_KINDS)

    @cached_property
    def integration_forums(self) -> tuple[str, ...]:
        """Forums of an integration kind (``INTEGRATION_KINDS``) that list a team doing ML and a different
        product or business team. A forum counts only for the teams it lists, not the teams under them."""
        doing = self.doing_ml
        business = set(self.business_teams)
        return tuple(
            f.id
            for f in self.index.spec.forums
            if f.kind in INTEGRATION_KINDS and joins(doing.keys() & set(f.teams), business.intersection(f.teams))
        )

    @cached_property
    def community_teams(self) -> tuple[str, ...]:
        """Teams whose ML staff would meet as a community of practice, in spec order: teams holding ML staff,
        outside the leadership team, not counting a team whose only ML staff lead ML people elsewhere (a
        chief data officer's office is no pod of practitioners)."""
        leading, teams = self.ml_leads_by_team, self.staff.teams
        return tuple(
            t.id
            for t in self.index.spec.teams
            if (s := teams.get(t.id)) is not None
            and s.ml_staff > leading.get(t.id, 0)
            and s.placement not in (None, "leadership")
        )

    @cached_property
    def community_forums(self) -> tuple[str, ...]:
        """Communities of practice that list at least two of the :attr:`community_teams`: where ML people of
        different teams meet (one team's own meeting is not a community across teams)."""
        members = set(self.community_teams)
        return tuple(
            f.id
            for f in self.index.spec.forums
            if f.kind == "community_of_practice" and len(members.intersection(f.teams)) >= 2
        )

    def role(self, role: str) -> Presence:
        """``present``, ``absent`` (the list that would name them is complete) or ``unknown``."""
        return role_presence(self.index, self.lists, self.staff.known, self.staff.complete, role)

    def ml_pods(self, min_staff: int = 2, pod_size: int = 4) -> int:
        """ML pods: small groups of ML people each serving a product line or function (georgian-maturity).

        A team building ML with at least ``min_staff`` ML staff holds one pod per ``pod_size`` of them
        (a large central team is several pods); a lone ML hire is not a pod; a team that builds a
        model without listing its ML staff counts as one.
        """
        out = 0
        for team, d in self.doing_ml.items():
            if not d.builds:
                continue
            n = self.staff.ml_staff(team)
            if n >= min_staff:
                out += max(1, n // pod_size)
            elif n == 0:
                out += 1
        return out


def facts_of(index: SpecIndex) -> OrgFacts:
    """The facts of the index's spec, computed on first use and kept with the index."""
    if index.facts_cache is None:
        staff = staff_facts(index)
        index.facts_cache = OrgFacts(index, staff, list_facts(index), teams_doing_ml(index, staff))
    found: OrgFacts = index.facts_cache
    return found
