"""No contradictions a reader would catch: every count in a section's summary card agrees with the table
beside it, across the bundled example, a generated 1,000-person organization and the case organizations.

Tables are built without row limits here, so a count and its table can be compared row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

import mlorg
from mlorg.engine import effective_settings
from mlorg.render.report_blocks import Facts, Limits, Report, Section, Table
from mlorg.render.report_view import build_report
from test_leader_text import organizations

UNLIMITED = Limits(subjects=10**9, rows=10**9, ranking=10**9)


@cache
def report(name: str) -> Report:
    spec = organizations()[name]
    return build_report(mlorg.assess(spec), spec, effective_settings(spec, None).thresholds, (), UNLIMITED)


def section(r: Report, sid: str) -> Section | None:
    return next((s for s in r.sections if s.id == sid), None)


def facts(s: Section) -> dict[str, str]:
    return {k: v for b in s.blocks if isinstance(b, Facts) for k, v in b.rows}


def table(s: Section, caption: str) -> Table | None:
    return next((b for b in s.blocks if isinstance(b, Table) and b.caption == caption), None)


def count(t: Table, column: str, test: Callable[[str], bool]) -> int:
    i = t.headers.index(column)
    return sum(1 for row in t.rows if test(row[i]))


#: organizations that list models, and those that list features (the cards and tables exist only then)
WITH_MODELS = sorted(n for n, spec in organizations().items() if spec.models)
WITH_FEATURES = sorted(n for n, spec in organizations().items() if spec.features)


@pytest.mark.parametrize("name", WITH_MODELS)
def test_model_operations_card_agrees_with_its_table(name: str) -> None:
    s = section(report(name), "model_ops")
    t = table(s, "Models") if s else None
    assert s is not None and t is not None
    card = facts(s)
    assert card["In production"] == f"{count(t, 'Status', lambda v: v == 'production')} of {len(t.rows)}"
    handed = count(t, "Built by → run by", lambda v: "(handed off" in v)
    assert card["Handed off to a team that did not build them"] == str(handed)
    assert card["Watched for drift"] == str(count(t, "Drift watched", lambda v: v == "yes"))
    assert card["With an escalation path"] == str(count(t, "Escalates to", lambda v: v not in ("unknown", "nobody")))
    assert card["Judged on a product KPI"] == str(count(t, "KPI", lambda v: v == "product and business KPIs"))


@pytest.mark.parametrize("name", WITH_FEATURES)
def test_data_readiness_card_agrees_with_its_tables(name: str) -> None:
    s = section(report(name), "data_readiness")
    features = table(s, "Features") if s else None
    assert s is not None and features is not None
    card = facts(s)
    assert card["Features"] == f"{len(features.rows):,}" or card["Features"] == str(len(features.rows))
    assert card["Not in production"] == str(count(features, "In production", lambda v: v == "no"))
    assert card["Too stale"] == str(count(features, "Fresh enough", lambda v: v == "no"))
    assert card["Not computable at serving time"] == str(count(features, "Servable", lambda v: v == "no"))
    assert card["From a team the model's team never meets"] == str(count(features, "Not told", bool))
    models = table(s, "Models")
    if models is not None:
        ready = count(models, "Inputs servable", lambda v: v == "yes")
        assert card["Models whose inputs are ready"] == f"{ready} of {len(models.rows)}"


def test_the_example_and_the_generated_organization_are_both_checked() -> None:
    for name in ("examples/yarnit.yaml", "generated-1000"):
        assert name in WITH_MODELS and name in WITH_FEATURES
        r = report(name)
        assert section(r, "model_ops") and table(section(r, "model_ops"), "Models")  # type: ignore[arg-type]
        assert table(section(r, "data_readiness"), "Features")  # type: ignore[arg-type]
