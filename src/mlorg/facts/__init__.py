"""The one vocabulary of facts about an organization (DESIGN §4 ``facts``).

Who counts as ML staff, which teams are ML homes, which teams do ML, who leads ML, where ML people
sit and whom they report to, and how complete each list is: decided here, once per spec, and read
by every analysis and rule, so two sections of one assessment never disagree about the same fact.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlorg.facts.lists import LIST_QUESTIONS, ListFacts, Presence, list_facts, role_presence
from mlorg.facts.staff import DoingMl, StaffFacts, TeamStaff, is_ml_person, staff_facts, teams_doing_ml
from mlorg.spec.index import SpecIndex

__all__ = [
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


@dataclass(frozen=True)
class OrgFacts:
    index: SpecIndex
    staff: StaffFacts
    lists: ListFacts
    doing_ml: dict[str, DoingMl]

    def role(self, role: str) -> Presence:
        """``present``, ``absent`` (the list that would name them is complete) or ``unknown``."""
        return role_presence(self.index, self.lists, self.staff.known, self.staff.complete, role)

    @property
    def ml_pods(self) -> int:
        """Teams that build ML (staff or a model built), outside the leadership team."""
        return sum(1 for d in self.doing_ml.values() if d.builds)


def facts_of(index: SpecIndex) -> OrgFacts:
    """The facts of the index's spec, computed on first use and kept with the index."""
    if index.facts_cache is None:
        staff = staff_facts(index)
        index.facts_cache = OrgFacts(index, staff, list_facts(index), teams_doing_ml(index, staff))
    found: OrgFacts = index.facts_cache
    return found
