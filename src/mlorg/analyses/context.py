"""What every analysis receives."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization

if TYPE_CHECKING:
    from mlorg.survey.scoring import SurveyResult


@dataclass(frozen=True)
class AnalysisContext:
    """``survey`` is the scored staff survey, or None without one.

    Consumers read ``survey.instrument("westrum")`` / ``survey.instrument("ml_org")`` (an
    :class:`~mlorg.survey.scoring.InstrumentScore`): ``constructs`` gives mean agreement per
    ``maturity.<stage>`` and ``star.<point>`` (``normalized`` on 0-1), ``items`` per item,
    ``teams`` per team. Every figure is already filtered by the privacy floor; a ``None`` mean
    means "too few answers to show", never "no".
    """

    spec: Organization
    index: SpecIndex
    thresholds: Thresholds
    survey: SurveyResult | None = None
