"""Assessments with every section filled in, for renderer tests that must not wait on the analyses.

``rich_assessment`` takes the real YarnIt assessment and fills the result fields the analyses
will produce (stage, archetype, structure, roles, ranking, change plan, findings), so every
section, chart and cap of the report is exercised whatever state the analyses are in.
"""

from __future__ import annotations

from mlorg.analyses.archetype import ArchetypeResult, Dimension
from mlorg.analyses.change_plan import ChangePlanResult, Step
from mlorg.analyses.maturity import MaturityResult
from mlorg.analyses.portfolio import PortfolioResult, Ranked
from mlorg.analyses.roles import Coverage, Hire, RolesResult
from mlorg.analyses.star_model import Misalignment, StarModelResult, StarPointScore
from mlorg.analyses.structure import Mitigation, StructureResult
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
    finding("no-ml-voice-in-leadership", "high", "org", "Nobody speaks for ML in the leadership team."),
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


def rich_assessment(base: Assessment) -> Assessment:
    """``base`` (the YarnIt assessment) with every section populated."""
    return base.model_copy(
        update={
            "maturity": MaturityResult(
                stage="exploring",
                next_stage="building",
                evidence=(Evidence(path="people[2].roles", value=["ml_engineer"], note="a first ML hire"),),
                missing=("A model in production with a repeatable path there", "A data engineer or ML architect"),
                confidence=0.8,
            ),
            "archetype": ArchetypeResult(
                id="product_embedded",
                dimensions={"engineering_vs_research": Dimension(score=0.8, label="engineering")},
                rationale=("ML people sit in a product-facing team.",),
            ),
            "structure": StructureResult(
                current="centralized",
                recommended="decentralized",
                rationale=("A small company that implements ML mostly embeds it.",),
                weak_points=("Embedded ML people can end up isolated.",),
                mitigations=(
                    Mitigation(id="forum", text="A community of practice", in_place=False),
                    Mitigation(id="platform", text="A platform team", in_place=None),
                ),
            ),
            "star_model": StarModelResult(
                strategy=StarPointScore(score=4, notes=("written and specific",)),
                structure=StarPointScore(score=2),
                processes=StarPointScore(score=3),
                rewards=StarPointScore(score=1, notes=("only delivery is rewarded",)),
                people=StarPointScore(score=2),
                misalignments=(Misalignment(points=("strategy", "rewards"), gap=3, message="Rewards lag strategy."),),
            ),
            "roles": RolesResult(
                coverage={
                    "product_manager": Coverage(count=1, status="covered"),
                    "ml_engineer": Coverage(count=1, status="covered"),
                    "sre_ml": Coverage(count=0, status="missing"),
                    "head_of_data_science": Coverage(count=0, status="not_needed_yet"),
                }
            ),
            "hiring_plan": (
                Hire(
                    role="sre_ml",
                    reason="A model in production needs someone to run it.",
                    experienced=True,
                    sourcing=("a contractor",),
                ),
                Hire(role="data_engineer", reason="Features come from the warehouse by hand."),
                Hire(role="product_manager", reason="The PM has no ML experience."),
                Hire(role="ml_architect", reason="Later."),
            ),
            "portfolio": PortfolioResult(
                first_project="cart-suggestions",
                ranking=(
                    Ranked(
                        initiative="cart-suggestions",
                        score=0.9,
                        quadrant="quick win",
                        reasons=("additive", "eight weeks"),
                    ),
                    Ranked(initiative="front-page-discovery", score=0.6, quadrant="big bet"),
                    Ranked(initiative="search-ranking", score=0.5, quadrant="big bet"),
                    Ranked(initiative="inventory-reordering", score=0.2, quadrant="money pit"),
                ),
            ),
            "change_plan": ChangePlanResult(
                steps=(
                    Step(order=1, point="strategy", change="Announce the change, its timescale and how success shows."),
                    Step(order=2, point="structure", change="Give ML a seat at the product review."),
                    Step(order=3, point="rewards", change="Recognise reliability work in reviews."),
                )
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
