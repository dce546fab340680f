"""The frameworks of the reference texts, as package data.

Stages, archetypes, roles, structures, Star Model criteria and culture bands live in YAML files
next to this module, so their content can change without touching code. Every entry names the
source label (DESIGN §1) it restates; validation refuses an entry without a known one. Loading is
cached: each file is parsed once per process.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

from mlorg.spec.models import MlAmbition, Role, StarPoint

SourceLabel = Literal["rml-ch13", "fsdl-teams", "hasty-structures", "tecton-embedded", "georgian-maturity"]
SOURCE_LABELS: tuple[str, ...] = get_args(SourceLabel)

StageId = Literal["getting_started", "exploring", "building", "scaling", "advanced"]
STAGE_ORDER: tuple[StageId, ...] = get_args(StageId)
StructureId = Literal["none", "centralized", "decentralized", "hybrid"]
ArchetypeId = Literal[
    "nascent_ad_hoc", "research_and_development", "product_embedded", "independent_ml_division", "ml_first"
]
SizeBand = Literal["small", "mid", "enterprise"]
Focus = Literal["implementation", "research", "both"]


class Entry(BaseModel):
    """One piece of knowledge; ``source`` says which reference text it restates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: SourceLabel


# --- stages ---------------------------------------------------------------------------------


class Check(Entry):
    """Something the spec can prove or disprove; ``id`` names the code that evaluates it."""

    id: str
    text: str
    group: str | None = Field(
        None, description="Checks sharing a group are read as one gate item (tooling is judged as a whole)."
    )
    defining: bool = Field(
        False, description="What an organization at this stage is doing; met, it supports the stage on its own."
    )


class Stage(Entry):
    id: StageId
    name: str
    summary: str
    entry: tuple[Check, ...] = Field(description="Checks that prove the stage has been reached.")
    checklist: tuple[Check, ...] = Field(description="Work the stage asks for before moving on.")


class Stages(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stages: tuple[Stage, ...]


# --- archetypes -----------------------------------------------------------------------------


class Archetype(Entry):
    id: ArchetypeId
    name: str
    description: str
    strengths: tuple[str, ...]
    challenges: tuple[str, ...]


class DimensionInfo(Entry):
    id: Literal["engineering_vs_research", "data_ownership", "model_ownership"]
    name: str
    question: str
    high: str
    middle: str
    low: str


class Archetypes(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    archetypes: tuple[Archetype, ...]
    dimensions: tuple[DimensionInfo, ...]


# --- roles ----------------------------------------------------------------------------------


class RoleFunction(Entry):
    id: str
    name: str
    roles: tuple[Role, ...]
    small_org_stand_ins: tuple[Role, ...] = ()
    small_org_note: str = "covered by someone in another role, as small organizations do"
    partial_roles: tuple[Role, ...] = ()
    needs_ml_experience: bool = False
    description: str


class SourcingRoute(Entry):
    id: str
    text: str


class Partition(Entry):
    experienced_role: str
    learning_role: str


class HireStep(Entry):
    id: str
    stage: StageId | Literal["any"]
    role: Role
    experienced: bool
    reason: str
    sourcing: tuple[str, ...]


class RoleInfo(Entry):
    """One role a spec may give a person, with the name reports show."""

    id: Role
    name: str
    description: str


class Roles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    functions: tuple[RoleFunction, ...]
    sourcing: tuple[SourcingRoute, ...]
    partition: Partition
    hires: tuple[HireStep, ...]
    catalogue: tuple[RoleInfo, ...]

    def route(self, route_id: str) -> SourcingRoute:
        return next(r for r in self.sourcing if r.id == route_id)

    def name(self, role: str) -> str:
        """The display name of a role id (the id itself for one the catalogue does not hold)."""
        return next((r.name for r in self.catalogue if r.id == role), role)


# --- structures -----------------------------------------------------------------------------


class Strength(Entry):
    text: str


class WeakPoint(Entry):
    id: str
    text: str
    mitigations: tuple[str, ...]


class StructureInfo(Entry):
    id: StructureId
    name: str
    description: str
    strengths: tuple[Strength, ...]
    weak_points: tuple[WeakPoint, ...]


class MitigationInfo(Entry):
    id: str
    text: str


class Recommendation(Entry):
    size: tuple[SizeBand, ...] | None = None
    focus: tuple[Focus, ...] | None = None
    stages: tuple[StageId, ...] | None = None
    structure: StructureId
    reason: str

    def matches(self, size: SizeBand, focus: Focus, stage: StageId) -> bool:
        return (
            (self.size is None or size in self.size)
            and (self.focus is None or focus in self.focus)
            and (self.stages is None or stage in self.stages)
        )


class EarlyPath(Entry):
    """How the stage shapes the path while the first ML people arrive; ``reasoning`` is mlorg's own."""

    text: str
    reasoning: str


class Structures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    structures: tuple[StructureInfo, ...]
    mitigations: tuple[MitigationInfo, ...]
    recommendations: tuple[Recommendation, ...]
    early_path: EarlyPath

    def structure(self, structure_id: str) -> StructureInfo:
        return next(s for s in self.structures if s.id == structure_id)


# --- Star Model -----------------------------------------------------------------------------


class Criterion(Entry):
    id: str
    from_: MlAmbition = Field(alias="from")
    text: str


class StarPointInfo(Entry):
    id: StarPoint
    description: str
    lagging: str
    criteria: tuple[Criterion, ...]


class StarModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    points: tuple[StarPointInfo, ...]

    def point(self, point_id: str) -> StarPointInfo:
        return next(p for p in self.points if p.id == point_id)


# --- culture --------------------------------------------------------------------------------


class CultureBand(Entry):
    id: Literal["power_oriented", "rule_oriented", "performance_oriented"]
    name: str
    lower_setting: str | None = None
    upper_setting: str | None = None
    description: str
    ml_implication: str


class Culture(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    assumption: str
    bands: tuple[CultureBand, ...]


# --- loading --------------------------------------------------------------------------------

FILES = ("stages", "archetypes", "roles", "structures", "star_model", "culture")


@cache
def raw(name: str) -> Any:
    """The parsed YAML of one knowledge file (``name`` without ``.yaml``)."""
    if name not in FILES:
        raise KeyError(name)
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=SafeLoader)


@cache
def stages() -> Stages:
    return Stages.model_validate(raw("stages"))


@cache
def archetypes() -> Archetypes:
    return Archetypes.model_validate(raw("archetypes"))


@cache
def roles() -> Roles:
    return Roles.model_validate(raw("roles"))


@cache
def structures() -> Structures:
    return Structures.model_validate(raw("structures"))


@cache
def star_model() -> StarModel:
    return StarModel.model_validate(raw("star_model"))


@cache
def culture() -> Culture:
    return Culture.model_validate(raw("culture"))


def load_all() -> dict[str, BaseModel]:
    """Every knowledge file, validated (used by tests and docs)."""
    return {
        "stages": stages(),
        "archetypes": archetypes(),
        "roles": roles(),
        "structures": structures(),
        "star_model": star_model(),
        "culture": culture(),
    }
