"""Every threshold an analysis or rule uses: named, defaulted, documented, overridable.

Precedence: the defaults below, then the spec's ``settings`` section, then ``--config FILE``.
``docs/settings.md`` is generated from this module.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from mlorg.spec.models import Freshness, Severity, Suppression


class Thresholds(BaseModel):
    """Numbers the analyses and rules compare the spec against."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    culture_power_below: float = Field(
        3.0,
        ge=1,
        le=7,
        description="Westrum mean below this is read as power-oriented (this tool's assumption).",
    )
    culture_performance_from: float = Field(
        5.0, ge=1, le=7, description="Westrum mean at or above this is read as performance-oriented."
    )
    culture_min_respondents: int = Field(
        5, ge=1, description="Fewer survey respondents than this lowers the stated confidence."
    )
    small_org_headcount: int = Field(
        50, ge=1, description="Organizations up to this headcount count as small (startup-sized)."
    )
    enterprise_headcount: int = Field(
        1000, ge=1, description="Organizations of at least this headcount count as enterprises."
    )
    isolated_hire_max: int = Field(
        1, ge=1, description="A team with this many ML people or fewer, and no ML peers forum, isolates them."
    )
    platform_team_due_ml_teams: int = Field(
        3, ge=1, description="With this many teams doing ML, a platform team for shared tooling is due."
    )
    community_due_ml_teams: int = Field(
        2, ge=1, description="With ML people in this many teams, a community of practice is due."
    )
    experienced_only_min_staff: int = Field(
        4, ge=1, description="ML staff at which hiring only experienced people becomes a finding."
    )
    star_misalignment_gap: int = Field(
        2, ge=1, le=4, description="Star Model points whose scores differ by this much are misaligned."
    )
    first_project_max_weeks: int = Field(
        16, ge=1, description="A first project expected to take longer than this is too ambitious."
    )
    first_project_max_departments: int = Field(
        2, ge=1, description="A first project involving more teams than this is too ambitious."
    )
    privacy_floor: int = Field(
        5, ge=1, description="No output breaks down a group of survey respondents smaller than this."
    )
    portfolio_high_value_from: int = Field(
        3, ge=1, le=5, description="An initiative whose value (1-5) is at least this sits in a high-value quadrant."
    )
    portfolio_high_cost_from: int = Field(
        3, ge=1, le=5, description="An initiative whose cost (1-5) is at least this sits in a high-cost quadrant."
    )
    bounded_window_days: int = Field(
        365, ge=1, description="Window proposed in place of an unbounded lifetime aggregate feature."
    )
    bounded_window_refresh: Freshness = Field(
        "daily", description="How often the proposed bounded-window aggregate is recomputed."
    )
    quasi_identifier_max: int = Field(
        1, ge=1, description="A model combining more quasi-identifier features than this can single out a person."
    )
    business_constraints_coverage: Literal["all", "any"] = Field(
        "all",
        description=(
            "`all`: a demand-shaping model needs a feature for every declared business constraint; "
            "`any`: one covered constraint is enough."
        ),
    )
    star_change_below: int = Field(
        4, ge=1, le=5, description="A Star Model point scoring below this needs a step in the change plan."
    )
    change_step_weeks: int = Field(
        6, ge=1, description="Weeks given to each change-plan step when the spec states no timescale."
    )
    change_communication_days: int = Field(
        14, ge=1, description="Days between progress updates the change plan recommends."
    )
    change_max_communication_days: int = Field(
        30, ge=1, description="A change whose progress updates are further apart than this is a big-bang change."
    )
    building_specialised_roles: int = Field(
        2,
        ge=1,
        le=5,
        description=(
            "Maturity: distinct specialist roles (data engineer, ML architect, QA engineer, a second data "
            "scientist, a dedicated ML product manager) needed to count as the building stage."
        ),
    )
    scaling_ml_pods: int = Field(
        3, ge=2, description="Maturity: teams with ML staff needed to count as several ML pods (scaling stage)."
    )
    ml_pod_min_staff: int = Field(
        2, ge=1, description="Maturity: ML staff a team needs to count as an ML pod (a lone hire is not a pod)."
    )
    ml_pod_size: int = Field(
        4,
        ge=1,
        description="Maturity: ML staff per pod, so a large team counts as several pods (scientists plus engineers).",
    )
    advanced_production_models: int = Field(
        10, ge=2, description="Maturity: models in production needed to count as many models (advanced stage)."
    )
    nascent_ml_staff_max: int = Field(
        3,
        ge=0,
        description=(
            "Archetype: with this many ML staff or fewer, no leadership voice for ML and an ambition below "
            "core, ML is read as ad hoc (nascent)."
        ),
    )
    ladder_group_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description=(
            "Maturity: share of a stage's tooling items (read as one group, not as separate walls) that must be "
            "in place for the group to count as met; also the share of a stage's entry checks that must be met "
            "for the evidence to support that stage when the rest are unknown."
        ),
    )
    experienced_ml_needed: int = Field(
        2, ge=1, description="Roles: experienced ML practitioners the organization really needs (one or two)."
    )
    survey_divergence_share: float = Field(
        0.25,
        gt=0,
        le=1,
        description="A team whose respondents' means have a standard deviation of at least this share of the "
        "scale's range (1.5 points on a 1-7 scale) is flagged as divergent: its members disagree widely.",
    )
    survey_contradiction_gap: float = Field(
        1.0,
        gt=0,
        le=6,
        description="Staff Westrum mean this many points or more away from the spec's `culture.westrum` figure "
        "contradicts the spec.",
    )
    survey_fact_agreement: float = Field(
        0.75,
        gt=0.5,
        le=1,
        description="Staff agreement with an item, mapped onto 0-1, at or above this reads as 'yes' and at or "
        "below one minus this as 'no'; either, against a spec fact saying otherwise, contradicts the spec.",
    )
    network_insular_ei: float = Field(
        -0.6,
        ge=-1,
        le=1,
        description="Collaboration: an ML team whose E-I index (Krackhardt and Stern: -1 all ties inside, +1 all "
        "outside) is below this is insular.",
    )
    network_min_team_ties: int = Field(
        10, ge=1, description="Collaboration: ties a team needs before its E-I index is judged."
    )
    network_min_link_ties: int = Field(
        3,
        ge=1,
        description="Collaboration: observed ties between two teams (or between ML staff of different teams) that "
        "count as working together, where no forum was declared.",
    )
    network_broker_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Collaboration: a broker stands on the shortest paths of at least this share of the pairs "
        "(ML person, product or business person); any broker means ML-to-business work hangs on few people.",
    )
    network_broker_min_ml: int = Field(
        4, ge=1, description="Collaboration: ML people (with ties) needed before few brokers is a finding."
    )
    network_broker_sources: int = Field(
        32,
        ge=1,
        description="Collaboration: most ML people the broker betweenness starts from; past it, an even sample "
        "in id order (deterministic). Each source costs one pass over all ties (about 0.1 s of CPU at 2,000,000 ties).",
    )
    network_crossing_share: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Collaboration: share of people whose detected community is mostly another team at which "
        "the lived communities cut across the formal teams.",
    )
    network_min_people: int = Field(
        20, ge=2, description="Collaboration: people with ties needed before community structure is judged."
    )
    network_map_links: int = Field(
        40, ge=1, description="Collaboration: most team-to-team links the collaboration map draws (the strongest)."
    )
    network_individual: bool = Field(
        False,
        description="Collaboration: show individual figures (broker ids). Off by default: output stays at team "
        "level, and ids are the keyed pseudonyms of the import unless it kept names.",
    )


class Settings(BaseModel):
    """Thresholds plus which findings to silence and re-grade."""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    thresholds: Thresholds = Field(default_factory=Thresholds)
    ignore: tuple[str | Suppression, ...] = ()
    severity: dict[str, Severity] = Field(default_factory=dict)

    def merged(self, overrides: dict[str, Any]) -> Settings:
        """A copy with a ``settings``-shaped mapping layered on top."""
        thresholds = {**self.thresholds.model_dump(), **overrides.get("thresholds", {})}
        return Settings(
            thresholds=Thresholds.model_validate(thresholds),
            ignore=(*self.ignore, *overrides.get("ignore", ())),
            severity={**self.severity, **overrides.get("severity", {})},
        )

    def is_ignored(self, rule: str, subject: str) -> bool:
        return self.exemption(rule, subject) is not None

    def exemption(self, rule: str, subject: str, today: dt.date | None = None) -> str | Suppression | None:
        """The first ``ignore`` entry that covers this finding and still holds on ``today``, if any.

        An entry whose ``until`` lies before ``today`` no longer covers anything: the finding is back.
        """
        for entry in self.ignore:
            if isinstance(entry, str):
                if entry == rule:
                    return entry
            elif (
                entry.rule == rule
                and entry.subject in (None, subject)
                and (today is None or entry.until is None or entry.until >= today)
            ):
                return entry
        return None

    def expired(self, today: dt.date) -> tuple[Suppression, ...]:
        """The ``ignore`` entries whose ``until`` lies before ``today``."""
        return tuple(e for e in self.ignore if not isinstance(e, str) and e.until is not None and e.until < today)
