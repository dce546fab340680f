"""Data readiness audit per model and per feature (tecton-embedded, rml-ch13).

For every feature: is it available where models serve, delivered fresh enough, and computable
at serving time (an unbounded lifetime aggregate is not, for an online model: we propose a
bounded window recomputed on a schedule)? Is its upstream owner in a forum with the teams
whose models eat it? For every model: do its features combine quasi-identifiers that can single
out a person, and does each model encode the business constraints that govern it (a constraint given
by name governs every demand-shaping model; a scoped one only the models or purposes it names)?
``None`` everywhere means the spec does not say, and a model whose ``features`` are not given has
unknown inputs, not none: nothing that rests on its feature list is concluded for it.

Linear: one pass over features, one over each model's feature list; forum membership is looked
up through per-team sets built once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, get_args

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.fast import build_many
from mlorg.results import Result
from mlorg.spec.index import SpecIndex
from mlorg.spec.models import BusinessConstraint, Feature, Freshness, Model, Strategy

#: Fastest first, in the schema's own order (realtime < hourly < daily < weekly < monthly < quarterly).
FRESHNESS_ORDER: dict[Freshness, int] = {value: rank for rank, value in enumerate(get_args(Freshness))}
ONLINE: frozenset[Freshness] = frozenset({"realtime", "hourly"})
#: Minutes per unit of a ``window`` duration (``15m``, ``6h``, ``30d``, ``12w``).
WINDOW_UNITS = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
#: How each refresh cadence reads in the proposed bounded-window alternative.
REFRESH_WORDS: dict[Freshness, str] = {
    "realtime": "continuously as events arrive",
    "hourly": "every hour in batch",
    "daily": "every day in batch",
    "weekly": "every week in batch",
    "monthly": "every month in batch",
    "quarterly": "every quarter in batch",
}
DEMAND_SHAPING = frozenset({"recommendation", "ranking", "pricing", "promotion"})
IDENTIFYING = frozenset({"personal", "sensitive"})
INACTIVE_STATUS = frozenset({"retired"})


class FeatureReadiness(Result):
    """What the audit found for one feature."""

    feature: str
    owner: str | None = None
    window: str | None = Field(None, description="Window of a windowed aggregate (`30d`; `window_days` read as days).")
    window_minutes: int | None = Field(None, description="The same window in minutes, for comparing windows.")
    used_by: tuple[str, ...] = ()
    available: bool | None = None
    fresh_enough: bool | None = None
    serving_feasible: bool | None = None
    alternative: str | None = None
    uncoordinated_models: tuple[str, ...] = ()
    uncoordinated_teams: tuple[str, ...] = ()


class ModelReadiness(Result):
    """What the audit found for one model's inputs."""

    model: str
    teams: tuple[str, ...] = ()
    features: tuple[str, ...] | None = Field(
        None, description="The model's features, or null when the spec does not list them (unknown, not none)."
    )
    unavailable: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    infeasible: tuple[str, ...] = ()
    uncoordinated: tuple[str, ...] = ()
    quasi_identifiers: tuple[str, ...] = ()
    identifying: tuple[str, ...] = ()
    unknown_sensitivity: tuple[str, ...] = ()
    singles_out: bool | None = None
    demand_shaping: bool | None = None
    constraints_governing: tuple[str, ...] = Field(
        (), description="Declared business constraints that govern this model (by name, purpose or model id)."
    )
    constraints_covered: tuple[str, ...] = ()
    constraints_missing: tuple[str, ...] = ()
    constraints_unknown: tuple[str, ...] = Field(
        (), description="Governing constraints not checked because the model's features are not given."
    )
    constraints_settled: bool = Field(
        True, description="False while the model's purpose is unknown and decides whether a constraint governs it."
    )
    ready: bool | None = None


class DataReadinessResult(Result):
    """Per-feature and per-model readiness, plus counts for the summary."""

    features: tuple[FeatureReadiness, ...] = ()
    models: tuple[ModelReadiness, ...] = ()
    declared_constraints: tuple[str, ...] | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    source: str = "tecton-embedded"


def fresh_enough(feature: Feature) -> bool | None:
    """Served at least as fresh as needed (realtime < hourly < daily < weekly < monthly < quarterly), or unknown."""
    if feature.freshness is None or feature.needed_freshness is None:
        return None
    return FRESHNESS_ORDER[feature.freshness] <= FRESHNESS_ORDER[feature.needed_freshness]


def serving_feasible(feature: Feature) -> bool | None:
    """An unbounded lifetime aggregate cannot be kept current for an online model."""
    if feature.transformation is None:
        return None
    if feature.transformation != "lifetime_aggregate":
        return True
    if feature.needed_freshness is None:
        return None
    return feature.needed_freshness not in ONLINE


def window_minutes(feature: Feature) -> int | None:
    """The feature's window in minutes, from ``window`` (``15m``, ``6h``, ``30d``, ``12w``) or ``window_days``."""
    if feature.window is not None:
        return int(feature.window[:-1]) * WINDOW_UNITS[feature.window[-1]]
    if feature.window_days is not None:
        return feature.window_days * WINDOW_UNITS["d"]
    return None


def window_text(feature: Feature) -> str | None:
    """The window as the spec gives it, with version 1's ``window_days: N`` read as ``Nd``."""
    if feature.window is not None:
        return feature.window
    return f"{feature.window_days}d" if feature.window_days is not None else None


def bounded_alternative(ctx: AnalysisContext) -> str:
    """What to serve instead of an unbounded aggregate (tecton-embedded: a bounded window refreshed on a schedule)."""
    t = ctx.thresholds
    return (
        f"the same aggregate over a bounded {t.bounded_window_days}-day window, recomputed "
        f"{REFRESH_WORDS[t.bounded_window_refresh]} and served from an online store"
    )


def constraint_names(strategy: Strategy) -> tuple[str, ...] | None:
    """Names of the declared business constraints, sorted and distinct; None when not stated."""
    declared = strategy.business_constraints
    if declared is None:
        return None
    return tuple(sorted({c if isinstance(c, str) else c.name for c in declared}))


def governing(declared: tuple[str | BusinessConstraint, ...], model: Model) -> tuple[tuple[str, ...], bool]:
    """The constraints that govern ``model``, and whether that list is certain.

    A constraint given by name alone governs every demand-shaping model; one given as a mapping
    governs only the models it names and the models whose purpose it names, whatever that purpose.
    A mapping that names neither governs nothing until its scope is known (the rule asks): reading
    it as "every model" would let deleting a scope add findings. The list is uncertain when the
    model's purpose is not given and some constraint depends on it.
    """
    shaping = None if model.purpose is None else model.purpose in DEMAND_SHAPING
    names: set[str] = set()
    certain = True
    for c in declared:
        if isinstance(c, str):
            if shaping:
                names.add(c)
            elif shaping is None:
                certain = False
            continue
        if model.id in (c.models or ()):
            names.add(c.name)
        elif c.purposes is not None:
            if model.purpose in c.purposes:
                names.add(c.name)
            elif model.purpose is None:
                certain = False
    return tuple(sorted(names)), certain


def unscoped(declared: tuple[str | BusinessConstraint, ...] | None) -> tuple[tuple[int, str], ...]:
    """Position and name of each constraint written as a mapping with neither ``models`` nor ``purposes``."""
    return tuple(
        (i, c.name)
        for i, c in enumerate(declared or ())
        if isinstance(c, BusinessConstraint) and c.models is None and c.purposes is None
    )


def model_teams(model: Model) -> tuple[str, ...]:
    """The team that uses a model's data: who built it (its design rests on what each feature means),
    else who runs it (rml-ch13: the modelling team is the one a silent upstream change hurts). A runner
    that meets no producer proves nothing while the builder is not given: :func:`builder_unknown`."""
    team = model.built_by or model.operated_by
    return (team,) if team else ()


def _forum_sets(idx: SpecIndex) -> dict[str, frozenset[str]]:
    """The forum ids of each team in a forum: two teams are coordinated when the sets meet."""
    return {team: frozenset(f.id for f in forums) for team, forums in idx.forums_by_team.items()}


def builder_unknown(idx: SpecIndex) -> list[str]:
    """Active models whose builder is not given and whose runner shares no forum with the producer of a
    feature they use: whether the modellers meet the producers turns on who built them (asked)."""
    in_forums = _forum_sets(idx)
    out = []
    for m in idx.spec.models:
        if m.built_by is not None or not m.operated_by or m.status in INACTIVE_STATUS or not m.features:
            continue
        theirs = in_forums.get(m.operated_by, frozenset())
        for fid in m.features:
            f = idx.features.get(fid)
            if (
                f is not None
                and f.owner not in (None, m.operated_by)
                and theirs.isdisjoint(in_forums.get(f.owner, frozenset()))
            ):
                out.append(m.id)
                break
    return out


def analyze(ctx: AnalysisContext) -> DataReadinessResult:
    idx = ctx.index
    spec_features = idx.features
    # forum ids per team, for the teams in a forum; a model's team and a feature's owner are coordinated
    # when one is the other or the two sets meet (one set test per model feature)
    in_forums = _forum_sets(idx)
    no_forums: frozenset[str] = frozenset()
    distinct = [tuple(dict.fromkeys(m.features)) if m.features else () for m in ctx.spec.models]
    used_by: dict[str, list[str]] = defaultdict(list)
    uncoordinated: dict[str, list[str]] = defaultdict(list)  # feature -> model ids
    uncoordinated_teams: dict[str, set[str]] = defaultdict(set)
    model_uncoordinated: dict[str, list[str]] = defaultdict(list)  # model -> feature ids
    for m, fids in zip(ctx.spec.models, distinct, strict=True):
        if m.status in INACTIVE_STATUS:
            continue
        mid = m.id
        team = m.built_by or m.operated_by  # `model_teams`: at most this one team
        if not team:
            for fid in fids:
                used_by[fid].append(mid)
            continue
        theirs = in_forums.get(team, no_forums)
        for fid in fids:
            used_by[fid].append(mid)
            f = spec_features.get(fid)
            if f is None:
                continue
            owner = f.owner
            if owner is None or owner == team:
                continue
            if theirs.isdisjoint(in_forums.get(owner, no_forums)):
                if m.built_by is None:
                    continue  # only the runner is known not to meet them; who built it is asked
                uncoordinated[fid].append(mid)
                uncoordinated_teams[fid].add(team)
                model_uncoordinated[mid].append(fid)

    alternative = bounded_alternative(ctx)
    rank = FRESHNESS_ORDER
    rows: list[dict[str, object]] = []  # each feature's result, built at once below (build_many)
    # per feature, what each model's check reads: the feature, its sensitivity, available, fresh, feasible
    checked: dict[str, _Checked] = {}
    unavailable = stale = infeasible = uncoordinated_n = 0
    none: tuple[str, ...] = ()
    for f in ctx.spec.features:
        # fresh_enough, serving_feasible, window_text and window_minutes, inlined (50,000 features at 100k people)
        have, need, how = f.freshness, f.needed_freshness, f.transformation
        fresh = None if have is None or need is None else rank[have] <= rank[need]
        if how is None:
            feasible = None
        elif how != "lifetime_aggregate":
            feasible = True
        else:
            feasible = None if need is None else need not in ONLINE
        window: str | None = f.window
        minutes: int | None = None
        if window is not None:
            minutes = int(window[:-1]) * WINDOW_UNITS[window[-1]]
        elif f.window_days is not None:
            window = f"{f.window_days}d"
            minutes = f.window_days * WINDOW_UNITS["d"]
        fid = f.id
        users = used_by.get(fid)
        wrong = uncoordinated.get(fid)
        available = f.in_production
        rows.append(
            {
                "feature": fid,
                "owner": f.owner,
                "window": window,
                "window_minutes": minutes,
                "used_by": tuple(sorted(users)) if users else none,
                "available": available,
                "fresh_enough": fresh,
                "serving_feasible": feasible,
                "alternative": alternative if feasible is False else None,
                "uncoordinated_models": tuple(sorted(wrong)) if wrong else none,
                "uncoordinated_teams": tuple(sorted(uncoordinated_teams[fid])) if wrong else none,
            }
        )
        checked[fid] = (f, f.sensitivity, available, fresh, feasible)
        if available is False:
            unavailable += 1
        if fresh is False:
            stale += 1
        if feasible is False:
            infeasible += 1
        if wrong:
            uncoordinated_n += 1

    features = build_many(FeatureReadiness, rows)
    declared = ctx.spec.strategy.business_constraints
    models = build_many(
        ModelReadiness,
        [
            _model_readiness(ctx, m, fids, checked, declared, _sorted(model_uncoordinated.get(m.id)))
            for m, fids in zip(ctx.spec.models, distinct, strict=True)
        ],
    )
    counts = {
        "features": len(features),
        "unavailable": unavailable,
        "stale": stale,
        "infeasible": infeasible,
        "uncoordinated": uncoordinated_n,
        "models": len(models),
        "models_ready": sum(1 for m in models if m.ready is True),
        "models_singling_out": sum(1 for m in models if m.singles_out is True),
        "models_missing_constraints": sum(1 for m in models if m.constraints_missing),
        "models_features_unknown": sum(1 for m in models if m.features is None),
    }
    return DataReadinessResult(
        features=tuple(features),
        models=tuple(models),
        declared_constraints=constraint_names(ctx.spec.strategy),
        counts=counts,
    )


#: What a model's check reads of one feature: the feature, its sensitivity, and its readiness answers.
_Checked = tuple[Feature, str | None, bool | None, bool | None, bool | None]


def _model_readiness(
    ctx: AnalysisContext,
    m: Model,
    fids: tuple[str, ...],
    checked: dict[str, _Checked],
    declared: tuple[str | BusinessConstraint, ...] | None,
    uncoordinated: tuple[str, ...],
) -> dict[str, Any]:
    """The fields of one model's :class:`ModelReadiness`; ``fids``: the model's features, each once, in order."""
    known = m.features is not None
    feats: list[Feature] = []
    quasi: list[str] = []
    identifying: list[str] = []
    unknown_sens: list[str] = []
    unavailable: list[str] = []
    stale: list[str] = []
    infeasible: list[str] = []
    unknown = False
    for fid in fids:
        found = checked.get(fid)
        if found is None:
            continue
        f, sensitivity, available, fresh, feasible = found
        feats.append(f)
        if sensitivity == "quasi_identifier":
            quasi.append(fid)
        elif sensitivity is None:
            unknown_sens.append(fid)
        elif sensitivity in IDENTIFYING:
            identifying.append(fid)
        if available is False:
            unavailable.append(fid)
        if fresh is False:
            stale.append(fid)
        if feasible is False:
            infeasible.append(fid)
        if available is None or fresh is None or feasible is None:
            unknown = True
    quasi.sort()
    combo = len(quasi) > ctx.thresholds.quasi_identifier_max or (bool(quasi) and bool(identifying))
    # features not given: no combination is proven, and none is ruled out
    singles_out: bool | None = True if combo else (None if unknown_sens or not known else False)

    shaping = None if m.purpose is None else m.purpose in DEMAND_SHAPING
    wanted, settled = governing(declared, m) if declared else ((), True)
    covered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    if wanted and known:
        represented = {c for f in feats for c in (f.represents or ())}
        covered = tuple(c for c in wanted if c in represented)
        gaps = tuple(c for c in wanted if c not in represented)
        any_mode = ctx.thresholds.business_constraints_coverage == "any"
        missing = () if any_mode and covered else gaps

    blocking = unavailable or stale or infeasible
    ready: bool | None = False if blocking else (None if unknown or not feats else True)
    return {
        "model": m.id,
        "teams": model_teams(m),
        "features": fids if known else None,
        "unavailable": _sorted(unavailable),
        "stale": _sorted(stale),
        "infeasible": _sorted(infeasible),
        "uncoordinated": uncoordinated,
        "quasi_identifiers": tuple(quasi),
        "identifying": _sorted(identifying),
        "unknown_sensitivity": _sorted(unknown_sens),
        "singles_out": singles_out,
        "demand_shaping": shaping,
        "constraints_governing": wanted,
        "constraints_covered": covered,
        "constraints_missing": missing,
        "constraints_unknown": () if known else wanted,
        "constraints_settled": settled,
        "ready": ready,
    }


def _sorted(ids: list[str] | None) -> tuple[str, ...]:
    if ids:
        ids.sort()
        return tuple(ids)
    return ()
