"""Score survey answers: respondent means, team and organization aggregates, reliability, agreement.

Per instrument: each respondent's mean over the items they answered; team and organization means
and spread (standard deviation of respondents' means); Cronbach's alpha over respondents who
answered every item; per-item and per-construct means; a divergence flag for teams whose members
disagree widely. Two gates apply:

- **privacy floor** (``thresholds.privacy_floor``): no figure describes a group of fewer
  respondents. Teams below it are hidden, and if the hidden remainder of the organization could
  be worked out by subtracting the shown teams from the organization figure, the next-smallest
  teams are hidden too (secondary suppression). An organization below the floor shows counts only.
- **coverage** (``thresholds.culture_min_respondents``): fewer respondents lowers the stated
  confidence in proportion.

All arithmetic is vectorised with numpy, so 100,000 answers score in well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from mlorg.results import Result
from mlorg.settings import Thresholds
from mlorg.survey.catalog import Instrument, instruments
from mlorg.survey.responses import Responses

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

Coverage = Literal["sufficient", "low", "none"]


class GroupScore(Result):
    """One team's (or role's) figures on one instrument; only groups at or above the privacy floor appear."""

    group: str = Field(description="Team id or role id.")
    respondents: int
    mean: float
    spread: float | None = Field(None, description="Standard deviation of respondents' means (needs 2+).")
    divergent: bool = Field(False, description="Members disagree widely: spread at or above the divergence share.")


class ItemScore(Result):
    item: str
    answered: int
    mean: float | None = Field(None, description="Null when fewer than the privacy floor answered it.")


class ConstructScore(Result):
    """Mean agreement with the items that measure one construct (``star.processes``, ``maturity.building``)."""

    measure: str = Field(description="What the items measure, e.g. `star.processes`.")
    respondents: int
    mean: float | None = None
    normalized: float | None = Field(None, description="Mean mapped onto 0 (lowest point) to 1 (highest).")


class InstrumentScore(Result):
    instrument: str
    title: str
    scale: str = Field(description="`min-max` of the answer scale.")
    respondents: int = Field(description="Respondents who answered at least one item of this instrument.")
    mean: float | None = Field(None, description="Organization mean of respondents' means; null below the floor.")
    spread: float | None = None
    alpha: float | None = Field(None, description="Cronbach's alpha over complete answers; null if too few.")
    alpha_respondents: int = Field(0, description="Respondents who answered every item (alpha's basis).")
    coverage: Coverage
    confidence: float = Field(ge=0, le=1, description="Respondents over the coverage gate, capped at 1.")
    items: tuple[ItemScore, ...] = ()
    constructs: tuple[ConstructScore, ...] = ()
    teams: tuple[GroupScore, ...] = Field((), description="Teams at or above the privacy floor, by team id.")
    roles: tuple[GroupScore, ...] = Field((), description="Roles at or above the privacy floor, by role id.")
    hidden_teams: int = Field(0, description="Teams with answers whose figures the privacy floor hides.")
    divergent_teams: tuple[str, ...] = ()

    def team(self, team_id: str) -> GroupScore | None:
        return next((t for t in self.teams if t.group == team_id), None)

    def item(self, item_id: str) -> ItemScore | None:
        return next((i for i in self.items if i.item == item_id), None)


class SurveyResult(Result):
    """Survey evidence for the analyses and rules (``AnalysisContext.survey``)."""

    source: str = Field(description="Where the answers came from (CSV path as given, or the survey round).")
    respondents: int = Field(description="Rows of answers, whatever they answered.")
    privacy_floor: int
    min_respondents: int
    instruments: tuple[InstrumentScore, ...] = ()

    def instrument(self, instrument_id: str) -> InstrumentScore | None:
        return next((i for i in self.instruments if i.instrument == instrument_id), None)


def visible_groups(counts: Mapping[str, int], total: int, floor: int) -> set[str]:
    """Groups whose figures may be shown: each at or above ``floor``, and the hidden rest either
    empty or itself at or above ``floor`` (so no small group can be recovered by subtraction)."""
    if total < floor:
        return set()
    shown = {g for g, n in counts.items() if n >= floor}
    by_size = sorted(shown, key=lambda g: (counts[g], g))
    rest = total - sum(counts[g] for g in shown)
    while 0 < rest < floor and by_size:
        smallest = by_size.pop(0)
        shown.discard(smallest)
        rest += counts[smallest]
    return shown


def score(responses: Responses, thresholds: Thresholds) -> SurveyResult:
    """Score every instrument the responses touch, honouring the privacy floor."""
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


def _r(x: float) -> float:
    return round(float(x), 3)


def _score_instrument(inst: Instrument, res: Responses, cols: list[int], th: Thresholds) -> InstrumentScore:
    import numpy as np

    floor = th.privacy_floor
    item_ids = [res.items[c] for c in cols]
    block = res.values[:, cols]
    # Sums over items (a respondent's, an item's) are taken item-major: one row per item, each
    # respondent's sum an element-wise add of rows, a few times faster than summing along the rows.
    # The values are scale points, whole numbers, so those sums are exact in any order, and every
    # figure is bit for bit what summing along the rows gives. Means and spreads over respondents
    # are computed from the same arrays, in the same order, as before.
    by_item = np.ascontiguousarray(block.T)
    answered_by_item = ~np.isnan(by_item)
    filled_by_item = np.where(answered_by_item, by_item, 0.0)  # unanswered count as 0, as nansum does
    per_resp = answered_by_item.sum(axis=0)
    who = per_resp > 0
    n = int(who.sum())
    means = filled_by_item.sum(axis=0)[who] / per_resp[who]
    coverage: Coverage = "none" if n == 0 else ("low" if n < th.culture_min_respondents else "sufficient")
    confidence = min(1.0, n / th.culture_min_respondents)
    base = {
        "instrument": inst.id,
        "title": inst.title,
        "scale": inst.scale.describe(),
        "respondents": n,
        "coverage": coverage,
        "confidence": _r(confidence),
    }
    if n < floor:
        return InstrumentScore(**base)
    span = inst.scale.span
    complete = block[answered_by_item.all(axis=0)]
    alpha = _cronbach_alpha(complete) if complete.shape[0] >= max(floor, 3) else None
    teams = _groups(res.team[who], res.teams, means, n, floor, span * th.survey_divergence_share)
    roles = _groups(res.role[who], res.roles, means, n, floor, float("inf"))
    team_counts = np.bincount(res.team[who][res.team[who] >= 0], minlength=len(res.teams))
    return InstrumentScore(
        **base,
        mean=_r(means.mean()),
        spread=_r(means.std(ddof=1)) if n > 1 else None,
        alpha=None if alpha is None else _r(alpha),
        alpha_respondents=int(complete.shape[0]),
        items=_items(item_ids, filled_by_item, answered_by_item, floor),
        constructs=_constructs(inst, item_ids, filled_by_item, answered_by_item, floor),
        teams=teams,
        roles=roles,
        hidden_teams=int((team_counts > 0).sum()) - len(teams),
        divergent_teams=tuple(t.group for t in teams if t.divergent),
    )


def _cronbach_alpha(complete: NDArray[np.float64]) -> float | None:
    """k/(k-1) * (1 - sum of item variances / variance of the total score)."""
    k = complete.shape[1]
    total_var = complete.sum(axis=1).var(ddof=1)
    if k < 2 or total_var == 0:
        return None
    return float(k / (k - 1) * (1 - complete.var(axis=0, ddof=1).sum() / total_var))


def _groups(
    codes: NDArray[np.int64],
    names: tuple[str, ...],
    means: NDArray[np.float64],
    total: int,
    floor: int,
    divergence: float,
) -> tuple[GroupScore, ...]:
    import numpy as np

    if not names:
        return ()
    known = codes >= 0
    k = codes[known]
    m = means[known]
    counts = np.bincount(k, minlength=len(names))
    sums = np.bincount(k, weights=m, minlength=len(names))
    group_mean = np.divide(sums, counts, out=np.zeros(len(names)), where=counts > 0)
    dev2 = np.bincount(k, weights=(m - group_mean[k]) ** 2, minlength=len(names))
    shown = visible_groups({names[g]: int(counts[g]) for g in range(len(names)) if counts[g]}, total, floor)
    out = []
    for g, name in enumerate(names):
        if name not in shown:
            continue
        cnt = int(counts[g])
        spread = float(np.sqrt(dev2[g] / (cnt - 1))) if cnt > 1 else None
        out.append(
            GroupScore(
                group=name,
                respondents=cnt,
                mean=_r(group_mean[g]),
                spread=None if spread is None else _r(spread),
                divergent=spread is not None and spread >= divergence,
            )
        )
    return tuple(sorted(out, key=lambda s: s.group))


def _items(
    item_ids: list[str], filled: NDArray[np.float64], answered: NDArray[np.bool_], floor: int
) -> tuple[ItemScore, ...]:
    """Per item (``filled`` and ``answered`` item-major: one row per item, unanswered as 0)."""
    counts = answered.sum(axis=1)
    sums = filled.sum(axis=1)
    return tuple(
        ItemScore(item=i, answered=int(c), mean=_r(s / c) if c >= floor else None)
        for i, c, s in zip(item_ids, counts, sums, strict=True)
    )


def _constructs(
    inst: Instrument, item_ids: list[str], filled: NDArray[np.float64], answered: NDArray[np.bool_], floor: int
) -> tuple[ConstructScore, ...]:
    """Per construct: each respondent's mean over its items, then the mean of those (``filled`` and
    ``answered`` item-major, as for :func:`_items`)."""
    import numpy as np

    by_construct: dict[str, list[int]] = {}
    position = {item_id: j for j, item_id in enumerate(item_ids)}
    for item in inst.items:
        if item.id in position:
            for construct in item.measures:
                by_construct.setdefault(construct, []).append(position[item.id])
    out = []
    for construct, cols in sorted(by_construct.items()):
        cnt, sums = answered[cols[0]].astype(np.int64), filled[cols[0]].copy()
        for c in cols[1:]:  # row by row: no copy of the construct's rows
            cnt += answered[c]
            sums += filled[c]
        who = cnt > 0
        n = int(who.sum())
        if n < floor:
            out.append(ConstructScore(measure=construct, respondents=n))
            continue
        mean = float((sums[who] / cnt[who]).mean())
        normalized = (mean - inst.scale.min) / inst.scale.span
        out.append(ConstructScore(measure=construct, respondents=n, mean=_r(mean), normalized=_r(normalized)))
    return tuple(out)
