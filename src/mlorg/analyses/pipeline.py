"""Run every analysis in dependency order."""

from __future__ import annotations

from dataclasses import dataclass

from mlorg.analyses import (
    archetype,
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


def run_analyses(ctx: AnalysisContext) -> Analyses:
    mat = maturity.analyze(ctx)
    audit = data_readiness.analyze(ctx)
    return Analyses(
        maturity=mat,
        archetype=archetype.analyze(ctx),
        structure=structure.analyze(ctx, mat),
        culture=culture.analyze(ctx),
        star_model=star_model.analyze(ctx),
        roles=roles.analyze(ctx, mat),
        portfolio=portfolio.analyze(ctx, audit),
        data_readiness=audit,
        model_ops=model_ops.analyze(ctx),
    )
