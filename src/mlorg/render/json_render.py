"""JSON: the stable contract of DESIGN §6 (and everything else the assessment holds)."""

from __future__ import annotations

from mlorg.assessment import Assessment


def render(assessment: Assessment) -> str:
    return assessment.model_dump_json(indent=2) + "\n"
