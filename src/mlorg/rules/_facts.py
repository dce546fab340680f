"""Evidence helpers shared by rule families, over the facts decided in :mod:`mlorg.facts`.

Who is ML staff, which teams are ML homes or do ML, who leads ML and how complete each list is are
decided once in :mod:`mlorg.facts`; the functions here only adapt those answers to rules (evidence
references, capped lists), so a rule never re-derives a fact another section states differently.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlorg.facts import OrgFacts, facts_of
from mlorg.results import Evidence
from mlorg.rules import _trusted as trusted
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Question
from mlorg.spec.index import ML_ROLES, ML_TEAM_KINDS, SpecIndex
from mlorg.spec.models import Forum, ForumKind, Team

if TYPE_CHECKING:
    from mlorg.analyses.collaboration import CollaborationAnalysis

#: Most evidence items a single finding lists; the message always carries the full count.
MAX_EVIDENCE = 20

#: Model statuses that mean ML work is actually going on.
ACTIVE_MODEL_STATUSES = frozenset({"development", "production"})


def section_given(ctx: RuleContext, section: str) -> bool:
    """Did the spec state this top-level section at all (even as an empty list)?

    An absent ``forums`` key means *we were not told* which forums exist; ``forums: []`` is
    evidence that there are none.
    """
    return section in ctx.spec.model_fields_set


@dataclass(frozen=True, slots=True)
class Ref:
    """Evidence not built yet: a spec item, a field under it and its value.

    Rules collect these for every team or model they look at and build :class:`Evidence` only
    for the few a finding shows, which keeps large organizations cheap.
    """

    section: str
    ident: str
    field: tuple[str | int, ...] = ()
    value: Any = None
    note: str | None = None

    def evidence(self, index: SpecIndex) -> Evidence:
        """The evidence item, built without validation when the note needs none (it is text or absent)."""
        path = index.path(self.section, self.ident, *self.field)
        note = self.note
        if note is None:
            return trusted.evidence(path, self.value)
        if type(note) is str:
            return trusted.noted(path, self.value, note)
        return Evidence(path=path, value=self.value, note=note)


def capped(ctx: RuleContext, items: Iterable[Evidence | Ref], limit: int = MAX_EVIDENCE) -> tuple[Evidence, ...]:
    """At most ``limit`` evidence items, so a finding about 10,000 teams stays readable."""
    out: list[Evidence] = []
    for item in items:
        if len(out) == limit:
            break
        out.append(item.evidence(ctx.index) if isinstance(item, Ref) else item)
    return tuple(out)


def facts(ctx: RuleContext) -> OrgFacts:
    return facts_of(ctx.index)


def is_ml_team(team: Team) -> bool:
    """A team whose kind says it exists to do ML (``ml`` or ``research``)."""
    return team.kind in ML_TEAM_KINDS


def ml_teams(ctx: RuleContext) -> list[Team]:
    """ML homes (ML-kind teams, and data or platform teams holding ML staff), in spec order."""
    return [ctx.index.teams[t] for t in facts(ctx).staff.ml_homes]


def is_embedded(ctx: RuleContext, team: Team) -> bool:
    """An ML home nested under a product or business team is embedded there."""
    return team.id not in facts(ctx).staff.central_homes


def central_ml_teams(ctx: RuleContext) -> list[Team]:
    """ML homes not embedded in a product or business team: the ones others bring work to."""
    return [ctx.index.teams[t] for t in facts(ctx).staff.central_homes]


def ml_staff(ctx: RuleContext, team_id: str) -> int:
    """ML staff in a team: named people with an ML role plus unlisted ML ``staffing``."""
    return facts(ctx).staff.ml_staff(team_id)


def teams_doing_ml(ctx: RuleContext) -> Mapping[str, Ref]:
    """Every team doing ML work, with the first piece of evidence that says so, in spec order.

    Built once per run (several rules ask, and there may be thousands); callers only read it.
    """
    out: dict[str, Ref] | None = ctx.memo.get("teams_doing_ml")
    if out is None:
        out = {team: Ref(d.section, d.ident, d.field, d.value, d.note) for team, d in facts(ctx).doing_ml.items()}
        ctx.memo["teams_doing_ml"] = out
    return out


def ml_work_evidence(ctx: RuleContext) -> list[Ref]:
    """Evidence that the organization does ML at all (empty when it does not, as far as we know)."""
    out = list(teams_doing_ml(ctx).values())
    for m in ctx.spec.models:
        if m.status in ACTIVE_MODEL_STATUSES:
            out.append(Ref("models", m.id, ("status",), m.status))
            break
    return out


def list_question(ctx: RuleContext, name: str) -> Question | None:
    """The one question about a list's completeness, when a conclusion rests on an absence from it."""
    from mlorg.facts import LIST_QUESTIONS

    if name == "people":
        path = None if facts(ctx).staff.complete else "lists.people"
    else:
        path = facts(ctx).lists.question(name)
    return Question(path, LIST_QUESTIONS[path]) if path else None


def production_models(ctx: RuleContext) -> tuple[int, list[Ref | Evidence]]:
    """How many models run in production (the listed ones, or ``counts.models.production`` where it says
    more: "about 40 in production" with three listed is 40), and the evidence: the count where it decided,
    then the listed models."""
    lists = facts(ctx).lists
    out: list[Ref | Evidence] = []
    if lists.production_counted:
        out.append(Evidence(path="counts.models.production", value=lists.production_models))
    out += [Ref("models", m.id, ("status",), m.status) for m in ctx.spec.models if m.status == "production"]
    return lists.production_models, out


def forums_of_kind(ctx: RuleContext, team_id: str, kind: ForumKind) -> list[Forum]:
    return [f for f in ctx.index.forums_by_team.get(team_id, []) if f.kind == kind]


def staff_known(ctx: RuleContext) -> bool:
    """Does the spec tell us who works here, by name or by ``staffing`` counts?"""
    return facts(ctx).staff.known


def ml_voice_in_leadership(ctx: RuleContext) -> tuple[bool | None, tuple[Evidence, ...]]:
    """Whether someone speaks for ML in leadership, and why we think so.

    The explicit ``strategy.ml_leader_in_leadership`` decides; without it, a named person in a
    leadership team who holds an ML role or is experienced in ML counts as that voice.
    """
    flag = ctx.spec.strategy.ml_leader_in_leadership
    if flag is not None:
        return flag, (Evidence(path="strategy.ml_leader_in_leadership", value=flag),)
    for pid in facts(ctx).staff.leaders:
        p = ctx.index.people[pid]
        team = ctx.index.teams.get(p.team)
        if team is not None and team.kind == "leadership":
            return True, (
                Evidence(
                    path=ctx.index.path("people", p.id), value=p.id, note="an ML leader sits in a leadership team"
                ),
            )
    for p in ctx.spec.people:
        team = ctx.index.teams.get(p.team)
        if team is not None and team.kind == "leadership" and p.ml_experience == "experienced":
            return True, (
                Evidence(path=ctx.index.path("people", p.id), value=p.id, note="an experienced ML practitioner leads"),
            )
    staff = facts(ctx).staff
    leadership = [t for t in ctx.spec.teams if t.kind == "leadership"]
    if staff.known and staff.complete and leadership and staff.total + staff.in_leadership == 0:
        # the ML staff named are all of them, and there are none: nobody can speak for ML yet
        return False, (
            Evidence(
                path=ctx.index.path("teams", leadership[0].id),
                value=leadership[0].id,
                note="nobody in the organization holds an ML role, so nobody here speaks for ML",
            ),
        )
    return None, ()


def named_ml_people_evidence(ctx: RuleContext, team_id: str) -> Iterator[Ref]:
    for p in ctx.index.people_by_team.get(team_id, []):
        if ML_ROLES.intersection(p.roles):
            yield Ref("people", p.id, ("roles",), list(p.roles))


def observed(ctx: RuleContext) -> CollaborationAnalysis | None:
    """The collaboration measures, when the spec has observed ties (``collaboration``)."""
    return ctx.analyses.collaboration


def business_covered(ctx: RuleContext, obs: CollaborationAnalysis) -> bool:
    """Do the observed ties include anyone from a product or business team? If not, they cannot show a silo."""
    return any(obs.covered(t) for t in facts(ctx).business_teams)


def unused_forum_evidence(ctx: RuleContext, obs: CollaborationAnalysis, forums: Iterable[Forum]) -> list[Evidence]:
    """Evidence that declared forums are not used, so they no longer count as a mitigation."""
    out: list[Evidence] = []
    for f in forums:
        use = obs.forums.get(f.id)
        if use is not None and use.used is False:
            out.append(
                Evidence(
                    path=ctx.index.path("forums", f.id, "teams"),
                    value=list(f.teams),
                    note=f"declared, but {use.note}; it does not count as a mitigation",
                )
            )
    return out


def ties_evidence(count: int, note: str) -> Evidence:
    return Evidence(path="collaboration.ties", value=count, note=note)
