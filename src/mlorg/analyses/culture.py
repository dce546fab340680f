"""Culture from the Westrum measure (rml-ch13; the seven statements as DORA asks them).

Staff survey answers, when there are enough to show, decide the culture; the spec's
``culture.westrum`` summary is used otherwise (and kept alongside for comparison). Bands are this
tool's assumption: below ``culture_power_below`` power-oriented, below ``culture_performance_from``
rule-oriented, else performance-oriented.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Evidence, Result
from mlorg.settings import Thresholds
from mlorg.survey.scoring import Coverage, GroupScore, InstrumentScore

Typology = Literal["power_oriented", "rule_oriented", "performance_oriented"]
WESTRUM = "westrum"


def typology_of(mean: float, thresholds: Thresholds) -> Typology:
    """Band a 1-7 Westrum mean (bands are this tool's assumption, configurable)."""
    if mean < thresholds.culture_power_below:
        return "power_oriented"
    if mean < thresholds.culture_performance_from:
        return "rule_oriented"
    return "performance_oriented"


class TeamCulture(Result):
    """One team's culture; from the survey only for teams at or above the privacy floor."""

    team: str
    typology: Typology
    mean: float
    respondents: int | None = None
    spread: float | None = Field(None, description="Standard deviation of members' means (survey only).")
    divergent: bool = Field(False, description="Members disagree widely; the mean hides different experiences.")
    source: Literal["survey", "spec"]


class CultureResult(Result):
    typology: Typology | None = None
    mean: float | None = None
    respondents: int | None = None
    evidence: tuple[Evidence, ...] = ()
    source: Literal["survey", "spec"] | None = Field(None, description="Where `mean` came from.")
    spec_mean: float | None = Field(None, description="The leader's figure from `culture.westrum`, if given.")
    teams: tuple[TeamCulture, ...] = Field((), description="Per team, sorted by team id.")
    alpha: float | None = Field(None, description="Cronbach's alpha of the Westrum answers.")
    coverage: Coverage | None = Field(None, description="Survey coverage against `culture_min_respondents`.")
    confidence: float | None = Field(None, description="Survey respondents over the coverage gate, capped at 1.")
    divergent_teams: tuple[str, ...] = ()
    hidden_teams: int = Field(0, description="Teams whose figures (survey or the spec's own) the privacy floor hides.")


def analyze(ctx: AnalysisContext) -> CultureResult:
    w = ctx.spec.culture.westrum
    spec_teams = {
        tid: TeamCulture(
            team=tid,
            typology=typology_of(t.mean, ctx.thresholds),
            mean=t.mean,
            respondents=t.respondents,
            source="spec",
        )
        for tid, t in ((w.teams or {}) if w else {}).items()
        if t.respondents >= ctx.thresholds.privacy_floor  # the floor holds for the leader's figures too
    }
    below_floor = {tid for tid in ((w.teams or {}) if w else {}) if tid not in spec_teams}
    survey = ctx.survey.instrument(WESTRUM) if ctx.survey else None
    if survey is None or survey.mean is None:
        return _from_spec(ctx, spec_teams, survey).model_copy(update={"hidden_teams": len(below_floor)})
    teams = {**spec_teams, **{t.group: _team(t.group, t, ctx.thresholds) for t in survey.teams}}
    return CultureResult(
        typology=typology_of(survey.mean, ctx.thresholds),
        mean=survey.mean,
        respondents=survey.respondents,
        evidence=(Evidence(path="culture.survey", value=survey.mean, note=f"{survey.respondents} staff answered"),),
        source="survey",
        spec_mean=w.mean if w else None,
        teams=tuple(teams[k] for k in sorted(teams)),
        alpha=survey.alpha,
        coverage=survey.coverage,
        confidence=survey.confidence,
        divergent_teams=survey.divergent_teams,
        hidden_teams=survey.hidden_teams + len(below_floor - {t.group for t in survey.teams}),
    )


def _team(team: str, score: GroupScore, thresholds: Thresholds) -> TeamCulture:
    return TeamCulture(
        team=team,
        typology=typology_of(score.mean, thresholds),
        mean=score.mean,
        respondents=score.respondents,
        spread=score.spread,
        divergent=score.divergent,
        source="survey",
    )


def _from_spec(ctx: AnalysisContext, teams: dict[str, TeamCulture], survey: InstrumentScore | None) -> CultureResult:
    """No showable survey figures: the leader's summary, with the survey's coverage if one was run."""
    w = ctx.spec.culture.westrum
    coverage = survey.coverage if survey else None
    confidence = survey.confidence if survey else None
    if w is None:
        return CultureResult(
            respondents=survey.respondents if survey else None, coverage=coverage, confidence=confidence
        )
    return CultureResult(
        typology=typology_of(w.mean, ctx.thresholds),
        mean=w.mean,
        respondents=w.respondents,
        evidence=(Evidence(path="culture.westrum.mean", value=w.mean),),
        source="spec",
        spec_mean=w.mean,
        teams=tuple(teams[k] for k in sorted(teams)),
        coverage=coverage,
        confidence=confidence,
    )
