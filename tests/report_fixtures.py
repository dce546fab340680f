"""Assessments that exercise every part of the report beyond what the YarnIt example produces.

``rich_assessment`` is YarnIt "a quarter later": built from the real YarnIt assessment with the
results moved on (a later stage, another archetype, changed scores and coverage) and with what
the example never shows: an unplaced initiative, a chosen first project judged against the bar, a
model handed off to a team without ML skills, and a finding from a rule the report does not know.
It is both a second snapshot for history and diff tests and a report with every section filled.
"""

from __future__ import annotations

from mlorg.analyses.model_ops import ModelOps
from mlorg.analyses.portfolio import Check, Judged, Ranked
from mlorg.analyses.roles import Coverage
from mlorg.assessment import Assessment
from mlorg.results import Evidence, Finding, OpenQuestion
from mlorg.spec.models import Culture, Organization, Westrum, WestrumTeam


def finding(rule: str, severity: str, subject: str, message: str, source: str = "rml-ch13") -> Finding:
    return Finding(
        rule=rule,
        severity=severity,  # type: ignore[arg-type]
        subject=subject,
        message=message,
        evidence=(Evidence(path="models[0].monitoring", value=["latency"], note="no drift monitoring"),),
        remedy="Name an owner and an escalation path.",
        source=source,
    )


FINDINGS = (
    finding(
        "quasi-identifier-combination",
        "critical",
        "model:underperformer-boost",
        "Combines user_agent and geo_location, which together can single out a shopper.",
        "tecton-embedded",
    ),
    finding("no-drift-escalation", "high", "model:underperformer-boost", "Nobody is told when the model drifts."),
    finding("handoff-to-it", "high", "model:stock-forecast", "Stock forecast was handed to IT, who cannot debug it."),
    finding(
        "uncoordinated-upstream-data",
        "medium",
        "feature:user_agent",
        "Web design changed what user_agent logs without telling the recommendations team.",
        "tecton-embedded",
    ),
    finding("no-data-audit", "medium", "org", "No data audit against the opportunity list.", "georgian-maturity"),
    finding(
        "isolated-ml-hire", "low", "team:recs", "The ML engineers have no peers to learn from.", "hasty-structures"
    ),
    finding("single-dimension-change", "medium", "org", "The change touches only strategy."),
    finding("some-future-rule", "info", "org", "A rule this report does not know yet."),
)
SIZE_RECOMMENDER = Ranked(
    initiative="size-recommender",
    title="Yarn weight recommender",
    rank=5,
    score=-3,
    quadrant="unplaced",
    unknown=("expected_value", "expected_cost"),
)


def rich_assessment(base: Assessment) -> Assessment:
    """``base`` (the YarnIt assessment) a quarter later, with every section populated."""
    po = base.portfolio
    coverage = dict(base.roles.coverage)
    coverage["sre_ml"] = Coverage(count=1, status="covered", name="SRE for ML or MLOps", roles=("sre_ml",))
    coverage["ml_engineer"] = coverage["ml_engineer"].model_copy(update={"status": "missing", "count": 0})
    forecast = ModelOps(
        model="stock-forecast",
        status="production",
        built_by="recs",
        operated_by="it-ops",
        handed_off=True,
        running_team_ml_skills=False,
        monitoring=(),
        watches_drift=False,
        kpi="model",
        kpi_on_product=False,
    )
    return base.model_copy(
        update={
            "maturity": base.maturity.model_copy(
                update={"stage": "building", "next_stage": "scaling", "missing": ("A platform team",)}
            ),
            "archetype": base.archetype.model_copy(
                update={"id": "product_embedded", "name": "Embedded in products and business units"}
            ),
            "structure": base.structure.model_copy(
                update={
                    "current": "decentralized",
                    "mitigations": tuple(
                        mi.model_copy(update={"in_place": True}) if mi.id == "ml_community" else mi
                        for mi in base.structure.mitigations
                    ),
                }
            ),
            "star_model": base.star_model.model_copy(
                update={
                    "strategy": base.star_model.strategy.model_copy(update={"score": 5}),
                    "rewards": base.star_model.rewards.model_copy(update={"score": 1}),
                }
            ),
            "roles": base.roles.model_copy(update={"coverage": coverage}),
            "portfolio": po.model_copy(
                update={
                    "ranking": (*po.ranking, SIZE_RECOMMENDER),
                    "quadrants": tuple(
                        q.model_copy(update={"initiatives": ("size-recommender",)}) if q.id == "unplaced" else q
                        for q in po.quadrants
                    ),
                    "judged": (
                        Judged(
                            initiative="search-ranking",
                            why_judged="in progress before anything shipped",
                            fits=False,
                            rank=2,
                            checks=(
                                Check(criterion="additive", ok=False, reason="replaces the current ranking"),
                                Check(criterion="one_use_case", ok=None, reason="`use_cases` not stated"),
                            ),
                            failed=("additive",),
                        ),
                    ),
                }
            ),
            "model_ops": base.model_ops.model_copy(
                update={
                    "models": (*base.model_ops.models, forecast),
                    "counts": {**base.model_ops.counts, "models": 2, "in_production": 2, "handed_off": 1},
                }
            ),
            "findings": FINDINGS,
            "open_questions": (
                OpenQuestion(
                    path="strategy.written", question="Is the strategy written down?", settles=("no-written-strategy",)
                ),
            ),
            "confidence": 0.9,
        }
    )


def with_team_culture(spec: Organization) -> Organization:
    """``spec`` with per-team Westrum results; Site search has fewer respondents than the privacy floor."""
    teams = {
        "recs": WestrumTeam(mean=5.2, respondents=6),
        "storefront": WestrumTeam(mean=3.9, respondents=12),
        "search": WestrumTeam(mean=2.1, respondents=3),
    }
    westrum = Westrum(mean=4.6, respondents=27, teams=teams)
    return spec.model_copy(update={"culture": Culture(westrum=westrum)})
