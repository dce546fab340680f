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
from typing import get_args

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Result
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
    else who runs it (rml-ch13: the modelling team is the one a silent upstream change hurts)."""
    team = model.built_by or model.operated_by
    return (team,) if team else ()


class _Forums:
    """Forum ids per team, built lazily once per team so each lookup is O(1) on average."""

    def __init__(self, ctx: AnalysisContext) -> None:
        self._by_team = ctx.index.forums_by_team
        self._cache: dict[str, frozenset[str]] = {}

    def of(self, team: str) -> frozenset[str]:
        got = self._cache.get(team)
        if got is None:
            got = frozenset(f.id for f in self._by_team.get(team, ()))
            self._cache[team] = got
        return got

    def coordinated(self, owner: str, teams: tuple[str, ...]) -> bool:
        """The owner is one of the teams, or shares a forum with at least one of them."""
        if owner in teams:
            return True
        mine = self.of(owner)
        return any(not mine.isdisjoint(self.of(t)) for t in teams)


def analyze(ctx: AnalysisContext) -> DataReadinessResult:
    idx = ctx.index
    used_by: dict[str, list[str]] = defaultdict(list)
    active = [m for m in ctx.spec.models if m.status not in INACTIVE_STATUS]
    for m in active:
        for fid in dict.fromkeys(m.features or ()):
            used_by[fid].append(m.id)

    forums = _Forums(ctx)
    uncoordinated: dict[str, list[str]] = defaultdict(list)  # feature -> model ids
    uncoordinated_teams: dict[str, set[str]] = defaultdict(set)
    model_uncoordinated: dict[str, list[str]] = defaultdict(list)  # model -> feature ids
    for m in active:
        teams = model_teams(m)
        if not teams:
            continue
        for fid in dict.fromkeys(m.features or ()):
            f = idx.features.get(fid)
            if f is None or f.owner is None:
                continue
            if not forums.coordinated(f.owner, teams):
                uncoordinated[fid].append(m.id)
                uncoordinated_teams[fid].update(teams)
                model_uncoordinated[m.id].append(fid)

    alternative = bounded_alternative(ctx)
    features: list[FeatureReadiness] = []
    by_id: dict[str, FeatureReadiness] = {}
    for f in ctx.spec.features:
        feasible = serving_feasible(f)
        fr = FeatureReadiness(
            feature=f.id,
            owner=f.owner,
            window=window_text(f),
            window_minutes=window_minutes(f),
            used_by=tuple(sorted(used_by.get(f.id, ()))),
            available=f.in_production,
            fresh_enough=fresh_enough(f),
            serving_feasible=feasible,
            alternative=alternative if feasible is False else None,
            uncoordinated_models=tuple(sorted(uncoordinated.get(f.id, ()))),
            uncoordinated_teams=tuple(sorted(uncoordinated_teams.get(f.id, ()))),
        )
        features.append(fr)
        by_id[f.id] = fr

    declared = ctx.spec.strategy.business_constraints
    models = [
        _model_readiness(ctx, m, by_id, declared, tuple(sorted(model_uncoordinated.get(m.id, ()))))
        for m in ctx.spec.models
    ]
    counts = {
        "features": len(features),
        "unavailable": sum(1 for f in features if f.available is False),
        "stale": sum(1 for f in features if f.fresh_enough is False),
        "infeasible": sum(1 for f in features if f.serving_feasible is False),
        "uncoordinated": sum(1 for f in features if f.uncoordinated_models),
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


def _model_readiness(
    ctx: AnalysisContext,
    m: Model,
    by_id: dict[str, FeatureReadiness],
    declared: tuple[str | BusinessConstraint, ...] | None,
    uncoordinated: tuple[str, ...],
) -> ModelReadiness:
    known = m.features is not None
    fids = tuple(dict.fromkeys(m.features or ()))
    feats = [ctx.index.features[f] for f in fids if f in ctx.index.features]
    checks = [by_id[f] for f in fids if f in by_id]
    quasi = tuple(sorted(f.id for f in feats if f.sensitivity == "quasi_identifier"))
    identifying = tuple(sorted(f.id for f in feats if f.sensitivity in IDENTIFYING))
    unknown_sens = tuple(sorted(f.id for f in feats if f.sensitivity is None))
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

    unavailable = tuple(sorted(c.feature for c in checks if c.available is False))
    stale = tuple(sorted(c.feature for c in checks if c.fresh_enough is False))
    infeasible = tuple(sorted(c.feature for c in checks if c.serving_feasible is False))
    blocking = unavailable or stale or infeasible
    unknown = any(c.available is None or c.fresh_enough is None or c.serving_feasible is None for c in checks)
    ready: bool | None = False if blocking else (None if unknown or not checks else True)
    return ModelReadiness(
        model=m.id,
        teams=model_teams(m),
        features=fids if known else None,
        unavailable=unavailable,
        stale=stale,
        infeasible=infeasible,
        uncoordinated=uncoordinated,
        quasi_identifiers=quasi,
        identifying=identifying,
        unknown_sensitivity=unknown_sens,
        singles_out=singles_out,
        demand_shaping=shaping,
        constraints_governing=wanted,
        constraints_covered=covered,
        constraints_missing=missing,
        constraints_unknown=() if known else wanted,
        constraints_settled=settled,
        ready=ready,
    )
