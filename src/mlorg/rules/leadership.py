"""Rules about what leaders know of ML and whether ML has a voice where decisions are made."""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules._facts import ml_voice_in_leadership
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

VOICE_QUESTION = "Does someone who speaks for ML sit in the leadership team?"


def _leadership_training_forum(ctx: RuleContext) -> Evidence | None:
    """A training forum that a leadership team attends is a way for leaders to learn ML."""
    for f in ctx.spec.forums:
        if f.kind != "training":
            continue
        for team_id in f.teams:
            team = ctx.index.teams.get(team_id)
            if team is not None and team.kind == "leadership":
                return Evidence(path=ctx.index.path("forums", f.id, "teams"), value=list(f.teams))
    return None


@rule(
    "ml-seen-as-magic",
    severity="high",
    source="rml-ch13",
    summary="Leaders understand little of ML and nothing is in place to change that.",
    flags=(
        "`strategy.leadership_ml_literacy: low` with no way for leaders to learn: "
        "`practices.ml_training_for_staff` is false, nobody speaks for ML in leadership "
        "(`strategy.ml_leader_in_leadership` false) and no `training` forum includes a leadership team. "
        "If any of these is unknown and none is known to be in place, the rule asks instead of firing."
    ),
    why=(
        "Leaders do not absorb how ML works from routine management. When they cannot tell how a model "
        "gets its results, they tend to credit ML teams with almost magical powers and miss the risks "
        "those projects carry across the organization; the risks then belong to nobody until something "
        "breaks badly."
    ),
    example="""
strategy:
  leadership_ml_literacy: low
  ml_leader_in_leadership: false
practices:
  ml_training_for_staff: false
""",
    remedy=(
        "Give leaders an explicit way to learn ML basics and to reach practitioners: an ML primer for the "
        "leadership team, a regular session where ML staff walk leaders through live models, or an ML "
        "lead who sits with the leadership team."
    ),
)
def ml_seen_as_magic(ctx: RuleContext) -> Iterator[Hit | Question]:
    literacy = ctx.spec.strategy.leadership_ml_literacy
    if literacy is None:
        yield Question("strategy.leadership_ml_literacy", "How well does the leadership team understand how ML works?")
        return
    if literacy != "low":
        return
    training = ctx.spec.practices.ml_training_for_staff
    voice, voice_evidence = ml_voice_in_leadership(ctx)
    forum = _leadership_training_forum(ctx)
    if training is True or voice is True or forum is not None:
        return
    open_points: list[Question] = []
    if training is None:
        open_points.append(
            Question("practices.ml_training_for_staff", "Is there ML training for leaders and staff outside ML?")
        )
    if voice is None:
        open_points.append(Question("strategy.ml_leader_in_leadership", VOICE_QUESTION))
    if open_points:
        yield from open_points
        return
    yield Hit(
        "org",
        "Leaders' ML literacy is low and nothing is in place to raise it: no ML training and no ML voice "
        "in the leadership team.",
        (
            Evidence(path="strategy.leadership_ml_literacy", value=literacy),
            Evidence(path="practices.ml_training_for_staff", value=training),
            *voice_evidence,
        ),
    )


@rule(
    "no-ml-voice-in-leadership",
    severity="medium",
    source="hasty-structures",
    summary="Nobody speaks for ML in the leadership team.",
    flags=(
        "`strategy.ml_leader_in_leadership: false` while the organization pursues ML at all "
        "(`strategy.ml_ambition` is anything but `none`). When the flag is missing, a named person in a "
        "`leadership` team who holds an ML role or is experienced in ML counts as that voice."
    ),
    why=(
        "ML teams rarely fit neatly under existing leadership lines. Without a seat at the top table, ML "
        "work is argued for second-hand, its needs lose out in budget and priority decisions, and "
        "leaders lose their most direct route to understanding what it can and cannot do."
    ),
    example="""
strategy:
  ml_ambition: core
  ml_leader_in_leadership: false
""",
    remedy=(
        "Give ML a representative in the leadership team: a head of ML or data science who reports at "
        "that level, or an executive who explicitly owns ML and meets the ML teams regularly."
    ),
)
def no_ml_voice_in_leadership(ctx: RuleContext) -> Iterator[Hit | Question]:
    if ctx.spec.strategy.ml_ambition == "none":
        return
    voice, evidence = ml_voice_in_leadership(ctx)
    if voice is None:
        yield Question("strategy.ml_leader_in_leadership", VOICE_QUESTION)
    elif voice is False:
        extra: tuple[Evidence, ...] = ()
        if ctx.spec.strategy.ml_ambition is not None:
            extra = (Evidence(path="strategy.ml_ambition", value=ctx.spec.strategy.ml_ambition),)
        yield Hit("org", "No one speaks for ML in the leadership team.", (*evidence, *extra))
