"""Scoring as it was before sums over items were taken item-major (issue 14): the reference that
:func:`mlorg.survey.scoring.score` must equal, figure for figure and bit for bit.

Only the parts that changed are copied; groups, alpha and the result models are the module's own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mlorg.settings import Thresholds
from mlorg.survey.catalog import Instrument, instruments
from mlorg.survey.responses import Responses
from mlorg.survey.scoring import (
    ConstructScore,
    Coverage,
    InstrumentScore,
    ItemScore,
    SurveyResult,
    _cronbach_alpha,
    _groups,
    _r,
)


def score(responses: Responses, thresholds: Thresholds) -> SurveyResult:
    col = {item_id: j for j, item_id in enumerate(responses.items)}
    scored = []
    for inst in instruments():
        cols = [col[i.id] for i in inst.items if i.id in col]
        if cols:
            scored.append(_score_instrument(inst, responses, cols, thresholds))
    return SurveyResult(
        source=responses.label,
        respondents=responses.count,
        privacy_floor=thresholds.privacy_floor,
        min_respondents=thresholds.culture_min_respondents,
        instruments=tuple(scored),
    )


def _score_instrument(inst: Instrument, res: Responses, cols: list[int], th: Thresholds) -> InstrumentScore:
    floor = th.privacy_floor
    item_ids = [res.items[c] for c in cols]
    block = res.values[:, cols]
    answered = ~np.isnan(block)
    per_resp = answered.sum(axis=1)
    who = per_resp > 0
    n = int(who.sum())
    means = np.nansum(block[who], axis=1) / per_resp[who]
    coverage: Coverage = "none" if n == 0 else ("low" if n < th.culture_min_respondents else "sufficient")
    base: dict[str, Any] = {
        "instrument": inst.id,
        "title": inst.title,
        "scale": inst.scale.describe(),
        "respondents": n,
        "coverage": coverage,
        "confidence": _r(min(1.0, n / th.culture_min_respondents)),
    }
    if n < floor:
        return InstrumentScore(**base)
    complete = block[answered.all(axis=1)]
    alpha = _cronbach_alpha(complete) if complete.shape[0] >= max(floor, 3) else None
    teams = _groups(res.team[who], res.teams, means, n, floor, inst.scale.span * th.survey_divergence_share)
    roles = _groups(res.role[who], res.roles, means, n, floor, float("inf"))
    team_counts = np.bincount(res.team[who][res.team[who] >= 0], minlength=len(res.teams))
    counts, sums = answered.sum(axis=0), np.nansum(block, axis=0)
    items = tuple(
        ItemScore(item=i, answered=int(c), mean=_r(s / c) if c >= floor else None)
        for i, c, s in zip(item_ids, counts, sums, strict=True)
    )
    return InstrumentScore(
        **base,
        mean=_r(means.mean()),
        spread=_r(means.std(ddof=1)) if n > 1 else None,
        alpha=None if alpha is None else _r(alpha),
        alpha_respondents=int(complete.shape[0]),
        items=items,
        constructs=_constructs(inst, item_ids, block, answered, floor),
        teams=teams,
        roles=roles,
        hidden_teams=int((team_counts > 0).sum()) - len(teams),
        divergent_teams=tuple(t.group for t in teams if t.divergent),
    )


def _constructs(
    inst: Instrument, item_ids: list[str], block: Any, answered: Any, floor: int
) -> tuple[ConstructScore, ...]:
    by_construct: dict[str, list[int]] = {}
    position = {item_id: j for j, item_id in enumerate(item_ids)}
    for item in inst.items:
        if item.id in position:
            for construct in item.measures:
                by_construct.setdefault(construct, []).append(position[item.id])
    out = []
    for construct, cols in sorted(by_construct.items()):
        sub, ans = block[:, cols], answered[:, cols]
        cnt = ans.sum(axis=1)
        who = cnt > 0
        n = int(who.sum())
        if n < floor:
            out.append(ConstructScore(measure=construct, respondents=n))
            continue
        mean = float((np.nansum(sub[who], axis=1) / cnt[who]).mean())
        normalized = (mean - inst.scale.min) / inst.scale.span
        out.append(ConstructScore(measure=construct, respondents=n, mean=_r(mean), normalized=_r(normalized)))
    return tuple(out)
