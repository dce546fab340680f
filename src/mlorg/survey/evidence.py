"""Find and score the survey answers that go with a spec.

Answers come from ``--survey FILE`` / ``assess(..., survey=...)`` when given, else from the spec's
``culture.survey`` path, read relative to the spec file and only inside its folder (or a folder the
command line allows with ``--allow-outside``; see :mod:`mlorg.files`). Answers passed in as :class:`Responses`
(the web app's database) are used as they are, and then the spec's path is never read: a spec
pasted into the web app cannot make the server open a file.
"""

from __future__ import annotations

import os

from mlorg.files import NamedAt, read_spec_path
from mlorg.settings import Thresholds
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import Organization
from mlorg.spec.source import format_path
from mlorg.survey.responses import LIMIT_HINT, MAX_BYTES, Responses, decode, parse_responses, read_responses
from mlorg.survey.scoring import SurveyResult, score

SurveyInput = SurveyResult | Responses | str | os.PathLike[str] | None
FIELD = ("culture", "survey")


def survey_for(spec: Organization, index: SpecIndex, thresholds: Thresholds, given: SurveyInput) -> SurveyResult | None:
    """Score the answers for ``spec``, or ``None`` when there are none.

    A :class:`SurveyResult` is taken as already scored (the web dashboard scores the answers for its
    own tables and passes the result on, scored with the same spec's thresholds).
    """
    if isinstance(given, SurveyResult):
        return given
    if isinstance(given, Responses):
        return score(given, thresholds)
    if given is not None:
        return score(read_responses(given, str(given), team_ids=index.teams), thresholds)
    relative = spec.culture.survey
    if relative is None:
        return None
    spec_file = index.source.file if index.source else "<spec>"
    at = NamedAt(spec_file, index.source.line(FIELD) if index.source else 0, format_path(FIELD))
    raw, label = read_spec_path(
        relative,
        spec._base_dir,
        at,
        max_bytes=MAX_BYTES,
        allow_outside=spec._allow_outside,
        limit_hint=LIMIT_HINT,
        what="CSV file",
    )
    return score(parse_responses(decode(raw, label), label, team_ids=index.teams), thresholds)
