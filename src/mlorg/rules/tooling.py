"""Rules about shared ML tooling: a platform team, and teams drifting onto different tools."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mlorg.rules._facts import Ref, capped, facts, teams_doing_ml
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule


@rule(
    "no-platform-team",
    severity="medium",
    source="tecton-embedded",
    summary="Several teams do ML, but no team provides shared ML tooling and infrastructure.",
    flags=(
        "At least `platform_team_due_ml_teams` (default 3) teams doing ML (an `ml` or `research` team, a team "
        "with ML staff, or a team that built or runs a model that is not retired) and no ML platform team: none "
        "with `function: platform`, and no team of kind `platform` holding ML staff. A `platform` team whose "
        "people are not given (no complete list, no `staffing`) may serve ML or only general infrastructure, "
        "and an `ml` team whose `function` is not given may be the platform: either way the rule asks. A "
        "`platform` team whose people are known and hold no ML role is general infrastructure."
    ),
    why=(
        "When every team that does ML builds and runs its own pipelines, serving and monitoring, the same "
        "infrastructure is paid for several times over and drifts apart. Larger organizations usually set "
        "up a small central platform team so that embedded ML staff spend their time on models, not plumbing."
    ),
    example="""
teams:
  - {id: recs, kind: ml, function: business_metrics}
  - {id: search, kind: product}
  - {id: fraud, kind: product}
people:
  - {id: ada, team: search, roles: [ml_engineer]}
  - {id: bo, team: fraud, roles: [data_scientist]}
""",
    remedy=(
        "Create a small platform team that owns shared ML tooling (training, serving, feature and model "
        "stores, monitoring) as a product for the teams that build models."
    ),
)
def no_platform_team(ctx: RuleContext) -> Iterator[Hit | Question]:
    doing = teams_doing_ml(ctx)
    if len(doing) < ctx.thresholds.platform_team_due_ml_teams:
        return
    known = facts(ctx)
    if known.ml_platform_teams:
        return
    if known.platform_teams_unsure:
        # a platform team whose people are not given may run general infrastructure, and an ML team whose
        # function is not given may be the ML platform
        team = known.platform_teams_unsure[0]
        yield Question(
            ctx.index.path("teams", team, "function"),
            f"Does team '{team}' provide the shared ML tooling (training, serving, monitoring)? "
            "If it does, set its `function: platform`.",
        )
        return
    yield Hit(
        "org",
        f"{len(doing)} teams do ML and none of them, nor any other team, provides a shared ML platform.",
        capped(ctx, doing.values()),
    )


def _normal(name: str) -> str:
    """Compare tool and function names without regard to case or surrounding spaces."""
    return name.strip().casefold()


@rule(
    "tool-divergence",
    severity="low",
    source="tecton-embedded",
    summary="Teams use different products for the same tooling function.",
    flags=(
        "Two or more teams whose `tools` map the same tooling function (compared without regard to case) "
        "to different products, e.g. one team tracks experiments in `mlflow` and another in `wandb`. One "
        "finding per tooling function, with each team's choice as evidence."
    ),
    why=(
        "Independent teams pick their own tools, and the organization ends up paying twice, maintaining "
        "several integrations and finding hand-overs between teams harder. Consistent tooling is one of "
        "the practices embedded ML staff have to agree on deliberately."
    ),
    example="""
teams:
  - {id: recs, kind: ml, function: business_metrics, tools: {experiment_tracking: mlflow}}
  - {id: search, kind: product, tools: {experiment_tracking: wandb}}
""",
    remedy=(
        "Agree one product per tooling function across teams (a platform team or the ML community of "
        "practice can own the choice) and plan the migration for the teams that differ."
    ),
)
def tool_divergence(ctx: RuleContext) -> Iterator[Hit | Question]:
    # function -> product -> [(team id, original function key, original product)]
    uses: dict[str, dict[str, list[tuple[str, str, str]]]] = defaultdict(lambda: defaultdict(list))
    for team in ctx.spec.teams:
        for function, product in (team.tools or {}).items():
            uses[_normal(function)][_normal(product)].append((team.id, function, product))
    for function in sorted(uses):
        products = uses[function]
        if len(products) < 2:
            continue
        ranked = sorted(products.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        summary = ", ".join(f"{name} ({len(users)} team{'s' if len(users) != 1 else ''})" for name, users in ranked)
        # One team per product first, so every product shows even when the evidence is capped.
        order = [users[0] for _, users in ranked] + [use for _, users in ranked for use in users[1:]]
        evidence = (Ref("teams", team_id, ("tools", key), product) for team_id, key, product in order)
        yield Hit(
            "org",
            f"Teams use {len(products)} different products for {function}: {summary}.",
            capped(ctx, evidence),
        )
