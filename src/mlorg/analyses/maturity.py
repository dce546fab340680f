"""Maturity stage (georgian-maturity): a gated ladder of five stages. STUB: to be completed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Evidence, Result

Stage = Literal["getting_started", "exploring", "building", "scaling", "advanced"]


class MaturityResult(Result):
    stage: Stage
    evidence: tuple[Evidence, ...] = ()
    next_stage: Stage | None = None
    missing: tuple[str, ...] = Field(default=(), description="Checklist still missing for the next stage.")
    confidence: float = 1.0


def analyze(ctx: AnalysisContext) -> MaturityResult:
    return MaturityResult(stage="getting_started", next_stage="exploring")
