"""Rules about what the organization rewards, and whether that supports running ML well."""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules._facts import MAX_EVIDENCE, capped, list_question, production_models
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

SAFEGUARDS = ("reliability", "fairness", "robustness")
REWARDS_QUESTION = "What does the organization recognise in reviews and promotions?"


@rule(
    "rewards-ignore-reliability",
    severity="medium",
    source="rml-ch13",
    summary="Models run in production, but rewards ignore reliability, fairness or robustness.",
    flags=(
        "At least one model in production (`status: production`, or `counts.models.production`) while "
        "`rewards.recognizes` leaves out any of `reliability`, `fairness` and `robustness`; the message "
        "names the missing ones. A missing "
        "`rewards.recognizes` gets a question."
    ),
    why=(
        "ML staff need room to work on their own, yet the organization must be able to trust that what "
        "they deploy is fair, sound and lawful. If only delivery and business results are rewarded, the "
        "unglamorous work of keeping models reliable, fair and robust is the first to be skipped."
    ),
    example="""
models:
  - {id: ranker, status: production}
rewards:
  recognizes: [delivery]
""",
    remedy=(
        "Add reliability, fairness and robustness of ML systems to what reviews and promotions recognise, "
        "next to delivery and business impact, with concrete examples of each."
    ),
)
def rewards_ignore_reliability(ctx: RuleContext) -> Iterator[Hit | Question]:
    running, production = production_models(ctx)
    if not running:
        return
    recognizes = ctx.spec.rewards.recognizes
    if recognizes is None:
        yield Question("rewards.recognizes", REWARDS_QUESTION)
        return
    missing = [s for s in SAFEGUARDS if s not in recognizes]
    if missing and (unsure := list_question(ctx, "rewards")) is not None:
        yield unsure
        return
    if missing:
        yield Hit(
            "org",
            f"{running} model(s) run in production, and rewards do not recognise {', '.join(missing)}.",
            (
                Evidence(path="rewards.recognizes", value=list(recognizes)),
                *capped(ctx, production, MAX_EVIDENCE - 1),
            ),
        )


@rule(
    "ml-learning-not-rewarded",
    severity="low",
    source="rml-ch13",
    summary="Learning about ML is not rewarded where the organization needs it to spread.",
    flags=(
        "`rewards.recognizes` lacks `ml_learning` while `strategy.ml_ambition` is `core` or `everywhere`, or "
        "`strategy.leadership_ml_literacy` is `low`. Unknown ambition or literacy, or unknown rewards, "
        "get questions when they would decide the outcome."
    ),
    why=(
        "ML ends up touching most of the organization, and it works better when sales, finance, buyers and "
        "product managers understand its basics. People invest in what is recognised; if learning ML "
        "counts for nothing in reviews, only the ML specialists will learn it."
    ),
    example="""
strategy:
  ml_ambition: core
rewards:
  recognizes: [delivery, business_impact]
""",
    remedy=(
        "Recognise ML learning across the organization, not only in ML teams: count courses, internal "
        "talks and applied ML projects in reviews, and give time for them."
    ),
)
def ml_learning_not_rewarded(ctx: RuleContext) -> Iterator[Hit | Question]:
    recognizes = ctx.spec.rewards.recognizes
    if recognizes is not None and "ml_learning" in recognizes:
        return
    ambition = ctx.spec.strategy.ml_ambition
    literacy = ctx.spec.strategy.leadership_ml_literacy
    reasons: list[Evidence] = []
    if ambition in ("core", "everywhere"):
        reasons.append(Evidence(path="strategy.ml_ambition", value=ambition))
    if literacy == "low":
        reasons.append(Evidence(path="strategy.leadership_ml_literacy", value=literacy))
    if not reasons:
        if ambition is None:
            yield Question("strategy.ml_ambition", "How central is ML meant to be to the organization?")
        if literacy is None:
            yield Question(
                "strategy.leadership_ml_literacy", "How well does the leadership team understand how ML works?"
            )
        return
    if recognizes is None:
        yield Question("rewards.recognizes", REWARDS_QUESTION)
        return
    if (unsure := list_question(ctx, "rewards")) is not None:
        yield unsure
        return
    yield Hit(
        "org",
        "Learning about ML is not among the things the organization rewards.",
        (Evidence(path="rewards.recognizes", value=list(recognizes)), *reasons),
    )
