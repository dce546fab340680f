"""JSON: the stable contract of DESIGN §6 (and everything else the assessment holds)."""

from __future__ import annotations

from mlorg.assessment import Assessment


def render(assessment: Assessment) -> str:
    return render_bytes(assessment).decode("utf-8")


def render_bytes(assessment: Assessment) -> bytes:
    """The document as UTF-8, straight from pydantic-core's serializer (no str round trip)."""
    return assessment.__pydantic_serializer__.to_json(assessment, indent=2) + b"\n"
