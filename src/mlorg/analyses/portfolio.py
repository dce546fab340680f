"""Portfolio value/cost matrix and the first (or next) project. STUB: to be completed."""

from __future__ import annotations

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Result


class Ranked(Result):
    initiative: str
    score: float
    quadrant: str
    reasons: tuple[str, ...] = ()


class PortfolioResult(Result):
    first_project: str | None = None
    ranking: tuple[Ranked, ...] = ()


def analyze(ctx: AnalysisContext) -> PortfolioResult:
    return PortfolioResult()
