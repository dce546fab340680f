"""Current and recommended team structure. STUB: to be completed."""

from __future__ import annotations

from typing import Literal

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity import MaturityResult
from mlorg.results import Evidence, Result

StructureId = Literal["none", "centralized", "decentralized", "hybrid"]


class Mitigation(Result):
    id: str
    text: str
    in_place: bool | None = None
    evidence: tuple[Evidence, ...] = ()


class StructureResult(Result):
    current: StructureId
    recommended: StructureId
    rationale: tuple[str, ...] = ()
    weak_points: tuple[str, ...] = ()
    mitigations: tuple[Mitigation, ...] = ()
    evidence: tuple[Evidence, ...] = ()


def analyze(ctx: AnalysisContext, maturity: MaturityResult) -> StructureResult:
    return StructureResult(current="none", recommended="decentralized")
