"""Renderers: assessment -> text. Each format is a module with ``render(assessment, ...) -> str``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from mlorg.errors import UsageError
from mlorg.gcpause import gc_paused

if TYPE_CHECKING:
    from mlorg.assessment import Assessment
    from mlorg.settings import Thresholds
    from mlorg.spec.models import Organization

Format = Literal["text", "markdown", "json", "sarif", "html"]
FORMATS: tuple[str, ...] = ("text", "markdown", "json", "sarif", "html")


def render(
    assessment: Assessment,
    format: str = "text",
    *,
    verbose: bool = False,
    color: bool = False,
    spec: Organization | None = None,
    thresholds: Thresholds | None = None,
) -> str:
    """Render an assessment; byte-identical output for identical input.

    ``spec`` (and the effective ``thresholds``) let the HTML report draw what the assessment alone
    cannot: the team map, the value/cost matrix, culture by team. Other formats ignore them.
    """
    with gc_paused():  # renderers build many short-lived acyclic objects; see mlorg.gcpause
        return _render(assessment, format, verbose=verbose, color=color, spec=spec, thresholds=thresholds)


def render_bytes(
    assessment: Assessment,
    format: str = "text",
    *,
    verbose: bool = False,
    color: bool = False,
    spec: Organization | None = None,
    thresholds: Thresholds | None = None,
) -> bytes:
    """:func:`render` as UTF-8 bytes."""
    chunks = render_chunks(assessment, format, verbose=verbose, color=color, spec=spec, thresholds=thresholds)
    with gc_paused():
        return b"".join(chunks)


def render_chunks(
    assessment: Assessment,
    format: str = "text",
    *,
    verbose: bool = False,
    color: bool = False,
    spec: Organization | None = None,
    thresholds: Thresholds | None = None,
) -> Iterable[bytes]:
    """:func:`render` as UTF-8 chunks to write one after another: JSON and SARIF come straight from the
    serializer as bytes, and lazily, a part at a time (consume them once).

    A 100,000-person assessment is tens of megabytes of JSON; going through ``str`` and back held three
    copies of it at once, and serializing it whole held the serializer's buffer beside the result.
    """
    with gc_paused():
        if format == "json":
            from mlorg.render import json_render

            return json_render.render_chunks(assessment)
        if format == "sarif":
            from mlorg.render import sarif

            return sarif.render_chunks(assessment)
        text = _render(assessment, format, verbose=verbose, color=color, spec=spec, thresholds=thresholds)
    return [text.encode("utf-8")]


def _render(
    assessment: Assessment,
    format: str,
    *,
    verbose: bool,
    color: bool,
    spec: Organization | None,
    thresholds: Thresholds | None,
) -> str:
    if format == "html":
        from mlorg.render import html

        return html.render(assessment, spec=spec, thresholds=thresholds)
    if format == "json":
        from mlorg.render import json_render

        return json_render.render(assessment)
    if format == "markdown":
        from mlorg.render import markdown

        return markdown.render(assessment, spec=spec, thresholds=thresholds)
    if format == "sarif":
        from mlorg.render import sarif

        return sarif.render(assessment)
    if format == "text":
        from mlorg.render import text

        return text.render(assessment, verbose=verbose, color=color, spec=spec, thresholds=thresholds)
    raise UsageError(f"unknown format '{format}'; choose one of: {', '.join(FORMATS)}")
