"""The rule registry: slug, severity, source and docs for every rule, and its check.

A rule's check yields :class:`Hit` (a finding, when the spec gives evidence) or
:class:`Question` (when the spec is silent on a field the rule needs). Unknown is not false:
a rule never fires on a missing field.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlorg.results import Evidence
from mlorg.spec.models import Severity

if TYPE_CHECKING:
    from mlorg.rules.context import RuleContext

#: the five texts (see docs/sources.md), and ``mlorg`` for checks of mlorg's own settings, which no text covers
SOURCES = ("rml-ch13", "fsdl-teams", "hasty-structures", "tecton-embedded", "georgian-maturity", "mlorg")


@dataclass(frozen=True)
class Hit:
    """A rule fired on ``subject``; ``remedy`` overrides the rule's default remedy."""

    subject: str
    message: str
    evidence: tuple[Evidence, ...] = ()
    remedy: str | None = None

    def __init__(
        self, subject: str, message: str, evidence: tuple[Evidence, ...] = (), remedy: str | None = None
    ) -> None:
        # What the generated __init__ stores, written to the instance dict at once instead of through
        # object.__setattr__ field by field: half the cost, for the ~40,000 hits of a large organization.
        d = self.__dict__
        d["subject"] = subject
        d["message"] = message
        d["evidence"] = evidence
        d["remedy"] = remedy


@dataclass(frozen=True)
class Question:
    """The rule could not decide because ``path`` is missing from the spec."""

    path: str
    question: str

    def __init__(self, path: str, question: str) -> None:
        d = self.__dict__  # as in Hit.__init__
        d["path"] = path
        d["question"] = question


Check = Callable[["RuleContext"], Iterable[Hit | Question]]


@dataclass(frozen=True)
class Rule:
    """A registered rule and its documentation (rendered into ``docs/rules.md``)."""

    slug: str
    family: str
    severity: Severity
    source: str
    summary: str
    flags: str
    why: str
    example: str
    remedy: str
    check: Check = field(repr=False, compare=False)


REGISTRY: dict[str, Rule] = {}


def rule(
    slug: str,
    *,
    severity: Severity,
    source: str,
    summary: str,
    flags: str,
    why: str,
    example: str,
    remedy: str,
) -> Callable[[Check], Check]:
    """Register a check function as a rule. ``example`` is a YAML spec snippet that triggers it."""
    if source not in SOURCES:
        raise ValueError(f"rule {slug}: unknown source label {source!r}")

    def register(check: Check) -> Check:
        if slug in REGISTRY:
            raise ValueError(f"rule {slug} registered twice")
        family = check.__module__.rsplit(".", 1)[-1]
        REGISTRY[slug] = Rule(
            slug, family, severity, source, summary, flags, why, example.strip() + "\n", remedy, check
        )
        return check

    return register


_imported: list[bool] = []  # holds True once every family module was imported


def load_all() -> dict[str, Rule]:
    """Import every family module once so the registry is complete; return it sorted by slug.

    Modules named with a leading underscore are shared helpers, not families. The package's folder
    is listed on the first call only (every assessment asks; the web dashboard assesses after each
    new answer).
    """
    if not _imported:
        import mlorg.rules as pkg

        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name not in {"registry", "context"} and not info.name.startswith("_"):
                importlib.import_module(f"mlorg.rules.{info.name}")
        _imported.append(True)
    return dict(sorted(REGISTRY.items()))


def all_slugs() -> list[str]:
    return list(load_all())


def get_rule(slug: str) -> Rule | None:
    return load_all().get(slug)
