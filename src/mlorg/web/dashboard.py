"""What the round dashboard shows: counts per team, live aggregates and the assessment.

Aggregates come from :func:`mlorg.survey.scoring.score`, so the privacy floor applies exactly as
it does on the command line; the assessment is the ordinary engine run with the round's answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from mlorg.analyses.culture import typology_of
from mlorg.engine import assess, effective_settings
from mlorg.survey.catalog import instrument
from mlorg.web import store


def dashboard_context(engine: Engine, round_id: str) -> dict[str, Any]:
    view = store.get_round(engine, round_id)
    spec = store.stored_spec(view.spec_text, view.spec_label)
    thresholds = effective_settings(spec, None).thresholds
    responses = store.round_responses(engine, round_id)
    links = store.links(engine, round_id)
    assessment = assess(spec, survey=responses)
    from mlorg.survey.scoring import score

    survey = score(responses, thresholds)
    scored = []
    for inst_id in view.instruments:
        inst = instrument(inst_id)
        result = survey.instrument(inst_id)
        if inst is None:
            continue
        teams = []
        if result is not None:
            for t in result.teams:
                band = typology_of(t.mean, thresholds).replace("_", "-") if inst_id == "westrum" else None
                teams.append(
                    {
                        "team": t.group,
                        "n": t.respondents,
                        "mean": t.mean,
                        "spread": t.spread,
                        "band": band,
                        "divergent": t.divergent,
                    }
                )
        scored.append({"instrument": inst, "result": result, "teams": teams})
    return {
        "round": view,
        "links": links,
        "unlinked": sorted({t.id for t in spec.teams} - {link.team_id for link in links}),
        "total": responses.count,
        "floor": thresholds.privacy_floor,
        "scored": scored,
        "assessment": assessment,
    }
