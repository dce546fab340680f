"""Archetype (fsdl-teams) and the three design dimensions. STUB: to be completed."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Evidence, Result

ArchetypeId = Literal[
    "nascent_ad_hoc", "research_and_development", "product_embedded", "independent_ml_division", "ml_first"
]


class Dimension(Result):
    score: float
    label: str
    evidence: tuple[Evidence, ...] = ()


class ArchetypeResult(Result):
    id: ArchetypeId
    dimensions: dict[str, Dimension] = Field(default_factory=dict)
    rationale: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0


def analyze(ctx: AnalysisContext) -> ArchetypeResult:
    return ArchetypeResult(id="nascent_ad_hoc")
