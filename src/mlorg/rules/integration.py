"""Rules about where ML work meets the product and the business.

Forums count only for the teams they list: a forum that lists a department does not reach the
teams under it, because a parent such as the leadership team would otherwise reach everyone.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.facts import INTEGRATION_KINDS
from mlorg.results import Evidence
from mlorg.rules._facts import (
    Ref,
    business_covered,
    capped,
    central_ml_teams,
    facts,
    list_question,
    observed,
    section_given,
    teams_doing_ml,
    ties_evidence,
    unused_forum_evidence,
)
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule
from mlorg.spec.models import Team

FORUMS_QUESTION = "Which recurring forums exist, and which teams take part in each?"


@rule(
    "no-integration-point",
    severity="high",
    source="rml-ch13",
    summary="No standing forum joins the teams doing ML with the product and business teams.",
    flags=(
        "An organization with at least one team doing ML (an `ml` or `research` team, a team with ML staff, "
        "or a team that built or runs a model) and at least one `product` or `business` team, where no forum of kind "
        "`integration_point` or `leadership_review` lists both a team doing ML and a different product or business "
        "team (a leadership review both sides attend is a venue where oversight and steering already happen; a "
        "community of practice or a training is not). "
        "A spec without a `forums` section gets a question instead. With observed ties (`collaboration`) "
        "that include both sides, at least `network_min_link_ties` (default 3) ties between teams doing ML "
        "and other product or business teams count as an integration point even where no forum was declared, "
        "and a declared forum whose teams are never seen working together no longer counts."
    ),
    why=(
        "ML touches data owned everywhere, so choices that are sound inside one team can hurt another: a "
        "model that sells out scarce stock, a logging change that turns a harmless feature into a way to "
        "identify people. Oversight, steering and the exchange of context need a fixed place where the "
        "ML work and the business meet."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics}
  - {id: shop, kind: product}
forums:
  - {id: ml-sync, kind: community_of_practice, teams: [ml]}
""",
    remedy=(
        "Name one recurring venue, an existing product review if it fits or a new one, where ML teams and "
        "the product and business owners they affect review plans, data changes and model behaviour together."
    ),
)
def no_integration_point(ctx: RuleContext) -> Iterator[Hit | Question]:
    doing = teams_doing_ml(ctx)
    if not doing:
        return
    business = facts(ctx).business_teams
    if not business:
        yield Question("teams", "Which product or business teams does the ML work serve?")
        return
    obs = observed(ctx)
    verdict = obs.integration if obs is not None else None
    if obs is not None and verdict is not None:  # the ties decide (decided once, in the collaboration analysis)
        if verdict.in_place:
            return
        tie_note = ties_evidence(verdict.ties, verdict.what)
        if verdict.unused:
            unused = unused_forum_evidence(ctx, obs, [ctx.index.forums[f] for f in verdict.unused])
            evidence_obs: list[Evidence | Ref] = [tie_note, *unused, *doing.values()]
            yield Hit(
                "org",
                f"The integration-point forum(s) declared are not used: the observed ties show {verdict.ties} "
                f"tie(s) between the {len(doing)} team(s) doing ML and product or business teams.",
                capped(ctx, evidence_obs),
            )
            return
        points = [f for f in ctx.spec.forums if f.kind in INTEGRATION_KINDS]
        evidence_seen: list[Evidence | Ref] = [
            tie_note,
            Evidence(
                path="forums",
                value=len(points),
                note="integration-point and leadership-review forums, none joining ML with business",
            ),
            *doing.values(),
        ]
        yield Hit(
            "org",
            f"No integration-point forum or leadership review joins the {len(doing)} team(s) doing ML with a product "
            f"or business team, and the observed ties show only {verdict.ties} tie(s) between them.",
            capped(ctx, evidence_seen),
        )
        return
    if not section_given(ctx, "forums"):
        yield Question("forums", FORUMS_QUESTION)
        return
    if facts(ctx).integration_forums:
        return
    points = [f for f in ctx.spec.forums if f.kind in INTEGRATION_KINDS]
    unsure = list_question(ctx, "forums")
    if unsure is not None:
        yield unsure
        return
    evidence: list[Evidence | Ref] = [
        Evidence(
            path="forums",
            value=len(points),
            note="integration-point and leadership-review forums, none joining ML with a product or business team",
        ),
        *doing.values(),
    ]
    yield Hit(
        "org",
        f"No integration-point forum or leadership review joins the {len(doing)} team(s) doing ML with a product or "
        "business team.",
        capped(ctx, evidence),
    )


@rule(
    "siloed-ml-team",
    severity="high",
    source="rml-ch13",
    summary="An ML team shares no forum with any product or business team.",
    flags=(
        "A central ML home (a team of kind `ml` or `research`, or a `data` or `platform` team holding ML staff, "
        "not nested under a product or business team) that takes part in no forum (of any kind) that also "
        "lists a `product` or `business` team. An ML team nested under a product or business team is "
        "embedded there and is not flagged. A spec without a `forums` section, or with "
        "`lists.forums: partial`, gets a question instead. With observed ties (`collaboration`) that include "
        "the team and some product or business team, the ties decide: at least `network_min_link_ties` "
        "(default 3) ties to product or business teams clear the team even without a forum, and a declared "
        "forum counts only if the team is seen working with one of its product or business teams."
    ),
    why=(
        "Setting up a separate ML team is a quick way to get started, but a team cut off from the business "
        "builds things that miss what customers and the company need, keeps its know-how to itself, and "
        "cannot see the effects its models have elsewhere. ML nearly always needs help from other "
        "departments to ship at all."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics}
  - {id: shop, kind: product}
forums: []
""",
    remedy=(
        "Bring the team into the forums where product and business decisions are made, or embed its "
        "people with the teams whose metrics they move; share roadmaps and reviews both ways."
    ),
)
def siloed_ml_team(ctx: RuleContext) -> Iterator[Hit | Question]:
    teams = central_ml_teams(ctx)
    if not teams:
        return
    obs = observed(ctx)
    if obs is not None and business_covered(ctx, obs):
        seen = [t for t in teams if obs.covered(t.id)]
        yield from _siloed_observed(ctx, seen)
        teams = [t for t in teams if not obs.covered(t.id)]
        if not teams:
            return
    if not section_given(ctx, "forums"):
        yield Question("forums", FORUMS_QUESTION)
        return
    idx = ctx.index
    unsure = list_question(ctx, "forums")
    business = set(facts(ctx).business_teams)
    with_business = {f.id for f in ctx.spec.forums if business.intersection(f.teams)}
    for team in teams:
        forums = idx.forums_by_team.get(team.id, [])
        if any(f.id in with_business for f in forums):
            continue
        if unsure is not None:
            yield unsure
            return
        evidence: list[Evidence] = [Evidence(path=idx.path("teams", team.id, "kind"), value=team.kind)]
        if forums:
            evidence += [
                Evidence(
                    path=idx.path("forums", f.id, "teams"),
                    value=list(f.teams),
                    note="no product or business team takes part",
                )
                for f in forums
            ]
        else:
            evidence.append(Evidence(path=idx.path("teams", team.id), value=team.id, note="takes part in no forum"))
        yield Hit(
            f"team:{team.id}",
            f"Central ML team '{team.id}' shares no forum with any product or business team.",
            capped(ctx, evidence),
        )


def _siloed_observed(ctx: RuleContext, teams: list[Team]) -> Iterator[Hit]:
    """Central ML teams the observed ties include: ties to business teams decide, forums count only if used."""
    obs = observed(ctx)
    assert obs is not None
    business = facts(ctx).business_teams
    idx = ctx.index
    for team in teams:
        ties = sum(obs.ties_between(team.id, b) for b in business)
        if ties >= ctx.thresholds.network_min_link_ties:
            continue
        forums = [f for f in idx.forums_by_team.get(team.id, []) if any(b in f.teams for b in business)]
        live = [f for f in forums if any(obs.ties_between(team.id, b) for b in f.teams if b in business)]
        if live:
            continue
        evidence: list[Evidence] = [
            Evidence(path=idx.path("teams", team.id, "kind"), value=team.kind),
            ties_evidence(ties, f"observed ties between '{team.id}' and product or business teams"),
        ]
        evidence += [
            Evidence(
                path=idx.path("forums", f.id, "teams"),
                value=list(f.teams),
                note=f"declared, but '{team.id}' is never seen working with its product or business teams; "
                "it does not count as a mitigation",
            )
            for f in forums
        ]
        why = (
            f"; the forum(s) it shares with them ({', '.join(f.id for f in forums)}) show no such work"
            if forums
            else ""
        )
        yield Hit(
            f"team:{team.id}",
            f"Central ML team '{team.id}' is seen working with product or business teams only {ties} time(s) "
            f"in the observed ties{why}.",
            capped(ctx, evidence),
        )
