"""Rules that weigh what the staff say (survey answers) against the leader's spec."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

if TYPE_CHECKING:  # numpy-backed scoring is imported only where it runs, so `mlorg rules` stays light
    from mlorg.survey.catalog import Item
    from mlorg.survey.scoring import InstrumentScore, SurveyResult

_NO_SURVEY = (
    "Have staff answered the culture and ML-organization survey? Point `culture.survey` at the answers CSV "
    "(see `mlorg survey items`) so the spec can be checked against what they say."
)


def _low_coverage(survey: SurveyResult, inst: InstrumentScore | None) -> str:
    n = inst.respondents if inst else 0
    return (
        f"Only {n} staff answered the survey (below {survey.min_respondents}, or the privacy floor of "
        f"{survey.privacy_floor}): can more of them answer, so staff views can be compared with the spec?"
    )


@rule(
    "survey-contradicts-spec",
    severity="medium",
    source="rml-ch13",
    summary="What the staff say in the survey contradicts what the leader's spec claims.",
    flags=(
        "A staff Westrum mean at least `survey_contradiction_gap` points from `culture.westrum` (for the "
        "organization, or a team the spec lists), or staff clearly disagreeing (or agreeing) with a "
        "self-assessment statement that a spec fact, such as `practices.data_audit_done`, claims the opposite of."
    ),
    why=(
        "A plan built on one senior leader's picture of the organization rarely survives contact with the "
        "people who have to change. When staff see the culture or the practices differently, the leader's "
        "mental model is the thing to test first: either the practice exists but people do not know it, or "
        "it exists only on paper."
    ),
    example="""
teams: [{id: recs, kind: ml}, {id: shop, kind: product}]
culture:
  westrum: {mean: 6.2, respondents: 30}
  survey: survey/low-culture.csv   # six staff answer 3 on every Westrum item
""",
    remedy=(
        "Talk to the teams whose answers differ: find out what they see that the spec does not, correct the "
        "spec or the practice, and re-run the survey after the change."
    ),
)
def survey_contradicts_spec(ctx: RuleContext) -> Iterator[Hit | Question]:
    survey = ctx.survey
    if survey is None:
        yield Question("culture.survey", _NO_SURVEY)
        return
    westrum = survey.instrument("westrum")
    ml_org = survey.instrument("ml_org")
    if not any(i.mean is not None and i.coverage == "sufficient" for i in survey.instruments):
        yield Question("culture.survey", _low_coverage(survey, westrum or ml_org))
        return
    if westrum is not None and westrum.mean is not None:
        yield from _westrum(ctx, westrum)
    if ml_org is not None and ml_org.mean is not None:
        yield from _facts(ctx, ml_org)


def _westrum(ctx: RuleContext, score: InstrumentScore) -> Iterator[Hit]:
    w = ctx.spec.culture.westrum
    if w is None or score.mean is None:
        return
    gap = ctx.thresholds.survey_contradiction_gap
    if abs(score.mean - w.mean) >= gap:
        yield Hit(
            "org",
            f"The spec gives a Westrum mean of {w.mean}; {score.respondents} staff answering the survey give "
            f"{score.mean:.1f}.",
            (
                Evidence(path="culture.westrum.mean", value=w.mean),
                Evidence(path="culture.survey", value=score.mean, note=f"{score.respondents} respondents"),
            ),
        )
    for team_id, claimed in sorted((w.teams or {}).items()):
        seen = score.team(team_id)
        if seen is not None and abs(seen.mean - claimed.mean) >= gap:
            yield Hit(
                f"team:{team_id}",
                f"The spec gives team {team_id} a Westrum mean of {claimed.mean}; its {seen.respondents} "
                f"respondents give {seen.mean:.1f}.",
                (
                    Evidence(path=f"culture.westrum.teams.{team_id}.mean", value=claimed.mean),
                    Evidence(path="culture.survey", value=seen.mean, note=f"team {team_id}"),
                ),
            )


def _facts(ctx: RuleContext, score: InstrumentScore) -> Iterator[Hit]:
    from mlorg.survey.catalog import instrument

    inst = instrument(score.instrument)
    if inst is None:  # pragma: no cover - scores only exist for bundled instruments
        return
    agree = ctx.thresholds.survey_fact_agreement
    for item in inst.items:
        answered = score.item(item.id)
        if item.spec_fact is None or answered is None or answered.mean is None:
            continue
        claimed = _spec_value(ctx, item)
        if claimed is None:
            continue
        level = (answered.mean - inst.scale.min) / inst.scale.span
        staff_say = True if level >= agree else False if level <= 1 - agree else None
        if staff_say is None or staff_say == claimed:
            continue
        verb = "agree" if staff_say else "disagree"
        fact = item.spec_fact
        shown = (
            f"{fact.field} {'includes' if claimed else 'lacks'} {fact.contains}"
            if fact.contains
            else (f"{fact.field} is {str(claimed).lower()}")
        )
        yield Hit(
            "org",
            f"The spec says {shown}, but staff mostly {verb} that \u201c{item.text}\u201d "
            f"(mean {answered.mean:.1f} on {inst.scale.describe()}, {answered.answered} answers).",
            (
                Evidence(path=fact.field, value=claimed),
                Evidence(path="culture.survey", value=answered.mean, note=f"item {item.id}"),
            ),
        )


def _spec_value(ctx: RuleContext, item: Item) -> bool | None:
    """The spec's answer to an item's fact: a boolean, membership in a list, or None if silent."""
    assert item.spec_fact is not None
    value: object = ctx.spec
    for part in item.spec_fact.field.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    if item.spec_fact.contains is not None:
        return item.spec_fact.contains in value if isinstance(value, tuple) else None
    return value if isinstance(value, bool) else None


@rule(
    "survey-divergent-team",
    severity="low",
    source="rml-ch13",
    summary="Members of one team answer the culture survey very differently from each other.",
    flags=(
        "A team (at or above the privacy floor) whose members' Westrum means have a standard deviation of at "
        "least `survey_divergence_share` of the scale's range (1.5 points on 1-7)."
    ),
    why=(
        "A team mean is only meaningful when members broadly agree. Wide disagreement usually means people on "
        "the same team have different experiences of it, for instance a subgroup that is blamed when things "
        "fail while others are not; that is the kind of culture problem that stops ML work after its first "
        "incident."
    ),
    example="""
teams: [{id: recs, kind: ml}, {id: shop, kind: product}]
culture:
  survey: survey/split-team.csv   # team recs: half answer 1, half answer 7
""",
    remedy=(
        "Before acting on the team's mean, talk with the team (a facilitated retrospective works) to find which "
        "experiences differ and why."
    ),
)
def survey_divergent_team(ctx: RuleContext) -> Iterator[Hit | Question]:
    score = ctx.survey.instrument("westrum") if ctx.survey else None
    if score is None:
        return
    for team in score.teams:
        if team.divergent:
            yield Hit(
                f"team:{team.group}",
                f"Team {team.group}'s {team.respondents} respondents disagree widely about its culture "
                f"(mean {team.mean}, spread {team.spread} on {score.scale}).",
                (Evidence(path="culture.survey", value=team.spread, note=f"team {team.group} spread"),),
            )
