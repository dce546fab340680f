"""Find and score the survey answers that go with a spec.

Answers come from ``--survey FILE`` / ``assess(..., survey=...)`` when given, else from the spec's
``culture.survey`` path, read relative to the spec file. Answers passed in as :class:`Responses`
(the web app's database) are used as they are, and then the spec's path is never read: a spec
pasted into the web app cannot make the server open a file.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization
from mlorg.survey.responses import Responses, read_responses
from mlorg.survey.scoring import SurveyResult, score

SurveyInput = Responses | str | os.PathLike[str] | None


def survey_for(spec: Organization, index: SpecIndex, thresholds: Thresholds, given: SurveyInput) -> SurveyResult | None:
    """Score the answers for ``spec``, or ``None`` when there are none."""
    if isinstance(given, Responses):
        return score(given, thresholds)
    if given is not None:
        return score(read_responses(given, str(given), team_ids=index.teams), thresholds)
    relative = spec.culture.survey
    if relative is None:
        return None
    base = spec._base_dir
    path = Path(base) / relative if base is not None else Path(relative)
    spec_file = index.source.file if index.source else None
    label = (
        str(PurePosixPath(spec_file).parent / relative) if spec_file and not Path(relative).is_absolute() else relative
    )
    return score(read_responses(path, label, team_ids=index.teams), thresholds)
