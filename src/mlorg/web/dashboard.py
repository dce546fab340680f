"""What the round dashboard shows: counts per team, live aggregates, the report's charts and the assessment.

Aggregates come from :func:`mlorg.survey.scoring.score`, so the privacy floor applies exactly as
it does on the command line; the assessment is the ordinary engine run with the round's answers.
The round's answers and spec come from the process's round cache (:mod:`mlorg.web.rounds`), which
reads only answers new since the last view; what is derived from them is computed once per state
of the answers. The round's own row (title, closed) and the link counts are read on every view.
Words come from the report's own helpers (team names from the spec, stages, structures and roles
from the knowledge files), so the dashboard and the report never name a thing differently.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from mlorg.analyses.culture import typology_of
from mlorg.engine import assess
from mlorg.spec.models import Organization
from mlorg.survey.catalog import instrument
from mlorg.web.charts import report_charts
from mlorg.web.rounds import Snapshot, cache_for

#: subjects a finding group lists on the dashboard before it counts the rest
SUBJECTS = 50


def team_names(spec: Organization) -> dict[str, str]:
    """Team id -> the name the spec gives it (the id when it gives none), as the report names teams."""
    return {t.id: t.name or t.id for t in spec.teams}


def role_names() -> dict[str, str]:
    """Role id -> its display name from the knowledge files (``sre_ml`` -> ``SRE for ML or MLOps``)."""
    from mlorg import knowledge
    from mlorg.survey.responses import ROLES

    roles = knowledge.roles()
    return {r: roles.name(r) for r in ROLES}


def construct_name(measure: str) -> str:
    """``star.processes`` -> ``Star Model: processes``, ``maturity.getting_started`` -> ``Stage: getting started``."""
    from mlorg.render.words import human, title

    kind, _, ident = measure.partition(".")
    label = {"star": "Star Model", "maturity": "Stage", "westrum": "Westrum"}.get(kind)
    return f"{label}: {human(ident)}" if label and ident else title(measure.replace(".", "_"))


def mean_text(x: float | None) -> str:
    """A mean as the report's charts print it: one decimal (``5.3``), ``–`` when hidden."""
    return "–" if x is None else f"{x:.1f}"


def alpha_text(x: float | None) -> str:
    return "not yet computable" if x is None else f"{x:.2f}"


def percent(part: int, whole: int | None) -> str:
    """A share in whole percent (``13%``); ``–`` without a whole."""
    return "–" if not whole else f"{round(100 * part / whole)}%"


def dashboard_context(engine: Engine, round_id: str) -> dict[str, Any]:
    snap = cache_for(engine).snapshot(engine, round_id)
    links = snap.link_views()
    names = team_names(snap.spec)
    return {
        "round": snap.view,
        "links": links,
        "team_names": names,
        "rates": {link.team_id: percent(link.answers, link.invitations) for link in links},
        "unlinked": sorted(names[t] for t in {t.id for t in snap.spec.teams} - {link.team_id for link in links}),
        **snap.derived(f"dashboard {' '.join(snap.view.instruments)}", _from_answers),
    }


def _from_answers(snap: Snapshot) -> dict[str, Any]:
    """Everything on the dashboard that depends on the answers (and the spec) only: figures, charts, findings."""
    from mlorg.render.finding_groups import group_findings
    from mlorg.render.report_blocks import Context
    from mlorg.render.report_view import summary
    from mlorg.render.words import human
    from mlorg.survey.scoring import score

    thresholds, responses = snap.thresholds, snap.responses
    survey = score(responses, thresholds)
    assessment = assess(snap.spec, survey=survey)  # scored once: the same thresholds as assess's own
    names = team_names(snap.spec)
    scored = []
    for inst_id in snap.view.instruments:
        inst = instrument(inst_id)
        result = survey.instrument(inst_id)
        if inst is None:
            continue
        teams = []
        if result is not None:
            for t in result.teams:  # only teams the privacy floor (with secondary suppression) lets through
                band = human(typology_of(t.mean, thresholds)) if inst_id == "westrum" else None
                teams.append(
                    {
                        "team_id": t.group,
                        "team": names.get(t.group, t.group),
                        "n": t.respondents,
                        "mean": mean_text(t.mean),
                        "spread": mean_text(t.spread),
                        "band": band,
                        "divergent": t.divergent,
                    }
                )
        constructs = [
            {"name": construct_name(c.measure), "mean": mean_text(c.mean)}
            for c in (result.constructs if result else ())
        ]
        scored.append(
            {
                "instrument": inst,
                "result": result,
                "teams": teams,
                "constructs": constructs,
                "mean": mean_text(result.mean if result else None),
                "spread": None if result is None or result.spread is None else mean_text(result.spread),
                "alpha": alpha_text(result.alpha if result else None),
            }
        )
    ctx = Context(assessment, snap.spec, thresholds)
    findings = group_findings(assessment.findings, range(len(assessment.findings)), ctx.subject_name, SUBJECTS)
    culture = assessment.culture
    return {
        "total": responses.count,
        "floor": thresholds.privacy_floor,
        "scored": scored,
        "assessment": assessment,
        "headline": summary(ctx).headline,
        "culture_mean": None if culture.mean is None else mean_text(culture.mean),
        "culture_source": {"survey": "staff survey", "spec": "spec"}.get(culture.source or "", ""),
        "findings": findings,
        "charts": report_charts(ctx),
    }
