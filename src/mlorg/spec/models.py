"""Pydantic models of the organization spec (version 2; version 1 specs load unchanged).

Every field a leader may leave out is optional and defaults to ``None``: a missing field
means *we were not told*, which analyses treat as an open question, never as "no".
Unknown keys are errors (``extra="forbid"``) so a typo cannot silently drop evidence.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict

from mlorg.spec.source import SourceMap

SPEC_VERSION = 2
#: Every version this mlorg reads; ``mlorg migrate`` rewrites an older spec as :data:`SPEC_VERSION`.
SUPPORTED_VERSIONS = (1, 2)

# Strict scalars: YAML ``true`` is not the number 1, ``1`` or ``"on"`` is not a boolean, ``"5"`` is not a number.
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Float = Annotated[float, Strict()]  # a whole number is still a number

Id = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Text = Annotated[str, Field(max_length=5000)]
Label = Annotated[str, Field(min_length=1, max_length=200)]

MlFocus = Literal["implementation", "research", "both"]
MlAmbition = Literal["none", "experimental", "core", "everywhere"]
Level = Literal["low", "medium", "high"]
TeamKind = Literal[
    "leadership",
    "department",
    "product",
    "ml",
    "data",
    "platform",
    "research",
    "design",
    "it_ops",
    "business",
]
TeamFunction = Literal["research", "business_metrics", "platform", "undefined"]
Role = Literal[
    "executive",
    "business_analyst",
    "product_manager",
    "data_engineer",
    "data_scientist",
    "ml_researcher",
    "ml_engineer",
    "product_engineer",
    "sre",
    "sre_ml",
    "ml_architect",
    "qa_engineer",
    "lead_engineer",
    "lead_product_manager",
    "head_of_data_science",
    "designer",
    "product_marketing",
    "engineering_manager",
    "analyst",
]
MlExperience = Literal["experienced", "learning", "none"]
ModelPurpose = Literal["recommendation", "ranking", "pricing", "promotion", "forecasting", "classification", "other"]
ModelStatus = Literal["idea", "development", "production", "retired"]
Kpi = Literal["business", "model", "none"]
Monitoring = Literal["latency", "quality", "drift", "fairness", "business"]
Freshness = Literal["realtime", "hourly", "daily", "weekly", "monthly", "quarterly"]
#: A time span such as ``15m``, ``6h``, ``30d`` or ``12w`` (minutes, hours, days, weeks).
Duration = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,5}(m|h|d|w)$", max_length=7)]
#: How to read a list: ``complete`` (the full account) or ``partial`` (a sample of what exists).
ListReading = Literal["complete", "partial"]
Transformation = Literal["raw", "windowed_aggregate", "lifetime_aggregate", "join", "model_output"]
Sensitivity = Literal["none", "quasi_identifier", "personal", "sensitive"]
InitiativeStatus = Literal["proposed", "in_progress", "shipped", "dropped"]
Criticality = Literal["low", "medium", "high", "critical"]
ForumKind = Literal["integration_point", "community_of_practice", "leadership_review", "training"]
Methodology = Literal["none", "kanban", "scrum", "other"]
#: How two people were seen working together.
Channel = Literal["code", "review", "chat", "meeting", "email", "call", "other"]
Tooling = Literal[
    "experiment_tracking",
    "model_registry",
    "feature_store",
    "data_catalog",
    "pipeline_orchestration",
    "model_monitoring",
    "notebook_repository",
    "metadata_orchestration",
    "unified_training_infra",
]
Recognition = Literal[
    "delivery", "business_impact", "reliability", "fairness", "robustness", "ml_learning", "knowledge_sharing"
]
StarPoint = Literal["strategy", "structure", "processes", "rewards", "people"]
Severity = Literal["info", "low", "medium", "high", "critical"]
Score = Annotated[Int, Field(ge=1, le=5)]


class SpecModel(BaseModel):
    """Base of every spec section: immutable, and strict about unknown keys."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())


class Provenance(SpecModel):
    """Where an item came from, for imported items (``mlorg import``) and for evidence."""

    system: Label = Field(description="The system it was read from (hris, backstage, mlflow, feast, ...).")
    location: Text | None = Field(None, description="The file or URL it was read from.")
    record: Text | None = Field(None, description="The record's own id in that system.")


class BusinessConstraint(SpecModel):
    """A business constraint scoped to the models it governs."""

    name: Label = Field(description="The constraint (e.g. inventory, margin).")
    models: tuple[Id, ...] | None = Field(None, description="Ids of the models it governs.")
    purposes: tuple[ModelPurpose, ...] | None = Field(
        None, description="Model purposes it governs (e.g. recommendation, pricing)."
    )


class OrganizationInfo(SpecModel):
    """Who the organization is."""

    name: Label = Field(description="The organization's name, shown in every report.")
    industry: Text | None = Field(None, description="What the organization does, in a few words.")
    headcount: Int | None = Field(
        None, ge=1, le=10_000_000, description="Total number of staff; used to size the organization."
    )
    ml_focus: MlFocus | None = Field(
        None, description="Whether ML work is mostly putting ML into products, research, or both."
    )
    regulated_personal_data: Bool | None = Field(
        None,
        description="Is data about people (customers, patients, staff) regulated where the organization works "
        "(privacy, health or banking law)?",
    )


class Strategy(SpecModel):
    """What the organization wants from ML, and whether it wrote that down."""

    statement: Text | None = Field(None, description="The strategy in one or two sentences.")
    ml_ambition: MlAmbition | None = Field(None, description="How central ML is meant to be.")
    written: Bool | None = Field(None, description="Is the ML strategy, with its goals, written down?")
    goals: tuple[Text, ...] | None = Field(None, description="What ML should achieve.")
    assumptions: tuple[Text, ...] | None = Field(
        None, description="What the organization assumes ML can do for it, written out."
    )
    leadership_ml_literacy: Level | None = Field(
        None, description="How well the leadership team understands how ML works and fails."
    )
    ml_leader_in_leadership: Bool | None = Field(None, description="Does someone speak for ML in the leadership team?")
    business_constraints: tuple[Label | BusinessConstraint, ...] | None = Field(
        None,
        description="Constraints demand-shaping models must respect (e.g. inventory, margin): a name governs "
        "every such model; `{name, models, purposes}` only the models it names.",
    )
    opportunity_list: Bool | None = Field(
        None,
        description="Is there a prioritised list of ML opportunities? Listed initiatives count as one.",
    )


class Team(SpecModel):
    """A team, department or unit, placed in the hierarchy by ``parent``."""

    id: Id = Field(description="Unique team id, used by every reference to this team.")
    name: Label | None = Field(None, description="Display name.")
    kind: TeamKind = Field(description="What sort of team this is.")
    parent: Id | None = Field(None, description="Id of the team this one sits under; left out, it sits at the top.")
    headcount: Int | None = Field(None, ge=0, le=10_000_000, description="People in the team, named or not.")
    staffing: dict[Role, Annotated[Int, Field(ge=0, le=1_000_000)]] | None = Field(
        None,
        description="Counts of staff by role who are not listed under `people` (for large organizations).",
    )
    experienced_ml: Int | None = Field(
        None, ge=0, le=1_000_000, description="Of the unlisted staff, how many are experienced in ML."
    )
    function: TeamFunction | None = Field(
        None, description="For ML teams: what the team is for (research, business metrics, platform)."
    )
    tools: dict[Label, Label] | None = Field(
        None, description="Tooling function mapped to the product this team uses for it."
    )
    own_engineering: Bool | None = Field(
        None, description="For ML teams: does the team have its own software and product capability?"
    )
    experimentation_budget: Bool | None = Field(
        None, description="For ML teams: does the team have its own budget for experiments?"
    )
    people_list: ListReading | None = Field(
        None,
        description="Are the people listed in this team all of its people (`complete`), or a sample (`partial`)?",
    )
    provenance: Provenance | None = Field(None, description="Where this team was imported from.")


class Person(SpecModel):
    """A named person. Large organizations may list only key people and use team ``staffing``."""

    id: Id = Field(description="Unique person id.")
    name: Label | None = Field(None, description="Display name.")
    team: Id = Field(description="Id of the team this person sits in day to day.")
    roles: tuple[Role, ...] = Field(default=(), description="Roles this person holds; several are allowed.")
    ml_experience: MlExperience | None = Field(None, description="Experience with ML work.")
    reports_to: Id | None = Field(None, description="Id of this person's line manager.")
    leads_ml: Bool | None = Field(
        None, description="Does this person lead ML work (for the organization or for their unit)?"
    )
    provenance: Provenance | None = Field(None, description="Where this person was imported from.")


class Model(SpecModel):
    """An ML model the organization builds or runs."""

    id: Id = Field(description="Unique model id.")
    name: Label | None = Field(None, description="Display name.")
    purpose: ModelPurpose | None = Field(None, description="What the model does.")
    status: ModelStatus | None = Field(None, description="Lifecycle status.")
    built_by: Id | None = Field(None, description="Id of the team that built it.")
    operated_by: Id | None = Field(None, description="Id of the team that runs it in production.")
    owner: Id | None = Field(None, description="Id of the person accountable for the model.")
    kpi: Kpi | None = Field(None, description="Whether it is judged on business KPIs or model metrics.")
    monitoring: tuple[Monitoring, ...] | None = Field(None, description="What is monitored in production.")
    escalation: Id | None = Field(None, description="Id of the team or person a drift or quality problem escalates to.")
    features: tuple[Id, ...] | None = Field(
        None, description="Ids of the features the model uses; left out means not known, `[]` means none."
    )
    provenance: Provenance | None = Field(None, description="Where this model was imported from.")


class Feature(SpecModel):
    """A model input, with where it comes from and how it is computed."""

    id: Id = Field(description="Unique feature id.")
    description: Text | None = Field(None, description="What the feature is.")
    owner: Id | None = Field(None, description="Id of the team that produces the data.")
    in_production: Bool | None = Field(None, description="Is it available where the model serves?")
    freshness: Freshness | None = Field(None, description="How fresh the data is when it is served.")
    needed_freshness: Freshness | None = Field(None, description="How fresh the model needs it.")
    transformation: Transformation | None = Field(None, description="How the feature is computed.")
    window: Duration | None = Field(None, description="Window of a windowed aggregate, e.g. `6h`, `30d`, `12w`.")
    window_days: Int | None = Field(
        None, ge=1, le=36_500, description="Window in days (version 1; `mlorg migrate` rewrites it as `window`)."
    )
    sensitivity: Sensitivity | None = Field(None, description="Privacy class of the data.")
    represents: tuple[Label, ...] | None = Field(
        None, description="Business constraints the feature encodes (e.g. inventory); left out, it encodes none."
    )
    provenance: Provenance | None = Field(None, description="Where this feature was imported from.")


class Initiative(SpecModel):
    """A proposed or running ML project."""

    id: Id = Field(description="Unique initiative id.")
    title: Label | None = Field(None, description="What the initiative does.")
    team: Id | None = Field(None, description="Id of the team that would carry it out.")
    status: InitiativeStatus | None = Field(None, description="Where the initiative stands.")
    first_project: Bool | None = Field(None, description="Is this the organization's first ML project, already chosen?")
    metric: Text | None = Field(None, description="The metric that will tell whether it worked.")
    value: Score | None = Field(None, description="Expected value, 1 (little) to 5 (large).")
    cost: Score | None = Field(None, description="Expected cost, 1 (cheap) to 5 (expensive).")
    criticality: Criticality | None = Field(None, description="How much revenue rides on the surface it changes.")
    additive: Bool | None = Field(None, description="Does it add ML where nothing runs today?")
    greenfield: Bool | None = Field(None, description="Is it new ground rather than an existing system?")
    weeks: Int | None = Field(None, ge=1, le=1000, description="Expected weeks to first results.")
    success_likelihood: Level | None = Field(None, description="Chance of success.")
    use_cases: Int | None = Field(None, ge=1, le=1000, description="How many use cases it covers.")
    departments: tuple[Id, ...] | None = Field(None, description="Ids of the teams it involves.")
    data_ready: Bool | None = Field(None, description="Is the data it needs available today?")
    models: tuple[Id, ...] | None = Field(None, description="Ids of the models it produces or changes.")


class Forum(SpecModel):
    """A recurring venue where teams meet."""

    id: Id = Field(description="Unique forum id.")
    name: Label | None = Field(None, description="Display name.")
    kind: ForumKind = Field(
        description="What the forum is for: ML and the business steering together (`integration_point`), ML "
        "people of several teams sharing practice (`community_of_practice`), leaders reviewing the work "
        "(`leadership_review`; one that a team doing ML and a product or business team attend also counts as "
        "the integration point), or teaching (`training`)."
    )
    cadence_days: Int | None = Field(None, ge=1, le=3650, description="Days between meetings.")
    teams: tuple[Id, ...] = Field(default=(), description="Ids of the teams that take part.")
    provenance: Provenance | None = Field(None, description="Where this forum was imported from.")


class Tie(SpecModel):
    """Two people seen working together: changing the same files, talking in a channel, meeting."""

    a: Id = Field(description="Id of one person (a `people` id; imports use the same keyed pseudonyms).")
    b: Id = Field(description="Id of the other person.")
    weight: Float = Field(
        1.0, gt=0, le=1e9, description="How much they work together (shared changes, messages, meeting hours)."
    )
    channel: Channel | None = Field(None, description="How they were seen working together.")
    provenance: Provenance | None = Field(None, description="Where this tie was imported from.")


class Review(SpecModel):
    """A person changed code a CODEOWNERS team owns, so that team reviewed it (`mlorg import git-review`).

    When the author belongs to another team, the two teams review each other's code: a team-level
    tie, counted by changes. Changes to the author's own team's code are not ties.
    """

    author: Id = Field(description="Id of the person who made the changes (the same keyed pseudonyms as `people`).")
    team: Id = Field(description="Id of the team that owns the changed code in CODEOWNERS.")
    changes: Int = Field(1, ge=1, le=1_000_000_000, description="Commits by the author to code the team owns.")
    provenance: Provenance | None = Field(None, description="Where this was imported from.")


class Collaboration(SpecModel):
    """Who actually works with whom, observed in git history, chat or meeting exports (`mlorg import`).

    Ties whose people are not in `people` still count toward the organization-wide measures that
    need no team (they are reported as unplaced); team measures use the people the spec places.
    Declared forums are compared with these ties: a forum whose teams never work together here no
    longer counts as a mitigation.
    """

    ties: tuple[Tie, ...] = Field(default=(), description="Observed ties between people.")
    reviews: tuple[Review, ...] = Field(
        default=(), description="Changes to code a CODEOWNERS team owns, by author: review ties between teams."
    )
    period: Label | None = Field(None, description="The period the observations cover (e.g. `2026-Q3`).")


class Practices(SpecModel):
    """How ML work is run."""

    methodology: Methodology | None = Field(None, description="Delivery methodology.")
    tooling: tuple[Tooling, ...] | None = Field(None, description="ML tooling in place.")
    data_audit_done: Bool | None = Field(None, description="Has a data audit against the opportunities been done?")
    ml_training_for_staff: Bool | None = Field(
        None, description="Is there ML training for leaders and staff outside ML?"
    )
    prioritization_process: Bool | None = Field(
        None, description="Is there a transparent process for prioritising ML work?"
    )
    idea_intake: Bool | None = Field(None, description="Do teams know where to bring a new ML idea or ask for ML help?")
    experimentation_budget: Bool | None = Field(
        None, description="Do ML teams have a budget for experiments that plans allow for?"
    )
    repeatable_process: Bool | None = Field(
        None, description="Is there a repeatable process for taking a model to production?"
    )


class Rewards(SpecModel):
    """What the organization recognises in reviews and promotions."""

    recognizes: tuple[Recognition, ...] | None = Field(None, description="Behaviours that are rewarded.")


class WestrumTeam(SpecModel):
    """Westrum culture score of one team."""

    mean: Float = Field(ge=1, le=7, description="Mean agreement, 1 to 7.")
    respondents: Int = Field(ge=0, le=10_000_000, description="How many people answered.")


class Westrum(SpecModel):
    """Westrum culture survey result, as a mean on the 1-7 agreement scale."""

    mean: Float = Field(ge=1, le=7, description="Organization mean agreement, 1 to 7.")
    respondents: Int | None = Field(None, ge=0, le=10_000_000, description="How many people answered.")
    teams: dict[Id, WestrumTeam] | None = Field(None, description="Per-team results, keyed by team id.")


class Culture(SpecModel):
    """What is known about the organization's culture."""

    westrum: Westrum | None = Field(None, description="Summary of a Westrum culture survey.")
    survey: Label | None = Field(
        None,
        description="Path to a CSV of survey responses, relative to the spec file; it must stay in the spec's "
        "folder unless `--allow-outside` allows another.",
    )


class Change(SpecModel):
    """The change the organization has under way."""

    announced: Bool | None = Field(None, description="Has the change been announced?")
    dimensions: tuple[StarPoint, ...] | None = Field(None, description="Star Model points the change plan touches.")
    communication_cadence_days: Int | None = Field(
        None, ge=1, le=3650, description="Days between progress updates; null if none are planned."
    )
    timescale_weeks: Int | None = Field(None, ge=1, le=1000, description="Announced timescale.")
    success_criteria: tuple[Text, ...] | None = Field(None, description="How success will be judged.")


class Lists(SpecModel):
    """How to read each list, where the default reading (see `docs/analyses.md`) is not what you meant.

    By default the ML staff named are all the ML staff; other people are a sample unless a team's
    `people_list` is complete; models and features are as listed; forums, tooling and rewards are
    the full account once given.
    """

    people: ListReading | None = Field(None, description="Are the ML staff named all of the ML staff?")
    models: ListReading | None = Field(None, description="Are the models listed all of the models?")
    features: ListReading | None = Field(None, description="Are the features listed all of the features?")
    initiatives: ListReading | None = Field(None, description="Are the initiatives listed all of them?")
    forums: ListReading | None = Field(None, description="Are the forums listed all of the forums?")
    tooling: ListReading | None = Field(None, description="Is `practices.tooling` all of the ML tooling?")
    rewards: ListReading | None = Field(None, description="Is `rewards.recognizes` all that is rewarded?")


class ModelCounts(SpecModel):
    """How many models there are by status, named or not."""

    idea: Int | None = Field(None, ge=0, le=10_000_000, description="Models at the idea stage.")
    development: Int | None = Field(None, ge=0, le=10_000_000, description="Models in development.")
    production: Int | None = Field(None, ge=0, le=10_000_000, description="Models in production.")
    retired: Int | None = Field(None, ge=0, le=10_000_000, description="Retired models.")


class Counts(SpecModel):
    """Totals that stand beside the named items (\"about 150 models in production\")."""

    models: ModelCounts | None = Field(None, description="Models by status, including those not listed.")
    features: Int | None = Field(None, ge=0, le=100_000_000, description="Features in all, listed or not.")


class Suppression(SpecModel):
    """An exemption: silence one rule, everywhere or for one subject, for a stated reason and time."""

    rule: Label = Field(description="Rule slug.")
    subject: Label | None = Field(None, description="Subject such as `model:fraud-score`; all if omitted.")
    reason: Text | None = Field(
        None, description="Why the finding is accepted; SARIF carries it as the suppression's justification."
    )
    until: dt.date | None = Field(
        None,
        description="Last day the exemption holds (YYYY-MM-DD); after it the finding is back, with an "
        "`expired-exemption` finding saying so.",
    )


class SpecSettings(SpecModel):
    """Per-spec settings: suppressions, severity overrides and thresholds."""

    ignore: tuple[Label | Suppression, ...] = Field(
        default=(), description="Rules to silence: a slug, or `{rule, subject, reason, until}`."
    )
    severity: dict[Label, Severity] = Field(default_factory=dict, description="Rule slug to severity.")
    thresholds: dict[Label, float | int | bool | str] = Field(
        default_factory=dict, description="Analysis thresholds to override; see `docs/settings.md`."
    )


class Organization(SpecModel):
    """The whole spec: one organization and how it does ML."""

    # Not part of the spec (kept out of the schema and the docs): the loader attaches where the spec
    # came from (`_source` for line numbers, `_base_dir` for paths such as `culture.survey`, `_allow_outside` for
    # the folders the command line allows such paths to leave the spec's folder for), and
    # `_index` caches the SpecIndex so the engine and the renderers build it once.
    _source: SourceMap | None = PrivateAttr(None)
    _base_dir: Path | None = PrivateAttr(None)
    _allow_outside: tuple[str, ...] = PrivateAttr(())
    _index: Any = PrivateAttr(None)
    # section -> (that section's items, id -> position): the loader's reference check built these
    # positions from the same list; the index uses them only while the section is still that very object.
    _positions: dict[str, tuple[tuple[Any, ...], dict[str, int]]] | None = PrivateAttr(None)
    # What merging fragments added (`mlorg.spec.merge.Merged`): notes, and fields the spec wrote itself.
    _imports: Any = PrivateAttr(None)

    version: Literal[1, 2] = Field(description="Spec format version (2; 1 still loads).")
    organization: OrganizationInfo
    strategy: Strategy = Field(default_factory=Strategy)
    teams: tuple[Team, ...] = Field(default=())
    people: tuple[Person, ...] = Field(default=())
    models: tuple[Model, ...] = Field(default=())
    features: tuple[Feature, ...] = Field(default=())
    initiatives: tuple[Initiative, ...] = Field(default=())
    forums: tuple[Forum, ...] = Field(default=())
    collaboration: Collaboration | None = Field(None, description="Observed collaboration between people.")
    practices: Practices = Field(default_factory=Practices)
    rewards: Rewards = Field(default_factory=Rewards)
    culture: Culture = Field(default_factory=Culture)
    change: Change = Field(default_factory=Change)
    lists: Lists = Field(default_factory=Lists)
    counts: Counts = Field(default_factory=Counts)
    settings: SpecSettings = Field(default_factory=SpecSettings)
    imports: tuple[Label, ...] = Field(
        default=(),
        description="Fragment files written by `mlorg import`, relative to this spec's folder, merged in before "
        "the assessment; values written in this spec win (see `docs/import.md`).",
    )
