"""How to read each list the spec gives (DESIGN §2, *Read each list as its writer meant it*).

- ML staff named (and counted in ``staffing``) are all the ML staff unless ``lists.people: partial``.
- Everyone else is a sample, unless the team's people list is complete: ``people_list: complete``,
  counts that prove it (people named plus ``staffing`` reach the team's ``headcount``), or an HR
  import (which marks the teams it covers complete).
- Models and features are as listed unless ``lists`` says partial or ``counts`` says there are more.
- Forums, tooling and rewards are the leader's full account once the section is given, unknown while
  it is absent, and partial where ``lists`` says so.

A conclusion that rests on an absence holds only where the list is complete; elsewhere it becomes
one open question per list (:data:`LIST_QUESTIONS`), asked once however many rules it settles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mlorg.spec.index import ML_ROLES, SpecIndex

Reading = Literal["complete", "partial", "unknown"]
Presence = Literal["present", "absent", "unknown"]

#: The one question asked for each list whose completeness a conclusion needs, keyed by spec path.
LIST_QUESTIONS: dict[str, str] = {
    "lists.people": "Are the ML staff named here all of your ML staff? (set `lists.people`)",
    "lists.models": "Is this your full list of models? (set `lists.models`, or give `counts.models`)",
    "lists.features": "Is this your full list of features? (set `lists.features`, or give `counts.features`)",
    "lists.initiatives": "Is this your full list of ML initiatives? (set `lists.initiatives`)",
    "lists.forums": "Is this your full list of forums? (set `lists.forums`)",
    "lists.tooling": "Is `practices.tooling` all of your ML tooling? (set `lists.tooling`)",
    "lists.rewards": "Is `rewards.recognizes` all that reviews and promotions reward? (set `lists.rewards`)",
    "people": "Who else works in these teams? Mark a team's `people_list: complete` once every person is listed.",
}

#: Systems whose imports list every person of the teams they cover.
COMPLETE_PEOPLE_SYSTEMS = frozenset({"hris"})


@dataclass(frozen=True)
class ListFacts:
    """The reading of every list, decided once."""

    models: Reading
    features: Reading
    initiatives: Reading
    forums: Reading
    tooling: Reading
    rewards: Reading
    people_complete_teams: frozenset[str]
    all_people_complete: bool
    production_models: int  # listed, or the stated count if larger
    production_listed: int
    production_counted: bool  # did `counts.models.production` decide the number?

    def question(self, name: str) -> str | None:
        """The list question to ask when a conclusion needs ``name`` complete and it is not."""
        reading: Reading = getattr(self, name)
        return f"lists.{name}" if reading == "partial" else None


def _section(index: SpecIndex, section: str, flag: str | None, given: bool) -> Reading:
    if flag == "partial":
        return "partial"
    if flag == "complete":
        return "complete"
    return "complete" if given else "unknown"


def _forums(index: SpecIndex, flag: str | None, given: bool) -> Reading:
    """Forums are partial too when some forum does not say which teams take part."""
    reading = _section(index, "forums", flag, given)
    if reading == "complete" and any("teams" not in f.model_fields_set for f in index.spec.forums):
        return "partial"
    return reading


def _people_beyond(index: SpecIndex) -> bool:
    """Does the organization's headcount say there are people outside every team listed?

    An HR export of one department lists its teams completely, but not the rest of the company: a role
    missing from it may sit in a team the spec does not name.
    """
    declared = index.spec.organization.headcount
    if declared is None:
        return False
    listed = len(index.spec.people) + sum(sum((t.staffing or {}).values()) for t in index.spec.teams)
    return declared > listed


def list_facts(index: SpecIndex) -> ListFacts:
    spec = index.spec
    lists, counts = spec.lists, spec.counts
    given = spec.model_fields_set

    listed_prod = sum(1 for m in spec.models if m.status == "production")
    stated = counts.models.production if counts.models else None
    models: Reading = _section(index, "models", lists.models, True)
    if counts.models is not None:
        statuses = ("idea", "development", "production", "retired")
        by_status = {s: sum(1 for m in spec.models if m.status == s) for s in statuses}
        more = any((getattr(counts.models, s) or 0) > n for s, n in by_status.items())
        if more and lists.models != "complete":
            models = "partial"
    features: Reading = _section(index, "features", lists.features, True)
    if counts.features is not None and counts.features > len(spec.features) and lists.features != "complete":
        features = "partial"

    complete_teams = set()
    named = index.people_by_team
    for t in spec.teams:
        if t.people_list == "complete":
            complete_teams.add(t.id)
            continue
        if t.people_list == "partial":
            continue
        if t.provenance is not None and t.provenance.system in COMPLETE_PEOPLE_SYSTEMS:
            complete_teams.add(t.id)
            continue
        listed = len(named.get(t.id, ())) + sum((t.staffing or {}).values())
        if t.headcount is not None and listed >= t.headcount:
            complete_teams.add(t.id)
    return ListFacts(
        models=models,
        features=features,
        initiatives=_section(index, "initiatives", lists.initiatives, "initiatives" in given),
        forums=_forums(index, lists.forums, "forums" in given),
        tooling=_section(index, "tooling", lists.tooling, spec.practices.tooling is not None),
        rewards=_section(index, "rewards", lists.rewards, spec.rewards.recognizes is not None),
        people_complete_teams=frozenset(complete_teams),
        all_people_complete=bool(spec.teams) and len(complete_teams) == len(spec.teams) and not _people_beyond(index),
        production_models=max(listed_prod, stated or 0),
        production_listed=listed_prod,
        production_counted=stated is not None and stated > listed_prod,
    )


def role_presence(index: SpecIndex, lists: ListFacts, staff_known: bool, staff_complete: bool, role: str) -> Presence:
    """Is anyone in this role? ``absent`` only where the list that would name them is complete.

    ML roles are read against the ML staff list (complete by default); every other role against the
    people lists of the teams, which are samples unless marked or proven complete.
    """
    if index.role_counts.get(role, 0) > 0:
        return "present"
    if role in ML_ROLES:
        return "absent" if staff_known and staff_complete else "unknown"
    return "absent" if lists.all_people_complete else "unknown"
