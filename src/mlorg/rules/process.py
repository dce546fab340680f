"""Rules about how ML work is asked for, chosen and funded.

A *central* ML team is a team of kind ``ml`` or ``research`` whose parent is not a product or
business team: the team other teams bring work to. Prioritisation and experiment budgets are the
weak points of exactly such teams, so those rules stay quiet when all ML is embedded in product
teams. Idea intake matters whatever the structure (a central team is flooded with ideas that
arrive by side doors; embedded teams leave the rest of the organization not knowing where to
go), so that rule fires wherever ML work exists.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules import _trusted as trusted
from mlorg.rules._facts import capped, central_ml_teams, ml_teams, ml_work_evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule


@rule(
    "unclear-team-function",
    severity="medium",
    source="hasty-structures",
    summary="An ML team has no clear function beyond 'doing ML'.",
    flags=(
        "A team of kind `ml` or `research` whose `function` is `undefined`. A `kind: ml` team with no "
        "`function` gets a question; a `research` team without one is taken to do research."
    ),
    why=(
        "A team whose purpose is just 'develop AI' cannot tell whether it should be exploring future "
        "technology or moving business metrics this quarter. Stakeholders expect one and get the other, and "
        "both they and the team end up frustrated."
    ),
    example="""
teams:
  - {id: ai-lab, kind: ml, function: undefined}
""",
    remedy=(
        "Decide and publish what the team is for: research on future capabilities, improving named business "
        "metrics, or running the ML platform, and judge it on that."
    ),
)
def unclear_team_function(ctx: RuleContext) -> Iterator[Hit | Question]:
    idx = ctx.index
    for team in ml_teams(ctx):
        if team.function == "undefined":
            yield Hit(
                f"team:{team.id}",
                f"ML team '{team.id}' has no defined function.",
                (trusted.evidence(idx.path("teams", team.id, "function"), team.function),),
            )
        elif team.function is None and team.kind == "ml":
            yield Question(
                idx.path("teams", team.id, "function"),
                f"What is ML team '{team.id}' for: research, improving business metrics, or a platform?",
            )


@rule(
    "no-experimentation-budget",
    severity="medium",
    source="hasty-structures",
    summary="A central ML team has no budget of its own for experiments.",
    flags=(
        "A central ML team (kind `ml` or `research`, not under a product or business team) whose "
        "`experimentation_budget` is false, or, where the team does not say, whose organization's "
        "`practices.experimentation_budget` is false. Quiet when every ML team is embedded in a product team."
    ),
    why=(
        "How much data a model needs, or how long it takes to reach a given quality, is rarely known "
        "before trying. A central team that must fit trial-and-error work into fixed project plans and "
        "other teams' budgets either over-promises or stops exploring."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics, experimentation_budget: false}
""",
    remedy=(
        "Give the central ML team a budget it controls for experiments, and make project plans that involve "
        "it allow explicitly for an exploration phase with a decision point."
    ),
)
def no_experimentation_budget(ctx: RuleContext) -> Iterator[Hit | Question]:
    teams = central_ml_teams(ctx)
    if not teams:
        return
    org_budget = ctx.spec.practices.experimentation_budget
    asked = False
    idx = ctx.index
    for team in teams:
        if team.experimentation_budget is False:
            evidence = trusted.evidence(idx.path("teams", team.id, "experimentation_budget"), False)
        elif team.experimentation_budget is None and org_budget is False:
            evidence = trusted.noted("practices.experimentation_budget", False, "the team does not say otherwise")
        elif team.experimentation_budget is None and org_budget is None:
            if not asked:
                asked = True
                yield Question(
                    "practices.experimentation_budget",
                    "Do central ML teams have a budget of their own for experiments?",
                )
            continue
        else:
            continue
        yield Hit(
            f"team:{team.id}", f"Central ML team '{team.id}' has no budget of its own for experiments.", (evidence,)
        )


@rule(
    "no-prioritization-process",
    severity="medium",
    source="hasty-structures",
    summary="A central ML team has no transparent way to choose among the requests it gets.",
    flags=(
        "`practices.prioritization_process: false` in an organization with a central ML team (kind `ml` or "
        "`research`, not under a product or business team). Quiet when every ML team is embedded."
    ),
    why=(
        "A central ML team that delivers soon receives more use cases than it can take on. Without an open, "
        "agreed way to rank them, the loudest stakeholder wins, other teams feel ignored, and the team "
        "cannot defend time spent on groundwork such as MLOps infrastructure."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics}
practices:
  prioritization_process: false
""",
    remedy=(
        "Set up a transparent prioritisation process (for example a value/cost ranking reviewed with "
        "stakeholders on a fixed cadence) and publish the resulting priorities and what is not being done."
    ),
)
def no_prioritization_process(ctx: RuleContext) -> Iterator[Hit | Question]:
    teams = central_ml_teams(ctx)
    if not teams:
        return
    value = ctx.spec.practices.prioritization_process
    if value is None:
        yield Question("practices.prioritization_process", "Is there a transparent process for prioritising ML work?")
    elif value is False:
        idx = ctx.index
        yield Hit(
            "org",
            f"No transparent process decides what the central ML team(s) work on ({len(teams)} central team(s)).",
            capped(
                ctx,
                [
                    Evidence(path="practices.prioritization_process", value=False),
                    *(
                        Evidence(path=idx.path("teams", t.id, "kind"), value=t.kind, note="central ML team")
                        for t in teams
                    ),
                ],
            ),
        )


@rule(
    "no-idea-intake",
    severity="low",
    source="hasty-structures",
    summary="Nobody knows where to bring a new ML idea or ask for ML help.",
    flags="`practices.idea_intake: false` in an organization that does ML work of any kind.",
    why=(
        "Good ML ideas come from all over the business. With a central team, requests arrive through "
        "hallway conversations and favours; with ML spread across product teams, teams without ML "
        "experience do not know whom to ask. Either way ideas are lost or pursued twice."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics}
practices:
  idea_intake: false
""",
    remedy=(
        "Publish one front door for ML ideas and help requests (a form, a channel or office hours) that "
        "feeds the prioritisation process, and tell every team where it is."
    ),
)
def no_idea_intake(ctx: RuleContext) -> Iterator[Hit | Question]:
    work = ml_work_evidence(ctx)
    if not work:
        return
    value = ctx.spec.practices.idea_intake
    if value is None:
        yield Question("practices.idea_intake", "Do teams know where to bring a new ML idea or to ask for ML help?")
    elif value is False:
        yield Hit(
            "org",
            "There is no known place to bring new ML ideas or requests for ML help.",
            capped(ctx, [Evidence(path="practices.idea_intake", value=False), *work]),
        )
