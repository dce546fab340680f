"""What the round dashboard shows: counts per team, live aggregates and the assessment.

Aggregates come from :func:`mlorg.survey.scoring.score`, so the privacy floor applies exactly as
it does on the command line; the assessment is the ordinary engine run with the round's answers.
The round's answers and spec come from the process's round cache (:mod:`mlorg.web.rounds`), which
reads only answers new since the last view; what is derived from them is computed once per state
of the answers. The round's own row (title, closed) and the link counts are read on every view.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from mlorg.analyses.culture import typology_of
from mlorg.engine import assess
from mlorg.survey.catalog import instrument
from mlorg.web.rounds import Snapshot, cache_for


def dashboard_context(engine: Engine, round_id: str) -> dict[str, Any]:
    snap = cache_for(engine).snapshot(engine, round_id)
    links = snap.link_views()
    return {
        "round": snap.view,
        "links": links,
        "unlinked": sorted({t.id for t in snap.spec.teams} - {link.team_id for link in links}),
        **snap.derived(f"dashboard {' '.join(snap.view.instruments)}", _from_answers),
    }


def _from_answers(snap: Snapshot) -> dict[str, Any]:
    """Everything on the dashboard that depends on the answers (and the spec) only."""
    from mlorg.survey.scoring import score

    thresholds, responses = snap.thresholds, snap.responses
    survey = score(responses, thresholds)
    assessment = assess(snap.spec, survey=survey)  # scored once: the same thresholds as assess's own
    scored = []
    for inst_id in snap.view.instruments:
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
        "total": responses.count,
        "floor": thresholds.privacy_floor,
        "scored": scored,
        "assessment": assessment,
    }
