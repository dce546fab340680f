"""Rules about the data models eat: availability, freshness, serving cost, privacy, upstream coordination
and business constraints.

They read the data readiness audit (``analyses.data_readiness``). Questions are asked only about
features some active model uses, so a large feature catalogue does not drown the report. A model
whose ``features`` are not given has unknown inputs (``features: []`` means none): a rule that
needs them asks for them, in one shared question per model, instead of concluding anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from mlorg.rules import _trusted as trusted
from mlorg.rules._facts import list_question
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

if TYPE_CHECKING:
    from mlorg.analyses.data_readiness import FeatureReadiness

_SENSITIVITY = attrgetter("sensitivity")


@rule(
    "feature-unavailable-in-production",
    severity="high",
    source="tecton-embedded",
    summary="A feature exists in the warehouse but not where models serve.",
    flags="A feature with `in_production: false` that an active model uses, or that no model uses yet.",
    why=(
        "A model trained on data the serving path cannot get either never ships or ships months late, "
        "after engineers build infrastructure nobody planned. Often a feature that is available would have "
        "done nearly as well, had anyone asked early."
    ),
    example="""
features:
  - {id: vendor_score, in_production: false}
""",
    remedy=(
        "Before training on a feature, check it can be served; if it cannot, choose one that can, or plan "
        "and fund the pipeline that brings it to production as part of the project."
    ),
)
def feature_unavailable(ctx: RuleContext) -> Iterator[Hit | Question]:
    retired_only = _retired_only(ctx)
    path = ctx.index.path
    for f in _notable(ctx).unavailable:
        if f.available is None:
            if f.used_by:
                yield Question(
                    path("features", f.feature, "in_production"),
                    f"Is feature '{f.feature}' available where models serve?",
                )
            continue
        if f.available or f.feature in retired_only:
            continue
        users = f"used by {_quoted(f.used_by, 'model')}" if f.used_by else "not used by any model yet"
        yield Hit(
            f"feature:{f.feature}",
            f"Feature '{f.feature}' is not available in production ({users}).",
            (trusted.evidence(path("features", f.feature, "in_production"), False),),
        )


@dataclass(frozen=True)
class _Notable:
    """The features each rule of this family may speak of, in spec order, found in one pass over the
    audit (a catalogue runs to 50,000 features, and reading each is most of the cost); each rule still
    decides about every feature it is given as it would over the whole catalogue."""

    unavailable: list[FeatureReadiness] = field(default_factory=list)
    stale: list[FeatureReadiness] = field(default_factory=list)
    unbounded: list[FeatureReadiness] = field(default_factory=list)
    upstream: list[FeatureReadiness] = field(default_factory=list)


def _notable(ctx: RuleContext) -> _Notable:
    out: _Notable | None = ctx.memo.get("notable_features")
    if out is not None:
        return out
    out = _Notable()
    unavailable, stale, unbounded, upstream = out.unavailable, out.stale, out.unbounded, out.upstream
    for f in ctx.analyses.data_readiness.features:
        used = f.used_by
        available = f.available
        if (available is None and used) or (available is not None and not available):
            unavailable.append(f)
        fresh = f.fresh_enough
        if fresh is False or (fresh is None and used):
            stale.append(f)
        feasible = f.serving_feasible
        if feasible is False or (feasible is None and used):
            unbounded.append(f)
        if f.uncoordinated_models or (f.owner is None and used):
            upstream.append(f)
    ctx.memo["notable_features"] = out
    return out


def _retired_only(ctx: RuleContext) -> set[str]:
    """Features only retired models use: their absence in production no longer matters."""
    active = {f for m in ctx.spec.models if m.status != "retired" for f in m.features or ()}
    return {f for m in ctx.spec.models if m.status == "retired" for f in m.features or ()} - active


@rule(
    "feature-too-stale",
    severity="medium",
    source="tecton-embedded",
    summary="A feature is delivered less fresh than its model needs.",
    flags=(
        "A feature whose `freshness` is slower than its `needed_freshness` "
        "(realtime < hourly < daily < weekly < monthly < quarterly)."
    ),
    why=(
        "A model that expects recent events but is fed yesterday's data scores a world that has moved on. "
        "The gap does not show in offline evaluation, only as weaker results after launch."
    ),
    example="""
features:
  - {id: recent_clicks, freshness: daily, needed_freshness: realtime}
""",
    remedy=(
        "Either build the streaming or more frequent pipeline the model needs, or retrain the model on the "
        "freshness production can actually deliver."
    ),
)
def feature_too_stale(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for f in _notable(ctx).stale:
        if f.fresh_enough is False:
            spec = ctx.index.features[f.feature]
            at = path("features", f.feature)
            yield Hit(
                f"feature:{f.feature}",
                f"Feature '{f.feature}' is delivered {spec.freshness} but needed {spec.needed_freshness}.",
                (
                    trusted.evidence(f"{at}.freshness", spec.freshness),
                    trusted.evidence(f"{at}.needed_freshness", spec.needed_freshness),
                ),
            )
        elif f.fresh_enough is None and f.used_by:
            spec = ctx.index.features[f.feature]
            missing = "needed_freshness" if spec.needed_freshness is None else "freshness"
            yield Question(
                path("features", f.feature, missing),
                f"How fresh is feature '{f.feature}' when served, and how fresh do its models need it?",
            )


@rule(
    "unbounded-aggregate-feature",
    severity="medium",
    source="tecton-embedded",
    summary="An online feature is an unbounded lifetime aggregate, costly or impossible to compute at serving time.",
    flags="A feature with `transformation: lifetime_aggregate` needed `realtime` or `hourly`.",
    why=(
        "An aggregate over all of history is one query in the warehouse but a long-running, ever-growing "
        "pipeline in production. Teams end up cutting corners to serve it, and the served value no longer "
        "matches what the model was trained on."
    ),
    example="""
features:
  - {id: lifetime_orders, transformation: lifetime_aggregate, needed_freshness: realtime}
""",
    remedy=(
        "Replace it with a bounded window (by default a 365-day aggregate recomputed daily), which usually "
        "predicts about as well for a fraction of the cost; train and serve on the same definition."
    ),
)
def unbounded_aggregate(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for f in _notable(ctx).unbounded:
        if f.serving_feasible is False:
            spec = ctx.index.features[f.feature]
            at = path("features", f.feature)
            yield Hit(
                f"feature:{f.feature}",
                f"Feature '{f.feature}' aggregates over all history but is needed {spec.needed_freshness}.",
                (
                    trusted.evidence(f"{at}.transformation", spec.transformation),
                    trusted.evidence(f"{at}.needed_freshness", spec.needed_freshness),
                ),
                remedy=f"Serve {f.alternative} instead, and retrain on that same definition.",
            )
        elif f.serving_feasible is None and f.used_by:
            spec = ctx.index.features[f.feature]
            missing = "transformation" if spec.transformation is None else "needed_freshness"
            yield Question(
                path("features", f.feature, missing),
                f"How is feature '{f.feature}' computed, and how fresh must it be when served?",
            )


@rule(
    "quasi-identifier-combination",
    severity="critical",
    source="rml-ch13",
    summary="A model combines quasi-identifiers that together can single out a person.",
    flags=(
        "An active model with more than `quasi_identifier_max` (default 1) quasi-identifier features, or a "
        "quasi-identifier together with a personal or sensitive feature."
    ),
    why=(
        "Each input may look harmless alone: a browser string, a rough location. Together they can pin down "
        "one individual, so the model can target people in ways privacy policy and the law forbid, and the "
        "team that added the second input may not know about the first."
    ),
    example="""
teams:
  - {id: recs, kind: ml}
models:
  - {id: ranker, status: production, built_by: recs, features: [ua, geo]}
features:
  - {id: ua, sensitivity: quasi_identifier}
  - {id: geo, sensitivity: quasi_identifier}
""",
    remedy=(
        "Coarsen or drop one of the inputs (for example keep only browser family and platform), and have "
        "privacy review any change to a quasi-identifying feature before models pick it up."
    ),
)
def quasi_identifier_combination(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    models = ctx.index.models
    features = ctx.index.features
    possible = _combination_possible(ctx)
    for m in ctx.analyses.data_readiness.models:
        if models[m.model].status == "retired":
            continue
        if m.features is None:
            if possible:
                yield features_question(ctx, m.model)
            continue
        if m.singles_out:
            combined = (*m.quasi_identifiers, *m.identifying)
            yield Hit(
                f"model:{m.model}",
                f"Model '{m.model}' combines {', '.join(combined)}, which together can single out a person.",
                tuple(trusted.evidence(path("features", f, "sensitivity"), features[f].sensitivity) for f in combined),
            )
        elif m.singles_out is None and (m.quasi_identifiers or m.identifying):
            for f in m.unknown_sensitivity:
                yield Question(
                    path("features", f, "sensitivity"),
                    f"Is feature '{f}' (used by model '{m.model}') personal or quasi-identifying data?",
                )


@rule(
    "uncoordinated-upstream-data",
    severity="high",
    source="rml-ch13",
    summary="A feature is produced by a team that shares no forum with the teams whose models use it.",
    flags=(
        "A feature whose `owner` team is not the team that built a model using it and shares no `forums` "
        "entry with it. A model whose builder is not given is read through the team that runs it: a runner "
        "that meets the producer clears it, and one that does not gets a question about who built the model."
    ),
    why=(
        "Upstream teams change what they log for their own good reasons. If they never meet the people "
        "whose models eat that data, a change such as logging a fuller browser string silently flows into "
        "models, and can break them or turn them into a privacy problem."
    ),
    example="""
teams:
  - {id: recs, kind: ml}
  - {id: web, kind: design}
forums: []
models:
  - {id: ranker, status: production, built_by: recs, features: [ua]}
features:
  - {id: ua, owner: web}
""",
    remedy=(
        "Bring the producing team into a forum with the model teams (an integration point or data review) "
        "and agree that changes to the feature's data are announced there before they ship."
    ),
)
def uncoordinated_upstream(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    # "shares no forum" rests on the forum list being the full account
    if "forums" not in ctx.spec.model_fields_set:
        unsure: Question | None = Question("forums", "Which recurring forums exist, and which teams take part?")
    else:
        unsure = list_question(ctx, "forums")
    for f in _notable(ctx).upstream:
        if f.uncoordinated_models and unsure is not None:
            yield unsure
        elif f.uncoordinated_models:
            teams = _quoted(f.uncoordinated_teams, "team")
            yield Hit(
                f"feature:{f.feature}",
                f"Feature '{f.feature}' comes from team '{f.owner}', which shares no forum with "
                f"{teams}, which use it in {_quoted(f.uncoordinated_models, 'model')}.",
                (
                    trusted.evidence(path("features", f.feature, "owner"), f.owner),
                    trusted.noted("forums", None, f"no forum includes both '{f.owner}' and {teams}"),
                ),
            )
        elif f.owner is None and f.used_by:
            yield Question(path("features", f.feature, "owner"), f"Which team produces the data for '{f.feature}'?")
    if unsure is None:
        from mlorg.analyses.data_readiness import builder_unknown  # here, so `mlorg rules` imports no analyses

        for model in builder_unknown(ctx.index):
            yield Question(
                path("models", model, "built_by"),
                f"Which team built model '{model}'? Its runner shares no forum with the teams that produce its data.",
            )


def _combination_possible(ctx: RuleContext) -> bool:
    """Could a model whose features are not given combine quasi-identifiers? Only if the catalogue
    holds enough of them (or the features list is marked partial, so unlisted ones may exist)."""
    if ctx.spec.lists.features == "partial":
        return True
    levels = list(map(_SENSITIVITY, ctx.spec.features))  # counted in C: catalogues run to 50,000 features
    quasi = levels.count("quasi_identifier")
    identifying = "personal" in levels or "sensitive" in levels
    return quasi > ctx.thresholds.quasi_identifier_max or (quasi > 0 and identifying)


def features_question(ctx: RuleContext, model: str) -> Question:
    """The one question every feature-based rule asks about a model whose features are not given."""
    return Question(
        ctx.index.path("models", model, "features"),
        f"Which features does model '{model}' use? (Write `features: []` if it uses none.)",
    )


def _quoted(ids: tuple[str, ...], noun: str, limit: int = 5) -> str:
    """``team 'a'`` or ``teams 'a', 'b' and 3 more``: short even when thousands of models share a feature."""
    if len(ids) == 1:  # the usual case, without the join
        return f"{noun} '{ids[0]}'"
    shown = ", ".join(f"'{i}'" for i in ids[:limit])
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return f"{noun}{'s' if len(ids) > 1 else ''} {shown}{more}"


@rule(
    "missing-business-constraints",
    severity="high",
    source="rml-ch13",
    summary="A model that shapes demand has no feature for a business constraint that governs it.",
    flags=(
        "A model none of whose listed features `represents` a constraint in `strategy.business_constraints` "
        "that governs it (every one by default; see `business_constraints_coverage`). A constraint given by "
        "name governs every recommendation, ranking, pricing and promotion model; one given as "
        "`{name, models, purposes}` governs only the models and purposes it names (one naming neither is asked "
        "about). A model whose `features` are not given is asked about, not flagged."
    ),
    why=(
        "A model that steers demand but cannot see stock or margin will happily push what the business "
        "cannot supply or sells at a loss. Selling out a scarce item can cost more than it earns when "
        "shoppers then take whole orders elsewhere."
    ),
    example="""
strategy:
  business_constraints: [inventory]
teams:
  - {id: recs, kind: ml}
models:
  - {id: boost, purpose: recommendation, status: production, built_by: recs, features: [velocity]}
features:
  - {id: velocity}
""",
    remedy=(
        "Give the model features for each declared constraint (stock level, margin), or filter its output "
        "by them, and mark those features with `represents`."
    ),
)
def missing_business_constraints(ctx: RuleContext) -> Iterator[Hit | Question]:
    from mlorg.analyses.data_readiness import unscoped  # here, so `mlorg rules` imports no analyses

    audit = ctx.analyses.data_readiness
    path = ctx.index.path
    if any(ctx.index.models[m.model].status != "retired" for m in audit.models):
        for i, name in unscoped(ctx.spec.strategy.business_constraints):
            yield Question(
                f"strategy.business_constraints[{i}]",
                f"Which models must respect '{name}'? Give `models` or `purposes`, or write the name alone "
                "for every demand-shaping model.",
            )
    asked_constraints = False
    features = ctx.index.features
    for m in audit.models:
        model = ctx.index.models[m.model]
        if model.status == "retired":
            continue
        if not m.constraints_settled:
            yield Question(path("models", m.model, "purpose"), f"What does model '{m.model}' do?")
        if audit.declared_constraints is None:
            if m.demand_shaping and not asked_constraints:
                asked_constraints = True
                yield Question(
                    "strategy.business_constraints",
                    "Which business constraints (inventory, margin, ...) must demand-shaping models respect?",
                )
            continue
        if m.constraints_unknown:
            yield features_question(ctx, m.model)
        elif m.constraints_missing:
            silent = [f for f in m.features or () if f in features and features[f].represents is None]
            why = f"shapes demand ({model.purpose})" if m.demand_shaping else "is named by a scoped business constraint"
            yield Hit(
                f"model:{m.model}",
                f"Model '{m.model}' {why} but has no feature representing {', '.join(m.constraints_missing)}.",
                (
                    trusted.evidence("strategy.business_constraints", list(audit.declared_constraints)),
                    trusted.noted(
                        path("models", m.model, "features"),
                        list(m.features or ()),
                        (
                            f"no `represents` on {', '.join(silent)}"
                            if silent
                            else f"covers {', '.join(m.constraints_covered) or 'none'}"
                        ),
                    ),
                ),
            )
