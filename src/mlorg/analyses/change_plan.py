"""The sequenced change plan (rml-ch13). STUB: to be completed."""

from __future__ import annotations

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.star_model import StarModelResult
from mlorg.results import Finding, Result


class Step(Result):
    order: int
    point: str
    change: str


class ChangePlanResult(Result):
    steps: tuple[Step, ...] = ()


def analyze(ctx: AnalysisContext, star: StarModelResult, findings: tuple[Finding, ...]) -> ChangePlanResult:
    return ChangePlanResult()
