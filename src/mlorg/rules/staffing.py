"""Rules about who does the ML work: experience, learning on the job, product management and SRE.

Unlisted staff count like named people: a team's ``staffing`` counts add to its ML staff and its
``experienced_ml`` count adds to the experienced. Of a team's unlisted ML staff, ``experienced_ml``
of them are read as experienced and the rest as learning on the job.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from mlorg.facts import is_ml_person
from mlorg.results import Evidence
from mlorg.rules import _trusted as trusted
from mlorg.rules._facts import (
    MAX_EVIDENCE,
    Ref,
    capped,
    list_question,
    ml_work_evidence,
    production_models,
    staff_known,
    teams_doing_ml,
)
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule
from mlorg.spec.index import ML_ROLES
from mlorg.spec.models import Person, Team

PM_ROLES = frozenset({"product_manager", "lead_product_manager"})
STAFF_QUESTION = "Who works on ML here (by name or as team `staffing` counts), and how experienced in ML are they?"


def _unlisted_ml(team: Team) -> int:
    return sum(n for role, n in (team.staffing or {}).items() if role in ML_ROLES)


def _is_ml_person(p: Person) -> bool:
    return is_ml_person(p)


def _experience_questions(ctx: RuleContext) -> list[Question]:
    """Questions for ML staff whose experience the spec does not give."""
    idx = ctx.index
    out = [
        Question(idx.path("people", p.id, "ml_experience"), f"How experienced in ML is {p.id}?")
        for p in ctx.spec.people
        if _is_ml_person(p) and p.ml_experience is None
    ]
    out += [
        Question(
            idx.path("teams", t.id, "experienced_ml"),
            f"Of the ML staff counted in team '{t.id}', how many are experienced in ML?",
        )
        for t in ctx.spec.teams
        if _unlisted_ml(t) and t.experienced_ml is None
    ]
    return out


def _teams_with_ml_work(ctx: RuleContext) -> dict[str, Ref]:
    """Teams doing ML, running a model, or carrying or involved in a live ML initiative."""
    out = dict(teams_doing_ml(ctx))
    # the first evidence for a team is kept; a Ref is built only for a team not seen yet (most are)
    for m in ctx.spec.models:
        team_id = m.operated_by
        if team_id and team_id not in out and m.status != "retired":
            out[team_id] = Ref("models", m.id, ("operated_by",), team_id)
    for i in ctx.spec.initiatives:
        if i.status == "dropped":
            continue
        if i.team and i.team not in out:
            out[i.team] = Ref("initiatives", i.id, ("team",), i.team)
        for pos, team_id in enumerate(i.departments or ()):
            if team_id not in out:
                out[team_id] = Ref("initiatives", i.id, ("departments", pos), team_id)
    return out


@rule(
    "ml-pm-without-ml-experience",
    severity="medium",
    source="georgian-maturity",
    summary="A product manager steers ML work without any first-hand ML experience.",
    flags=(
        "A named person with the `product_manager` or `lead_product_manager` role and `ml_experience: none`, "
        "in a team that does ML, runs a model, or carries or takes part in an ML initiative that is not "
        "dropped. A missing `ml_experience` for such a person gets a question."
    ),
    why=(
        "The product manager decides what the ML work is for, writes its requirements and keeps its "
        "roadmap. Without first-hand ML experience they cannot judge what is feasible, how uncertain it is "
        "or how long it will take, so ML work is planned like ordinary features and disappoints."
    ),
    example="""
teams:
  - {id: shop, kind: product}
people:
  - {id: pat, team: shop, roles: [product_manager], ml_experience: none}
initiatives:
  - {id: recs, team: shop, status: proposed}
""",
    remedy=(
        "Pair the product manager with an experienced ML practitioner and give them ML training, or hand "
        "the ML work to a PM with first-hand ML experience (a senior scientist can cover the role for a while)."
    ),
)
def ml_pm_without_ml_experience(ctx: RuleContext) -> Iterator[Hit | Question]:
    teams = _teams_with_ml_work(ctx)
    if not teams:
        return
    idx = ctx.index
    for p in ctx.spec.people:
        if p.team not in teams or PM_ROLES.isdisjoint(p.roles):
            continue
        if p.ml_experience is None:
            yield Question(
                idx.path("people", p.id, "ml_experience"),
                f"Does product manager {p.id} have first-hand ML experience?",
            )
        elif p.ml_experience == "none":
            yield Hit(
                f"person:{p.id}",
                f"Product manager '{p.id}' has no ML experience, yet team '{p.team}' has ML work.",
                (trusted.evidence(idx.path("people", p.id, "ml_experience"), "none"), teams[p.team].evidence(idx)),
            )


@rule(
    "no-experienced-ml",
    severity="high",
    source="rml-ch13",
    summary="ML work is under way but nobody experienced in ML is on staff.",
    flags=(
        "ML work exists (an `ml` or `research` team, ML staff, or a model in development or production) and "
        "no named person has `ml_experience: experienced` and no team counts any `experienced_ml`. If the "
        "experience of some ML staff is not given, the rule asks instead of firing."
    ),
    why=(
        "Most ML efforts need only one or two people with real ML experience, but they do need them: "
        "someone must design models that fit the goals and specify the systems to build and run them. "
        "Staff learning on the job can do the rest, but not without someone to learn from."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics}
people:
  - {id: ada, team: ml, roles: [ml_engineer], ml_experience: learning}
  - {id: bo, team: ml, roles: [data_scientist], ml_experience: learning}
""",
    remedy=(
        "Bring in one or two experienced ML practitioners: contractors or a consultancy, one senior person "
        "who is willing to teach, or promising juniors backed by outside mentoring."
    ),
)
def no_experienced_ml(ctx: RuleContext) -> Iterator[Hit | Question]:
    work = ml_work_evidence(ctx)
    if not work:
        return
    if not staff_known(ctx):
        yield Question("people", STAFF_QUESTION)
        return
    if any(p.ml_experience == "experienced" for p in ctx.spec.people) or any(t.experienced_ml for t in ctx.spec.teams):
        return
    questions = _experience_questions(ctx)
    if questions:
        yield from questions
        return
    if (unsure := list_question(ctx, "people")) is not None:
        yield unsure
        return
    yield Hit("org", "The organization does ML work, but nobody on staff is experienced in ML.", capped(ctx, work))


@rule(
    "experienced-only-hiring",
    severity="low",
    source="rml-ch13",
    summary="Every ML person is already experienced; nobody is learning ML on the job.",
    flags=(
        "At least `experienced_only_min_staff` (default 4) ML staff, named or counted, all of them "
        "experienced: no named person has `ml_experience: learning` (or an ML role with `none`), and every "
        "team's `experienced_ml` covers its unlisted ML staff. Unknown experience gets a question."
    ),
    why=(
        "Experienced ML people are scarce and expensive, and most of the work (managing data, putting ML "
        "into products, keeping models running) can be done by capable people learning ML as they go. "
        "Hiring only the experienced makes growth slow and costly and leaves no pipeline of home-grown talent."
    ),
    example="""
teams:
  - {id: ml, kind: ml, function: business_metrics, staffing: {ml_engineer: 3, data_scientist: 2}, experienced_ml: 5}
""",
    remedy=(
        "Keep one or two experienced practitioners to set direction and staff the rest with talented "
        "engineers, analysts and SREs who learn ML on the job, with training and mentoring to support them."
    ),
)
def experienced_only_hiring(ctx: RuleContext) -> Iterator[Hit | Question]:
    total = sum(ctx.index.ml_count_by_team.values())
    if total < ctx.thresholds.experienced_only_min_staff:
        return
    for p in ctx.spec.people:
        if p.ml_experience == "learning" or (p.ml_experience == "none" and _is_ml_person(p)):
            return
    for t in ctx.spec.teams:
        if t.experienced_ml is not None and t.experienced_ml < _unlisted_ml(t):
            return
    questions = _experience_questions(ctx)
    if questions:
        yield from questions
        return
    evidence = chain(
        (Ref("people", p.id, ("ml_experience",), p.ml_experience) for p in ctx.spec.people if _is_ml_person(p)),
        (Ref("teams", t.id, ("experienced_ml",), t.experienced_ml) for t in ctx.spec.teams if _unlisted_ml(t)),
    )
    yield Hit(
        "org",
        f"All {total} ML staff are experienced in ML; nobody is learning it on the job.",
        capped(ctx, evidence),
    )


@rule(
    "no-sre-for-ml",
    severity="medium",
    source="rml-ch13",
    summary="Models run in production, but nobody holds the SRE-for-ML (MLOps) role.",
    flags=(
        "At least one model in production (`status: production`, or `counts.models.production`) and no named "
        "person or team `staffing` count with the `sre_ml` role. A general `sre` does not count. In a small "
        "organization (up to `small_org_headcount` people) an ML engineer holds the function too, as the roles "
        "coverage shows. If no staff are given at all, the rule asks."
    ),
    why=(
        "Someone has to own the reliability and safety of models in production end to end: deployment "
        "processes, the metrics that show a model going wrong, and the infrastructure that keeps it "
        "reliable. That work needs reliability and distributed-systems skill more than ML depth, so it "
        "is a role to fill deliberately rather than leave to whoever built the model."
    ),
    example="""
organization: {name: Example, headcount: 300}
teams:
  - {id: ml, kind: ml, function: business_metrics}
people:
  - {id: ada, team: ml, roles: [ml_engineer], ml_experience: experienced}
models:
  - {id: ranker, status: production, built_by: ml}
""",
    remedy=(
        "Give one or more reliability engineers the SRE-for-ML remit (they can learn the ML context on the "
        "job), or hire one, and make them responsible for production ML end to end."
    ),
)
def no_sre_for_ml(ctx: RuleContext) -> Iterator[Hit | Question]:
    if ctx.analyses.roles.coverage["sre_ml"].status in ("covered", "combined"):
        return  # the roles' coverage decides who holds the function, small organizations' stand-ins included
    running, production = production_models(ctx)
    if not running:
        return
    if not staff_known(ctx):
        yield Question("people", STAFF_QUESTION)
        return
    if (unsure := list_question(ctx, "people")) is not None:
        yield unsure
        return
    evidence = list(capped(ctx, production, MAX_EVIDENCE - 1))
    general = next((p for p in ctx.spec.people if "sre" in p.roles), None)
    if general is not None:
        evidence.append(
            Evidence(
                path=ctx.index.path("people", general.id, "roles"),
                value=list(general.roles),
                note="a general SRE, not an SRE for ML",
            )
        )
    yield Hit(
        "org",
        f"{running} model(s) run in production and nobody holds the SRE-for-ML role.",
        capped(ctx, evidence),
    )
