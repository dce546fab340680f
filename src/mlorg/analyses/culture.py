"""Culture from the Westrum measure. STUB: to be completed."""

from __future__ import annotations

from typing import Literal

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Evidence, Result
from mlorg.settings import Thresholds

Typology = Literal["power_oriented", "rule_oriented", "performance_oriented"]


def typology_of(mean: float, thresholds: Thresholds) -> Typology:
    """Band a 1-7 Westrum mean (bands are this tool's assumption, configurable)."""
    if mean < thresholds.culture_power_below:
        return "power_oriented"
    if mean < thresholds.culture_performance_from:
        return "rule_oriented"
    return "performance_oriented"


class CultureResult(Result):
    typology: Typology | None = None
    mean: float | None = None
    respondents: int | None = None
    evidence: tuple[Evidence, ...] = ()


def analyze(ctx: AnalysisContext) -> CultureResult:
    w = ctx.spec.culture.westrum
    if w is None:
        return CultureResult()
    return CultureResult(typology=typology_of(w.mean, ctx.thresholds), mean=w.mean, respondents=w.respondents)
