"""What the round dashboard shows: counts per team, live aggregates and the assessment.

Aggregates come from :func:`mlorg.survey.scoring.score`, so the privacy floor applies exactly as
it does on the command line; the assessment is the ordinary engine run with the round's answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy import Engine

from mlorg.analyses.culture import typology_of
from mlorg.engine import assess, effective_settings
from mlorg.survey.catalog import instrument
from mlorg.web import store


def rounded(value: float | None, digits: int) -> float | None:
    """Figures as a reader takes them in: a mean to one decimal (5.3, not 5.333333)."""
    return None if value is None else round(value, digits)


def dashboard_context(engine: Engine, round_id: str) -> dict[str, Any]:
    view = store.get_round(engine, round_id)
    spec = store.parse_spec(view.spec_text, view.spec_label)
    thresholds = effective_settings(spec, None).thresholds
    responses = store.round_responses(engine, round_id)
    assessment = assess(spec, survey=responses)
    from mlorg.survey.scoring import score

    survey = score(responses, thresholds)
    names = {t.id: t.name or t.id for t in spec.teams}
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
                        "team": names.get(t.group, t.group),
                        "n": t.respondents,
                        "mean": rounded(t.mean, 1),
                        "spread": rounded(t.spread, 1),
                        "band": band,
                        "divergent": t.divergent,
                    }
                )
        scored.append({"instrument": inst, "result": result, "teams": teams})
    return {
        "round": view,
        "links": store.links(engine, round_id),
        "team_names": {t.id: t.name or t.id for t in spec.teams},
        "total": responses.count,
        "floor": thresholds.privacy_floor,
        "scored": scored,
        "assessment": assessment,
        "charts": report_charts(assessment, spec, thresholds),
    }


_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


@dataclass(frozen=True)
class DashboardChart:
    """A report chart for the dashboard: its SVG without the style element, which the app's content
    security policy (``style-src 'self'``) would block inline; the styles are served as a stylesheet."""

    title: str
    caption: str
    svg: Markup
    css: str


def report_charts(assessment: Any, spec: Any, thresholds: Any) -> list[DashboardChart]:
    """The report's own culture and Star Model charts (inline SVG, no script), built by the same code."""
    from mlorg.render.report_view import Context, Figure, culture, star_model

    ctx = Context(assessment, spec, thresholds)
    out = []
    for section in (culture(ctx), star_model(ctx)):
        for block in section.blocks:
            if not isinstance(block, Figure):
                continue
            svg = block.chart.svg
            if not svg.startswith("<svg ") or "<script" in svg.lower():  # only finished charts, never markup
                continue
            css = "\n".join(_STYLE.findall(svg))
            out.append(DashboardChart(block.chart.title, block.caption, Markup(_STYLE.sub("", svg)), css))
    return out


def charts_css(engine: Engine, round_id: str) -> str:
    """The stylesheet of a round's dashboard charts (each chart's rules are scoped to its own id)."""
    return "\n".join(c.css for c in dashboard_context(engine, round_id)["charts"]) + "\n"
