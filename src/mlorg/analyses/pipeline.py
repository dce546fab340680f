"""Run every analysis in dependency order.

collaboration (observed ties) and maturity -> structure (recommendation depends on the stage; the
ties judge its forum mitigations) -> roles (hiring plan depends on the stage) -> star_model (scores
structure fit and people from the two before it). Where ML staff sit is worked out once and shared,
so the organization is walked once rather than per analysis.
"""

from __future__ import annotations

from dataclasses import dataclass

from mlorg.analyses import (
    archetype,
    collaboration,
    culture,
    data_readiness,
    maturity,
    model_ops,
    portfolio,
    roles,
    star_model,
    structure,
)
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.ml_staff import placement


@dataclass(frozen=True)
class Analyses:
    """The organization-level and work-level analyses, before rules run."""

    maturity: maturity.MaturityResult
    archetype: archetype.ArchetypeResult
    structure: structure.StructureResult
    culture: culture.CultureResult
    star_model: star_model.StarModelResult
    roles: roles.RolesResult
    portfolio: portfolio.PortfolioResult
    data_readiness: data_readiness.DataReadinessResult
    model_ops: model_ops.ModelOpsResult
    collaboration: collaboration.CollaborationAnalysis | None = None


def run_analyses(ctx: AnalysisContext) -> Analyses:
    staff = placement(ctx)
    observed = collaboration.analyze(ctx)  # before structure: the ties judge its forum mitigations
    mat = maturity.analyze(ctx, staff)
    struct = structure.analyze(ctx, mat, staff, observed)
    people = roles.analyze(ctx, mat)
    audit = data_readiness.analyze(ctx)
    return Analyses(
        maturity=mat,
        archetype=archetype.analyze(ctx, staff),
        structure=struct,
        culture=culture.analyze(ctx),
        star_model=star_model.analyze(ctx, struct, people, staff),
        roles=people,
        portfolio=portfolio.analyze(ctx, audit),
        data_readiness=audit,
        model_ops=model_ops.analyze(ctx),
        collaboration=observed,
    )
