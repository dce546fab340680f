"""Star Model alignment (rml-ch13, after Galbraith). STUB: to be completed."""

from __future__ import annotations

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Evidence, Result


class StarPointScore(Result):
    score: int
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()


class Misalignment(Result):
    points: tuple[str, str]
    gap: int
    message: str


class StarModelResult(Result):
    strategy: StarPointScore
    structure: StarPointScore
    processes: StarPointScore
    rewards: StarPointScore
    people: StarPointScore
    misalignments: tuple[Misalignment, ...] = ()


def analyze(ctx: AnalysisContext) -> StarModelResult:
    p = StarPointScore(score=3)
    return StarModelResult(strategy=p, structure=p, processes=p, rewards=p, people=p)
