"""Rules about ML people having peers: communities of practice and lone hires.

A community-of-practice forum reaches exactly the teams it lists.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules._facts import (
    Ref,
    capped,
    facts,
    forums_of_kind,
    list_question,
    ml_staff,
    named_ml_people_evidence,
    observed,
    section_given,
    ties_evidence,
    unused_forum_evidence,
)
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule
from mlorg.spec.models import Team

COMMUNITY_QUESTION = "Which recurring forums exist (communities of practice included), and which teams take part?"


@rule(
    "isolated-ml-hire",
    severity="medium",
    source="hasty-structures",
    summary="A lone ML person sits in a non-ML team with no community of ML peers to turn to.",
    flags=(
        "A team on the product or business side (not an ML home, not a leadership team) with between 1 and "
        "`isolated_hire_max` (default 1) ML staff, named or counted in `staffing`, besides those who lead ML "
        "people (a head of data science, or someone marked `leads_ml` whom an ML person reports to: leaders, "
        "not lone hires), that no `community_of_practice` forum lists. A spec without a `forums` section, or "
        "with `lists.forums: partial`, gets a question instead, as does a lone hire in a team that neither "
        "counts its staff nor lists them all when the ML staff named are not all of them (`lists.people: "
        "partial`, or someone named without `roles`): another ML person may share the team. With observed "
        "ties (`collaboration`) that include the team's ML staff and other ML staff, the ties decide: a tie to "
        "an ML peer in another team clears it even without a forum, and a community of practice that lists "
        "the team no longer counts when its ML staff are never seen working with ML staff elsewhere."
    ),
    why=(
        "A single ML hire in a product team carries everything ML alone: no one to review their work, "
        "learn from or share practices with. Such posts are harder to fill and to keep, learning stalls, "
        "and each lone practitioner reinvents tooling the others already built."
    ),
    example="""
teams:
  - {id: shop, kind: product}
people:
  - {id: ada, team: shop, roles: [data_scientist], ml_experience: learning}
forums: []
""",
    remedy=(
        "Add the team to a regular ML community of practice (a guild or weekly practitioners' meeting) "
        "where ML staff across teams share work and common infrastructure, or pair the hire with an ML team."
    ),
)
def isolated_ml_hire(ctx: RuleContext) -> Iterator[Hit | Question]:
    limit = ctx.thresholds.isolated_hire_max
    known = facts(ctx)
    staff = known.staff
    leading = known.ml_leads_by_team  # they lead ML people elsewhere: not a lone hire
    candidates = [
        t
        for t in ctx.spec.teams
        if staff.placement(t.id) == "embedded"
        and not staff.is_ml_home(t.id)
        and leading.get(t.id, 0) < ml_staff(ctx, t.id) <= limit
    ]
    if not candidates:
        return
    obs = observed(ctx)
    if obs is not None and int(obs.measures.ml_in_network.sum()) >= 2:
        for team in [t for t in candidates if (obs.team(t.id) or (0,) * 6)[4]]:
            yield from _isolated_observed(ctx, team)
        candidates = [t for t in candidates if not (obs.team(t.id) or (0,) * 6)[4]]
        if not candidates:
            return
    if not section_given(ctx, "forums"):
        yield Question("forums", COMMUNITY_QUESTION)
        return
    idx = ctx.index
    unsure = list_question(ctx, "forums")
    # ML staff not all named: another may share a team that neither counts its staff nor lists them all
    counted = known.lists.people_complete_teams
    for team in candidates:
        if forums_of_kind(ctx, team.id, "community_of_practice"):
            continue
        if unsure is None and not staff.complete and not team.staffing and team.id not in counted:
            unsure = list_question(ctx, "people")
        if unsure is not None:  # a forum not listed, or an ML person not named beside them, may end it
            yield unsure
            return
        n = ml_staff(ctx, team.id)
        evidence: list[Evidence | Ref] = [
            Evidence(path=idx.path("teams", team.id, "kind"), value=team.kind),
            *named_ml_people_evidence(ctx, team.id),
        ]
        if team.staffing:
            evidence.append(Evidence(path=idx.path("teams", team.id, "staffing"), value=dict(team.staffing)))
        who = "person" if n == 1 else "people"
        yield Hit(
            f"team:{team.id}",
            f"Team '{team.id}' ({team.kind}) has {n} ML {who} and no community of practice reaches them.",
            capped(ctx, evidence),
        )


@rule(
    "no-ml-community",
    severity="medium",
    source="hasty-structures",
    summary="ML staff are spread over several teams and never meet as a community.",
    flags=(
        "ML staff (named or counted in `staffing`) in at least `community_due_ml_teams` (default 2) teams, "
        "not counting a team whose only ML staff lead ML people elsewhere (a chief data officer's office), "
        "and no `community_of_practice` forum that lists at least two of those teams. A spec without a "
        "`forums` section gets a question instead. With observed ties (`collaboration`) that include ML staff "
        "of at least two of those teams, at least `network_min_link_ties` (default 3) ties between ML staff "
        "of different teams count as a community even without a forum, and a declared community of practice "
        "whose ML staff are never seen working together no longer counts."
    ),
    why=(
        "Once ML people work in different teams, each focuses on its own problem. Without a regular meeting "
        "of practitioners, the organization loses shared practices, common infrastructure and the depth of "
        "knowledge that a concentrated team builds, and every team solves the same problems separately."
    ),
    example="""
teams:
  - {id: shop, kind: product}
  - {id: search, kind: product}
people:
  - {id: ada, team: shop, roles: [ml_engineer]}
  - {id: bo, team: search, roles: [data_scientist]}
forums: []
""",
    remedy=(
        "Start a community of practice: ML staff from every team meet regularly to align on methods, "
        "review each other's work and agree on shared MLOps practices and tools."
    ),
)
def no_ml_community(ctx: RuleContext) -> Iterator[Hit | Question]:
    known = facts(ctx)
    staffed = [ctx.index.teams[t] for t in known.community_teams]
    if len(staffed) < ctx.thresholds.community_due_ml_teams:
        return
    obs = observed(ctx)
    if obs is not None and obs.community is not None:  # the ties decide (decided once, in the analysis)
        yield from _community_observed(ctx, staffed)
        return
    if not section_given(ctx, "forums"):
        yield Question("forums", COMMUNITY_QUESTION)
        return
    if known.community_forums:
        return
    unsure = list_question(ctx, "forums")
    if unsure is not None:
        yield unsure
        return
    evidence = (Ref("teams", t.id, (), ml_staff(ctx, t.id), "ML staff") for t in staffed)
    yield Hit(
        "org",
        f"ML staff work in {len(staffed)} teams, and no community of practice brings two of them together.",
        capped(ctx, evidence),
    )


def _isolated_observed(ctx: RuleContext, team: Team) -> Iterator[Hit]:
    obs = observed(ctx)
    assert obs is not None
    figures = obs.team(team.id)
    assert figures is not None
    peer_ties = figures[3]
    if peer_ties:
        return
    forums = forums_of_kind(ctx, team.id, "community_of_practice")
    evidence: list[Evidence | Ref] = [
        Evidence(path=ctx.index.path("teams", team.id, "kind"), value=team.kind),
        ties_evidence(0, f"observed ties between the ML staff of '{team.id}' and ML staff of other teams"),
        *(
            Evidence(
                path=ctx.index.path("forums", f.id, "teams"),
                value=list(f.teams),
                note=f"declared, but the ML staff of '{team.id}' are never seen working with ML staff of the "
                "other teams; it does not count as a mitigation",
            )
            for f in forums
        ),
        *named_ml_people_evidence(ctx, team.id),
    ]
    why = f" although community of practice '{forums[0].id}' lists the team" if forums else ""
    yield Hit(
        f"team:{team.id}",
        f"Team '{team.id}' ({team.kind}) has {ml_staff(ctx, team.id)} ML staff, and the observed ties show them "
        f"working with no ML peer in another team{why}.",
        capped(ctx, evidence),
    )


def _community_observed(ctx: RuleContext, staffed: list[Team]) -> Iterator[Hit]:
    obs = observed(ctx)
    assert obs is not None and obs.community is not None
    verdict = obs.community
    if verdict.in_place:
        return
    unused = unused_forum_evidence(ctx, obs, [ctx.index.forums[f] for f in verdict.unused])
    why = (
        f"; the declared community of practice ({', '.join(verdict.forums)}) shows no such work"
        if verdict.forums
        else ""
    )
    evidence: list[Evidence | Ref] = [
        ties_evidence(verdict.ties, verdict.what),
        *unused,
        *(Ref("teams", t.id, (), ml_staff(ctx, t.id), "ML staff") for t in staffed),
    ]
    yield Hit(
        "org",
        f"ML staff work in {len(staffed)} teams, and the observed ties show only {verdict.ties} tie(s) between ML "
        f"staff of different teams{why}.",
        capped(ctx, evidence),
    )
