"""Renderers: assessment -> text. Each format is a module with ``render(assessment, ...) -> str``."""

from __future__ import annotations

from typing import Literal

from mlorg.assessment import Assessment
from mlorg.errors import UsageError

Format = Literal["text", "markdown", "json", "sarif"]
FORMATS: tuple[str, ...] = ("text", "markdown", "json", "sarif")


def render(assessment: Assessment, format: str = "text", *, verbose: bool = False, color: bool = False) -> str:
    """Render an assessment; byte-identical output for identical input."""
    if format == "json":
        from mlorg.render import json_render

        return json_render.render(assessment)
    if format == "markdown":
        from mlorg.render import markdown

        return markdown.render(assessment)
    if format == "sarif":
        from mlorg.render import sarif

        return sarif.render(assessment)
    if format == "text":
        from mlorg.render import text

        return text.render(assessment, verbose=verbose, color=color)
    raise UsageError(f"unknown format '{format}'; choose one of: {', '.join(FORMATS)}")
