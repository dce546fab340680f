"""What every analysis receives."""

from __future__ import annotations

from dataclasses import dataclass

from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization


@dataclass(frozen=True)
class AnalysisContext:
    spec: Organization
    index: SpecIndex
    thresholds: Thresholds
