"""What a rule's check receives: the spec, its index, thresholds and the analyses' results."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization, Suppression

if TYPE_CHECKING:
    from mlorg.analyses.pipeline import Analyses
    from mlorg.provenance import Origins
    from mlorg.survey.scoring import SurveyResult


@dataclass(frozen=True)
class RuleContext:
    spec: Organization
    index: SpecIndex
    thresholds: Thresholds
    analyses: Analyses
    survey: SurveyResult | None = None
    #: ``settings.ignore`` entries (spec and ``--config``) whose ``until`` date has passed
    expired: tuple[Suppression, ...] = ()
    #: what several rules derive alike, kept for the rest of this run (see :mod:`mlorg.rules._facts`)
    memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def origins(self) -> Origins | None:
        """Where imported values came from (None when nothing was imported), built once per assessment."""
        from mlorg.provenance import Origins

        return Origins.of(self.spec)
