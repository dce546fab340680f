"""Rules about organizational culture, read from the Westrum measure.

The bands (below 3 power-oriented, 3 to below 5 rule-oriented, 5 and up performance-oriented by
default) are this tool's assumption and are settings: ``culture_power_below`` and
``culture_performance_from``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

if TYPE_CHECKING:  # analyses are imported inside the checks, so `mlorg rules` stays light
    from mlorg.analyses.culture import Typology

CULTURE_QUESTION = "How do staff rate their team's culture on the Westrum statements (mean on the 1-7 agreement scale)?"


def _measured(ctx: RuleContext) -> tuple[Typology, tuple[Evidence, ...]] | None:
    """The culture band and the evidence for it, or None when no culture measure was given.

    The culture analysis' mean wins (it may come from raw survey answers); else the spec's summary.
    """
    from mlorg.analyses.culture import typology_of

    westrum = ctx.spec.culture.westrum
    mean = ctx.analyses.culture.mean
    if mean is None and westrum is not None:
        mean = westrum.mean
    if mean is None:
        return None
    path = "culture.westrum.mean" if westrum is not None else "culture.survey"
    respondents = ctx.analyses.culture.respondents
    if respondents is None and westrum is not None:
        respondents = westrum.respondents
    note = f"{respondents} respondents" if respondents is not None else "respondent count not given"
    band = typology_of(mean, ctx.thresholds)
    return band, (Evidence(path=path, value=mean, note=note),)


def _check(ctx: RuleContext, band: Typology) -> Iterator[Hit | Question]:
    measured = _measured(ctx)
    if measured is None:
        yield Question("culture.westrum", CULTURE_QUESTION)
        return
    found, evidence = measured
    if found == band:
        t = ctx.thresholds
        label = band.replace("_", "-")
        yield Hit(
            "org",
            f"The culture measure reads {label} (Westrum mean {evidence[0].value}; bands: power-oriented below "
            f"{t.culture_power_below}, performance-oriented from {t.culture_performance_from}).",
            evidence,
        )


@rule(
    "rule-oriented-culture",
    severity="medium",
    source="rml-ch13",
    summary="The culture is rule-oriented: novelty is tolerated, but failure is punished.",
    flags=(
        "A Westrum culture mean in the rule-oriented band: at or above `culture_power_below` (default 3) and "
        "below `culture_performance_from` (default 5). The bands are this tool's assumption."
    ),
    why=(
        "Of Westrum's three cultures, the bureaucratic, rule-oriented one is the one that struggles with ML "
        "for structural reasons. It lets ML start, but responsibilities are narrow and guarded, "
        "coordination is thin, and whoever is blamed for a failure is punished, so the first bad "
        "incident tends to end the effort and cross-team risks go unmodelled."
    ),
    example="""
culture:
  westrum: {mean: 4.2, respondents: 30}
""",
    remedy=(
        "Make failure safe to report and learn from: blameless reviews of ML incidents, shared ownership of "
        "cross-team risks, and explicit rewards for raising bad news early. Re-measure culture after a few months."
    ),
)
def rule_oriented_culture(ctx: RuleContext) -> Iterator[Hit | Question]:
    yield from _check(ctx, "rule_oriented")


@rule(
    "power-oriented-culture",
    severity="high",
    source="rml-ch13",
    summary="The culture is power-oriented: new ideas tend to be crushed.",
    flags=("A Westrum culture mean below `culture_power_below` (default 3). The band is this tool's assumption."),
    why=(
        "Power-oriented organizations hoard information and suppress novelty, so they seldom take up ML "
        "seriously on their own; what ML does start is unlikely to get the open coordination and shared "
        "risk-taking it needs, and risks may be hidden rather than surfaced."
    ),
    example="""
culture:
  westrum: {mean: 2.4, respondents: 30}
""",
    remedy=(
        "Treat culture as the first change: leadership sponsorship that protects experiments, information "
        "that flows to whoever needs it, and messengers who are thanked rather than blamed. Start ML with "
        "a small, sponsored, additive project."
    ),
)
def power_oriented_culture(ctx: RuleContext) -> Iterator[Hit | Question]:
    yield from _check(ctx, "power_oriented")
