"""Rules about whether the ML structure fits the organization and leads somewhere.

Both read the structure and archetype analyses rather than re-deriving them, so a rule and the
report it sits in can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

from mlorg.facts import LIST_QUESTIONS, facts_of
from mlorg.facts.staff import MAX_EVIDENCE
from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

ENGINEERING_ROLES = ("ml_engineer", "sre_ml", "ml_architect")


def _contradiction(ctx: RuleContext) -> str | None:
    """Does the stated ambition contradict where ML people are (or are not)?"""
    ambition = ctx.spec.strategy.ml_ambition
    current = ctx.analyses.structure.current
    if not facts_of(ctx.index).staff.complete and ambition != "none":
        return None  # "nobody" and "only a central team" rest on the ML staff list being complete
    if ambition in ("core", "everywhere") and current == "none":
        return f"The ML ambition is {ambition}, yet nobody in the organization holds an ML role."
    if ambition == "everywhere" and current == "centralized":
        return (
            "The ML ambition is everywhere, yet every ML person sits in a separate ML team rather than "
            "in the product teams where ML is meant to spread."
        )
    if ambition == "none" and current != "none":
        return f"The strategy states no ML ambition, yet ML staff work in a {current} structure."
    return None


def _structure_unsure(ctx: RuleContext) -> Question | None:
    """What keeps today's structure or the recommendation from being read firmly, as one question.

    The mismatch compares two readings; it rests on the ML staff list being complete, on the size
    being stated rather than derived, and on knowing where each ML home sits in the hierarchy.
    """
    spec, index = ctx.spec, ctx.index
    facts = facts_of(index)
    if not facts.staff.complete:
        return Question("lists.people", LIST_QUESTIONS["lists.people"])
    if spec.organization.headcount is None:
        return Question("organization.headcount", "How many people work in the organization?")
    if any(t.parent for t in spec.teams):
        for tid in facts.staff.ml_teams:
            team = index.teams[tid]
            if team.parent is None and facts.staff.ml_staff(tid) and "parent" not in team.model_fields_set:
                return Question(
                    index.path("teams", tid, "parent"),
                    f"Where does team '{tid}' sit: at the top, or inside a product or business unit?",
                )
    return None


@rule(
    "strategy-structure-mismatch",
    severity="medium",
    source="hasty-structures",
    summary="The ML structure does not fit the organization's size, stage and focus, or contradicts its ambition.",
    flags=(
        "An organization whose current structure (from where ML people sit and whom they report to) differs from "
        "the one recommended for its size, maturity stage and `organization.ml_focus` (a first central ML team at "
        "the getting-started or exploring stage, where a hybrid is recommended, is the hybrid's path and does not "
        "count); or whose "
        "`strategy.ml_ambition` contradicts the structure (an ambition of core or everywhere with nobody doing "
        "ML, everywhere with ML confined to a central team, none with ML staff in place)."
    ),
    why=(
        "The right home for ML depends on how big the organization is and whether it mainly builds ML into "
        "products or explores new approaches. A small product company that walls its few ML people off in a "
        "team of their own loses speed and product sense; a research-heavy one that scatters them loses depth. "
        "A structure that contradicts the stated ambition means one of the two is not what leaders believe."
    ),
    example="""
organization: {name: Small Shop, headcount: 40, ml_focus: implementation}
teams:
  - {id: ml, kind: ml}
  - {id: shop, kind: product}
people:
  - {id: a, team: ml, roles: [ml_engineer]}
  - {id: b, team: ml, roles: [data_scientist]}
""",
    remedy=(
        "Move toward the recommended structure shown in the structure section, in steps, and put its "
        "mitigations in place first; or, if the structure is deliberate, restate the ML ambition and focus so "
        "strategy and structure say the same thing."
    ),
)
def strategy_structure_mismatch(ctx: RuleContext) -> Iterator[Hit | Question]:
    from mlorg.analyses.ml_staff import staff_known  # here, so `mlorg rules` imports no analyses

    s = ctx.analyses.structure
    if not staff_known(ctx.spec):
        yield Question("people", "Who works on ML, in which teams, and whom do they report to?")
        return
    if ctx.spec.strategy.ml_ambition is None:
        yield Question("strategy.ml_ambition", "How central is ML meant to be: none, experimental, core or everywhere?")
    problems: list[str] = []
    contradiction = _contradiction(ctx)
    if contradiction:
        problems.append(contradiction)
    if s.current not in ("none", s.recommended) and not s.on_path:
        unsure = _structure_unsure(ctx)
        if s.focus_assumed:
            yield Question(
                "organization.ml_focus",
                "Is ML work here mostly putting ML into products (implementation), research, or both?",
            )
        elif unsure is not None:
            yield unsure
        else:
            problems.append(
                f"Today's structure is {s.current}; for {'an' if s.size_band[0] in 'aeiou' else 'a'} {s.size_band} "
                f"organization whose ML focus is {s.focus}, "
                f"at the {ctx.analyses.maturity.stage} stage, {s.recommended} fits better."
            )
    if not problems:
        return
    where = [e for e in s.evidence if e.path.startswith(("teams[", "people["))][: MAX_EVIDENCE - 3]
    size = [e for e in s.evidence if e.path == "organization.headcount"]
    evidence = (
        *where,
        *size,
        Evidence(path="organization.ml_focus", value=ctx.spec.organization.ml_focus),
        Evidence(path="strategy.ml_ambition", value=ctx.spec.strategy.ml_ambition),
    )
    yield Hit("org", " ".join(problems), evidence)


@rule(
    "research-without-production-path",
    severity="high",
    source="fsdl-teams",
    summary="Research-focused ML with no model that ever reached production and no engineering path to get there.",
    flags=(
        "An organization whose ML focus is research (`organization.ml_focus: research`, or most ML staff in "
        "research teams) where no listed model has reached production (none `production` or `retired`) and "
        "there is no engineering path: no ML engineer, MLOps or ML architect, and no ML team with its own "
        "engineering (`own_engineering`)."
    ),
    why=(
        "ML run as research gets experienced people and long horizons, but its work seldom turns into business "
        "value, so investment stays small and the effort withers. Without engineers who can take a model into "
        "the product, nothing the researchers build has a way to pay off."
    ),
    example="""
organization: {name: Lab Co, headcount: 40, ml_focus: research}
teams:
  - {id: lab, kind: research, own_engineering: false}
people:
  - {id: r1, team: lab, roles: [ml_researcher]}
models:
  - {id: prototype, status: development, built_by: lab}
""",
    remedy=(
        "Give the research an engineering path: pair researchers with ML engineers (or give the research team "
        "its own engineering and product capability) and pick one model to take all the way into production."
    ),
)
def research_without_production_path(ctx: RuleContext) -> Iterator[Hit | Question]:
    from mlorg.analyses.ml_staff import section_given, staff_known

    spec, index = ctx.spec, ctx.index
    focus = spec.organization.ml_focus
    archetype = ctx.analyses.archetype.id
    if focus != "research" and archetype != "research_and_development":
        return
    if not section_given(spec, "models") and not spec.models:
        yield Question("models", "Has any model from the research work reached production? List models with a status.")
        return
    facts = facts_of(index)
    if facts.lists.production_models or any(m.status in ("production", "retired") for m in spec.models):
        return
    if facts.lists.models == "partial":
        yield Question("lists.models", LIST_QUESTIONS["lists.models"])
        return
    for m in spec.models:
        if m.status is None:
            yield Question(index.path("models", m.id, "status"), f"What is the status of model {m.id}?")
            return
    counts = index.role_counts
    engineers = sum(counts.get(r, 0) for r in ENGINEERING_ROLES)
    ml_teams = [index.teams[t] for t in facts.staff.ml_homes]
    if engineers or any(t.own_engineering for t in ml_teams):
        return
    if not staff_known(spec) and any(t.own_engineering is None for t in ml_teams):
        yield Question("people", "Who would take a research model into production (ML engineers, MLOps)?")
        return
    evidence: list[Evidence] = []
    if focus == "research":
        evidence.append(Evidence(path="organization.ml_focus", value=focus))
    else:
        evidence.append(Evidence(path="teams", value=archetype, note="most ML staff sit in research teams"))
    evidence.extend(
        Evidence(path=index.path("models", m.id, "status"), value=m.status) for m in spec.models[: MAX_EVIDENCE - 3]
    )
    evidence.append(Evidence(path="people", value=0, note="ML engineers, MLOps or ML architects"))
    evidence.extend(
        Evidence(path=index.path("teams", t.id, "own_engineering"), value=False)
        for t in ml_teams[:2]
        if t.own_engineering is False
    )
    shown = f"{len(spec.models)} model(s)" if spec.models else "No models"
    yield Hit(
        "org",
        f"ML work is research-focused, {shown} listed and none has ever reached production, and nobody "
        "(no ML engineer, no team with its own engineering) could take one there.",
        tuple(evidence),
    )
