"""Rules about how the change to ML is being carried out (rml-ch13, after Galbraith's Star Model)."""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule
from mlorg.spec.explicit import said_none

POINTS = ("strategy", "structure", "processes", "rewards", "people")


@rule(
    "single-dimension-change",
    severity="medium",
    source="rml-ch13",
    summary="The change to ML moves only one point of the Star Model.",
    flags="A change (announced, or with `change.dimensions` listed) that touches at most one Star Model point.",
    why=(
        "Strategy, structure, processes, rewards and people hold each other in place. A new strategy on old "
        "processes yields the old output; new people absorb the old habits; rewarding new behaviour while "
        "the old stays easier changes little. Change that sticks moves several points."
    ),
    example="""
change:
  announced: true
  dimensions: [strategy]
""",
    remedy=(
        "Plan a step for every point that matters (see the change plan), sequenced one at a time after the "
        "announcement, so that processes and rewards follow the new strategy."
    ),
)
def single_dimension_change(ctx: RuleContext) -> Iterator[Hit | Question]:
    c = ctx.spec.change
    if c.dimensions is None:
        if c.announced:
            yield Question("change.dimensions", "Which Star Model points does the announced change touch?")
        return
    touched = sorted(set(c.dimensions))
    if len(touched) > 1 or (not touched and not c.announced):
        return
    star = ctx.analyses.star_model
    bar = ctx.thresholds.star_change_below
    weak = [p for p in POINTS if p not in touched and getattr(star, p).score < bar]
    only = f"only {touched[0]}" if touched else "no Star Model point"
    message = f"The change touches {only}"
    message += f"; {', '.join(weak)} also score below {bar}." if weak else "."
    yield Hit("org", message, (Evidence(path="change.dimensions", value=touched),))


@rule(
    "big-bang-communication",
    severity="medium",
    source="rml-ch13",
    summary="The change was announced once, with no regular progress updates after it.",
    flags=(
        "An announced change whose `communication_cadence_days` is explicitly null, or longer than "
        "`change_max_communication_days` (default 30)."
    ),
    why=(
        "After a loud announcement, silence reads as a stalled effort. Regular updates on what has changed, "
        "what has not yet and why keep supporters engaged and let people adjust at their own pace."
    ),
    example="""
change:
  announced: true
  communication_cadence_days: null
""",
    remedy=(
        "Set a regular cadence for progress updates (every two weeks by default) and keep to it until the "
        "last step of the plan is done."
    ),
)
def big_bang_communication(ctx: RuleContext) -> Iterator[Hit | Question]:
    c = ctx.spec.change
    if not c.announced:
        return
    limit = ctx.thresholds.change_max_communication_days
    days = c.communication_cadence_days
    if said_none(c, "communication_cadence_days"):
        yield Hit(
            "org",
            "The change was announced, and no regular progress updates are planned.",
            (
                Evidence(path="change.announced", value=True),
                Evidence(path="change.communication_cadence_days", value=None),
            ),
        )
    elif days is None:
        yield Question("change.communication_cadence_days", "How often will progress on the change be communicated?")
    elif days > limit:
        yield Hit(
            "org",
            f"Progress updates on the change are {days} days apart, longer than {limit}.",
            (Evidence(path="change.communication_cadence_days", value=days),),
        )
