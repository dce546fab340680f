"""Where ML people sit, as the analyses read it: the facts layer's answer plus today's structure.

The facts themselves (who is ML staff, ML homes, placement, reporting lines) are decided in
:mod:`mlorg.facts`; this module only names today's structure from them.
"""

from __future__ import annotations

from mlorg.analyses.context import AnalysisContext
from mlorg.facts import StaffFacts, facts_of
from mlorg.facts.staff import MAX_EVIDENCE
from mlorg.knowledge import StructureId
from mlorg.spec.models import Organization

#: The placement of ML staff: the facts layer's :class:`~mlorg.facts.StaffFacts`.
Placement = StaffFacts

__all__ = ["MAX_EVIDENCE", "Placement", "classify", "placement", "section_given", "staff_known"]


def section_given(spec: Organization, section: str) -> bool:
    """Did the spec state this top-level section at all? Absent means unknown; ``[]`` means none."""
    return section in spec.model_fields_set


def staff_known(spec: Organization) -> bool:
    """Does the spec say who works here, by name or by ``staffing`` counts?"""
    return bool(spec.people) or any(t.staffing for t in spec.teams)


def placement(ctx: AnalysisContext) -> Placement:
    return facts_of(ctx.index).staff


def classify(p: Placement) -> tuple[StructureId, str]:
    """Name today's structure by its design, not by a headcount share (DESIGN §2 item 3).

    A central ML home together with ML people embedded in product or business teams is hybrid,
    however the heads split; embedded people who mostly report into a central ML lead are hybrid
    too. ML people in the leadership team are leaders, not a central team.
    """
    if p.total == 0:
        if p.in_leadership:
            return "none", (
                f"Only the leadership team holds ML roles ({p.in_leadership}): leaders, not yet an ML team "
                "or ML people in product teams."
            )
        if not p.known:
            return "none", "The spec names no people and no staffing, so no ML staff can be placed."
        return "none", "Nobody outside the leadership team holds an ML role."
    core = ", ".join(p.central_teams[:3]) + (" and others" if len(p.central_teams) > 3 else "")
    units = len(p.embedded_teams)
    where = f"{units} product or business team" + ("s" if units != 1 else "")
    if p.central_teams and p.embedded_teams:
        return "hybrid", (
            f"Hybrid: a central ML core ({core}, {p.central} ML staff) together with ML people embedded in "
            f"{where} ({p.embedded} ML staff)."
        )
    if p.central_teams:
        return "centralized", f"Centralized: all {p.central} ML staff sit in central ML teams ({core})."
    if p.dotted and p.dotted * 2 >= p.embedded_named:
        return "hybrid", (
            f"Hybrid: ML staff sit in {where}, and {p.dotted} of the {p.embedded_named} named embedded people "
            "report into a central ML lead."
        )
    return "decentralized", f"Decentralized: all {p.embedded} ML staff sit in {where}, reporting there."
