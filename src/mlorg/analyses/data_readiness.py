"""Data readiness audit per model and per feature (tecton-embedded, rml-ch13).

For every feature: is it available where models serve, delivered fresh enough, and computable
at serving time (an unbounded lifetime aggregate is not, for an online model: we propose a
bounded window recomputed on a schedule)? Is its upstream owner in a forum with the teams
whose models eat it? For every model: do its features combine quasi-identifiers that can single
out a person, and does a demand-shaping model encode the business constraints the organization
declared? ``None`` everywhere means the spec does not say.

Linear: one pass over features, one over each model's feature list; forum membership is looked
up through per-team sets built once.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import Field

from mlorg.analyses.context import AnalysisContext
from mlorg.results import Result
from mlorg.spec.models import Feature, Freshness, Model, constraint_names

FRESHNESS_ORDER: dict[Freshness, int] = {"realtime": 0, "hourly": 1, "daily": 2, "weekly": 3}
ONLINE: frozenset[Freshness] = frozenset({"realtime", "hourly"})
DEMAND_SHAPING = frozenset({"recommendation", "ranking", "pricing", "promotion"})
IDENTIFYING = frozenset({"personal", "sensitive"})
INACTIVE_STATUS = frozenset({"retired"})


class FeatureReadiness(Result):
    """What the audit found for one feature."""

    feature: str
    owner: str | None = None
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
    features: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    infeasible: tuple[str, ...] = ()
    uncoordinated: tuple[str, ...] = ()
    quasi_identifiers: tuple[str, ...] = ()
    identifying: tuple[str, ...] = ()
    unknown_sensitivity: tuple[str, ...] = ()
    singles_out: bool | None = None
    demand_shaping: bool | None = None
    constraints_covered: tuple[str, ...] = ()
    constraints_missing: tuple[str, ...] = ()
    ready: bool | None = None


class DataReadinessResult(Result):
    """Per-feature and per-model readiness, plus counts for the summary."""

    features: tuple[FeatureReadiness, ...] = ()
    models: tuple[ModelReadiness, ...] = ()
    declared_constraints: tuple[str, ...] | None = None
    counts: dict[str, int] = Field(default_factory=dict)
    source: str = "tecton-embedded"


def fresh_enough(feature: Feature) -> bool | None:
    """Served at least as fresh as needed (realtime < hourly < daily < weekly), or unknown."""
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


def bounded_alternative(ctx: AnalysisContext) -> str:
    t = ctx.thresholds
    return (
        f"the same aggregate over a bounded {t.bounded_window_days}-day window, recomputed "
        f"{t.bounded_window_refresh} in batch and served from an online store"
    )


def model_teams(model: Model) -> tuple[str, ...]:
    """Teams responsible for a model: who built it and who runs it."""
    return tuple(sorted({t for t in (model.built_by, model.operated_by) if t}))


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

    declared = constraint_names(ctx.spec.strategy.business_constraints)
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
    }
    return DataReadinessResult(
        features=tuple(features),
        models=tuple(models),
        declared_constraints=tuple(sorted(set(declared))) if declared is not None else None,
        counts=counts,
    )


def _model_readiness(
    ctx: AnalysisContext,
    m: Model,
    by_id: dict[str, FeatureReadiness],
    declared: tuple[str, ...] | None,
    uncoordinated: tuple[str, ...],
) -> ModelReadiness:
    fids = tuple(dict.fromkeys(m.features or ()))
    feats = [ctx.index.features[f] for f in fids if f in ctx.index.features]
    checks = [by_id[f] for f in fids if f in by_id]
    quasi = tuple(sorted(f.id for f in feats if f.sensitivity == "quasi_identifier"))
    identifying = tuple(sorted(f.id for f in feats if f.sensitivity in IDENTIFYING))
    unknown_sens = tuple(sorted(f.id for f in feats if f.sensitivity is None))
    combo = len(quasi) > ctx.thresholds.quasi_identifier_max or (bool(quasi) and bool(identifying))
    singles_out: bool | None = True if combo else (None if unknown_sens else False)

    shaping = None if m.purpose is None else m.purpose in DEMAND_SHAPING
    covered: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    if shaping and declared:
        represented = {c for f in feats for c in (f.represents or ())}
        wanted = sorted(set(declared))
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
        features=fids,
        unavailable=unavailable,
        stale=stale,
        infeasible=infeasible,
        uncoordinated=uncoordinated,
        quasi_identifiers=quasi,
        identifying=identifying,
        unknown_sensitivity=unknown_sens,
        singles_out=singles_out,
        demand_shaping=shaping,
        constraints_covered=covered,
        constraints_missing=missing,
        ready=ready,
    )
