"""Build small specs for analysis tests: only the sections a test cares about."""

from __future__ import annotations

from typing import Any

import yaml

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.maturity import MaturityResult
from mlorg.settings import Thresholds
from mlorg.spec import Organization, load_spec_text
from mlorg.spec.index import SpecIndex


def spec_of(**sections: Any) -> Organization:
    """A valid spec: ``organization`` defaults to a 40-person company; other sections as given."""
    org = {"name": "Test Co", "headcount": 40, **sections.pop("organization", {})}
    return load_spec_text(yaml.safe_dump({"version": 1, "organization": org, **sections}, sort_keys=False))


def ctx_of(thresholds: dict[str, Any] | None = None, **sections: Any) -> AnalysisContext:
    spec = spec_of(**sections)
    return AnalysisContext(spec, SpecIndex(spec), Thresholds(**(thresholds or {})))


def at_stage(stage: str) -> MaturityResult:
    """A maturity result fixed at ``stage``, to test analyses that depend on it in isolation."""
    return MaturityResult.model_validate({"stage": stage})


def person(pid: str, team: str, *roles: str, **extra: Any) -> dict[str, Any]:
    return {"id": pid, "team": team, "roles": list(roles), **extra}
