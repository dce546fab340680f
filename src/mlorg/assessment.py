"""The whole result of assessing a spec: a frozen model with a published JSON Schema.

The keys listed in DESIGN §6 are a contract; ``SCHEMA_VERSION`` changes when one is renamed.
"""

from __future__ import annotations

from pydantic import Field

from mlorg.analyses.archetype import ArchetypeResult
from mlorg.analyses.change_plan import ChangePlanResult
from mlorg.analyses.collaboration import CollaborationResult
from mlorg.analyses.culture import CultureResult
from mlorg.analyses.data_readiness import DataReadinessResult
from mlorg.analyses.maturity import MaturityResult
from mlorg.analyses.model_ops import ModelOpsResult
from mlorg.analyses.portfolio import PortfolioResult
from mlorg.analyses.roles import Hire, RolesResult
from mlorg.analyses.star_model import StarModelResult
from mlorg.analyses.structure import StructureResult
from mlorg.results import Finding, OpenQuestion, Result

SCHEMA_VERSION = "1.0"


class OrganizationSummary(Result):
    name: str
    headcount: int
    spec_file: str | None = None
    imports: tuple[str, ...] = Field(default=(), description="Fragment files merged into the spec, in order.")
    import_notes: tuple[str, ...] = Field(
        default=(), description="Conflicts between imported sources, and spec values kept over imported ones."
    )


class Assessment(Result):
    """Everything mlorg concluded about one organization."""

    schema_version: str = SCHEMA_VERSION
    organization: OrganizationSummary
    maturity: MaturityResult
    archetype: ArchetypeResult
    structure: StructureResult
    culture: CultureResult
    star_model: StarModelResult
    roles: RolesResult
    hiring_plan: tuple[Hire, ...]
    portfolio: PortfolioResult
    data_readiness: DataReadinessResult
    model_ops: ModelOpsResult
    change_plan: ChangePlanResult
    collaboration: CollaborationResult | None = Field(
        None, description="Observed collaboration at team level; null without a `collaboration` section."
    )
    findings: tuple[Finding, ...] = Field(description="Sorted by severity, then rule, then subject.")
    open_questions: tuple[OpenQuestion, ...] = Field(
        description="What the spec leaves unanswered, and which rule each answer would settle."
    )
    confidence: float = Field(ge=0, le=1, description="Share of the rules' questions the spec answers.")


def assessment_json_schema() -> dict[str, object]:
    return Assessment.model_json_schema(mode="serialization")
