"""Building blocks shared by every analysis result and by findings.

Every answer mlorg gives carries its evidence: the spec fields that decided it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mlorg.spec.models import Severity

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class Result(BaseModel):
    """Base of every output model: immutable and strict."""

    # no protected namespaces: fields such as `model_ops` are ours, and pydantic < 2.10 warns about them
    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=())


class Evidence(Result):
    """One spec field and the value that led to a conclusion."""

    path: str = Field(description="Breadcrumb of the spec field, e.g. `models[0].monitoring`.")
    value: Any = Field(None, description="The value found there (null when the spec is silent).")
    note: str | None = Field(None, description="Why this value matters, when not obvious.")
    provenance: str | None = Field(
        None, description="Where an imported value came from (system: file or URL (record)); null when hand-written."
    )


class OpenQuestion(Result):
    """Something the spec does not say that would settle a rule or analysis."""

    path: str = Field(description="The spec field that would answer it.")
    question: str = Field(description="The question, as a leader would answer it.")
    settles: tuple[str, ...] = Field(description="Rule slugs or analyses the answer would settle.")


class Location(Result):
    """Where in the spec file a finding points (for SARIF and editors)."""

    file: str
    line: int


class Finding(Result):
    """One risk or problem, with the evidence that triggered it."""

    rule: str = Field(description="Stable rule slug (see `mlorg rules`).")
    severity: Severity
    subject: str = Field(description="`kind:id` (`model:fraud-score`, `team:recs`) or `org`.")
    message: str
    evidence: tuple[Evidence, ...] = ()
    remedy: str
    source: str = Field(description="Source label of the framework behind the rule.")
    location: Location | None = None

    def sort_key(self) -> tuple[int, str, str]:
        return (SEVERITY_ORDER[self.severity], self.rule, self.subject)
