"""Self-contained HTML report: inline CSS and SVG, no script, no network request, prints and reads on a phone.

Templates live in ``templates/html`` and are rendered with autoescaping on; every string also
passes through :func:`~mlorg.render.escape.printable`, so neither markup nor control characters
in names can get through. The only markup inserted unescaped is chart SVG, through the ``svg``
filter, which accepts nothing but a finished chart. A Content-Security-Policy forbids any fetch
or script, so even a bug cannot make the page call out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import jinja2
from markupsafe import Markup, escape

from mlorg.assessment import Assessment
from mlorg.render.escape import printable
from mlorg.render.report_blocks import PRINT, SCREEN, Section
from mlorg.render.report_view import build_report
from mlorg.render.words import humanize
from mlorg.settings import Thresholds
from mlorg.spec.models import Organization


def _finalize(value: object) -> object:
    """Applied to every ``{{ expression }}``: make control characters visible (autoescape follows)."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return printable(value)
    return value


def _svg(value: str) -> Markup:
    """The one door for raw markup: a finished chart from :mod:`mlorg.render.charts`, nothing else."""
    if not value.startswith("<svg ") or "<script" in value.lower():
        raise ValueError("only finished chart SVG may be inlined")
    return Markup(value)


_TICKS = re.compile(r"`([^`\n]+)`")


def _code(value: object) -> Markup:
    """Text from the analyses, escaped, with its `backticked` spec paths shown as code."""
    escaped = str(escape(printable(humanize(str(value)))))
    return Markup(_TICKS.sub(r"<code>\1</code>", escaped))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mlorg.render", "templates/html"),
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["svg"] = _svg
    env.filters["code"] = _code
    return env


def render(
    assessment: Assessment,
    *,
    spec: Organization | None = None,
    thresholds: Thresholds | None = None,
    extra: Sequence[Section] = (),
    printed: bool = False,
) -> str:
    """The whole report. ``spec`` adds what the assessment alone cannot draw (team map, value/cost matrix).

    ``printed`` bounds its lists for paper and moves them to an appendix. ``extra`` appends sections
    such as history or a diff; the same inputs give byte-identical output.
    """
    from mlorg import __version__

    limits = PRINT if printed else SCREEN
    report = build_report(assessment, spec, thresholds or _thresholds(spec), extra, limits)
    return environment().get_template("report.html.j2").render(r=report, title=report.title, version=__version__)


def render_page(title: str, sections: Sequence[Section]) -> str:
    """A standalone page of sections (``mlorg diff --format html``), with the report's look."""
    from mlorg import __version__

    return environment().get_template("page.html.j2").render(title=title, sections=tuple(sections), version=__version__)


def _thresholds(spec: Organization | None) -> Thresholds:
    if spec is None:
        return Thresholds()
    from mlorg.engine import effective_settings

    return effective_settings(spec, None).thresholds
