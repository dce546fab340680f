"""JSON: the stable contract of DESIGN §6 (and everything else the assessment holds)."""

from __future__ import annotations

from mlorg.assessment import Assessment


def render(assessment: Assessment) -> str:
    return b"".join(render_chunks(assessment)).decode("utf-8")


def render_chunks(assessment: Assessment) -> list[bytes]:
    """The document as UTF-8, straight from pydantic-core's serializer: no ``str`` round trip, and the
    final newline is a chunk of its own so the tens of megabytes are never copied to append it."""
    return [assessment.__pydantic_serializer__.to_json(assessment, indent=2), b"\n"]
