"""Building blocks shared by every analysis result and by findings.

Every answer mlorg gives carries its evidence: the spec fields that decided it.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from itertools import repeat
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mlorg.spec.models import Severity

_M = TypeVar("_M", bound=BaseModel)

# The instance slots pydantic gives every model, set through their descriptors: calling each
# descriptor's setter directly, and ``object.__new__`` (BaseModel defines no ``__new__``), makes
# :func:`bare` a third cheaper than ``object.__setattr__`` by name, and it runs ~150,000 times
# for a 100,000-person organization.
_NEW = object.__new__
_SET = object.__setattr__  # bare_many sets by name, in C-level map passes
_SET_DICT = vars(BaseModel)["__dict__"].__set__
_SET_FIELDS_SET = vars(BaseModel)["__pydantic_fields_set__"].__set__
_SET_EXTRA = vars(BaseModel)["__pydantic_extra__"].__set__
_SET_PRIVATE = vars(BaseModel)["__pydantic_private__"].__set__
if BaseModel.__new__ is not _NEW or BaseModel.__slots__ != (
    "__dict__",
    "__pydantic_fields_set__",
    "__pydantic_extra__",
    "__pydantic_private__",
):
    raise RuntimeError("mlorg.results.bare does not know how this pydantic builds a model")


def bare(cls: type[_M], fields: dict[str, Any], fields_set: set[str]) -> _M:
    """An object of ``cls`` holding ``fields`` (every field, in declaration order) and ``fields_set``, as
    validation would leave it, with no validation: the one place objects are put together by hand
    (:mod:`mlorg.analyses.fast`, :mod:`mlorg.rules._trusted`). ``fields_set`` may be shared: the
    models are frozen, and ``model_copy`` copies the set before changing it."""
    m: _M = _NEW(cls)
    _SET_DICT(m, fields)
    _SET_FIELDS_SET(m, fields_set)
    _SET_EXTRA(m, None)
    _SET_PRIVATE(m, None)
    return m


def bare_many(cls: type[_M], fields: list[dict[str, Any]], fields_set: set[str]) -> list[_M]:
    """:func:`bare` for many objects sharing ``fields_set``, in C-level passes with no Python step per
    object (tens of thousands of per-feature results at 100,000 people)."""
    n = len(fields)
    out = list(map(cls.__new__, repeat(cls, n)))
    deque(map(_SET, out, repeat("__dict__"), fields), 0)
    deque(map(_SET, out, repeat("__pydantic_fields_set__"), repeat(fields_set, n)), 0)
    deque(map(_SET, out, repeat("__pydantic_extra__"), repeat(None, n)), 0)
    deque(map(_SET, out, repeat("__pydantic_private__"), repeat(None, n)), 0)
    return out


SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}


class Result(BaseModel):
    """Base of every output model: immutable and strict."""

    # no protected namespaces: fields such as `model_ops` are ours, and pydantic < 2.10 warns about them.
    # defer_build: results are built without validation and written by orjson, so an assessment needs no
    # validator or serializer of theirs; pydantic builds one on first use (tests, the writer's fallback).
    model_config = ConfigDict(frozen=True, extra="forbid", protected_namespaces=(), defer_build=True)


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


class Exemption(Result):
    """A finding that ``settings.ignore`` accepts, with the reason given (SARIF: a suppression)."""

    finding: Finding
    reason: str | None = Field(None, description="Why it is accepted, as the settings say; null if not given.")
    until: dt.date | None = Field(None, description="Last day the exemption holds; null if open-ended.")
    in_spec: bool = Field(description="True when the spec's own settings exempt it, false for a `--config` file.")
