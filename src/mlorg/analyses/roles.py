"""Role coverage and the hiring plan. STUB: to be completed."""

from __future__ import annotations

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity import MaturityResult
from mlorg.results import Evidence, Result


class Coverage(Result):
    count: int
    status: str
    evidence: tuple[Evidence, ...] = ()


class Hire(Result):
    role: str
    reason: str
    sourcing: tuple[str, ...] = ()
    experienced: bool = False
    source: str = "georgian-maturity"


class RolesResult(Result):
    coverage: dict[str, Coverage] = Field(default_factory=dict)
    hiring_plan: tuple[Hire, ...] = ()


def analyze(ctx: AnalysisContext, maturity: MaturityResult) -> RolesResult:
    return RolesResult()
