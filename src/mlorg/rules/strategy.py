"""Rules about the ML strategy and how leadership holds it."""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule


@rule(
    "no-written-strategy",
    severity="medium",
    source="rml-ch13",
    summary="The ML strategy, its goals and assumptions are not written down.",
    flags="A spec whose `strategy.written` is `false`.",
    why=(
        "What leaders expect ML to do for them is the assumption that most decides whether the effort "
        "succeeds. Unwritten, it drifts: teams chase different goals and nobody can check, mid-incident "
        "or mid-project, what was agreed and why."
    ),
    example="""
strategy:
  written: false
""",
    remedy=(
        "Write down what ML should achieve, which subset of that you will pursue first, and the "
        "assumptions behind it; review it when priorities change."
    ),
)
def no_written_strategy(ctx: RuleContext) -> Iterator[Hit | Question]:
    written = ctx.spec.strategy.written
    if written is None:
        yield Question("strategy.written", "Is the ML strategy, with its goals and assumptions, written down?")
    elif written is False:
        yield Hit(
            "org",
            "The ML strategy is not written down.",
            (Evidence(path="strategy.written", value=False),),
        )
