"""What staff said in the ML-organization self-assessment, per construct (``star.processes``,
``maturity.building``), for the analyses that set it beside what the spec claims.

The spec's answer stays the primary one (it is explainable field by field); the staff view is shown
next to it, and a wide gap between the two is called out, so a leader sees where the organization
disagrees with its own description.
"""

from __future__ import annotations

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Result

INSTRUMENT = "ml_org"


class StaffView(Result):
    """Staff agreement with the items measuring one construct, from the survey."""

    measure: str = Field(description="What the items measure, e.g. `star.processes`.")
    agreement: float = Field(ge=0, le=1, description="Mean agreement mapped onto 0 (lowest) to 1 (highest).")
    respondents: int


def staff_views(ctx: AnalysisContext, prefix: str) -> dict[str, StaffView]:
    """Constructs of the self-assessment under ``prefix`` (``star.`` or ``maturity.``), keyed by the rest.

    Empty without a survey, and for constructs the privacy floor or coverage leaves without a figure.
    """
    if ctx.survey is None:
        return {}
    scored = ctx.survey.instrument(INSTRUMENT)
    if scored is None:
        return {}
    out: dict[str, StaffView] = {}
    for construct in scored.constructs:
        if construct.measure.startswith(prefix) and construct.normalized is not None:
            out[construct.measure.removeprefix(prefix)] = StaffView(
                measure=construct.measure, agreement=round(construct.normalized, 3), respondents=construct.respondents
            )
    return out
