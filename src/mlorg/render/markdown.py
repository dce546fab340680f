"""Markdown report, one template per section under ``templates/markdown``."""

from __future__ import annotations

from functools import cache

import jinja2

from mlorg.assessment import Assessment
from mlorg.render.escape import md

SECTIONS = (
    "summary",
    "maturity",
    "archetype",
    "structure",
    "culture",
    "star_model",
    "roles",
    "portfolio",
    "data_readiness",
    "model_ops",
    "change_plan",
    "findings",
    "open_questions",
)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mlorg.render", "templates/markdown"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md
    env.filters["pct"] = lambda x: f"{round(float(x) * 100)}%"
    return env


def render(assessment: Assessment) -> str:
    env = environment()
    parts = [env.get_template(f"{name}.md.j2").render(a=assessment).strip() for name in SECTIONS]
    return "\n\n".join(p for p in parts if p) + "\n"
