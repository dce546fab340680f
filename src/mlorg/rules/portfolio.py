"""Rules about the choice of ML work: the first project and the data audit behind it.

The first-project rules judge what the organization has already chosen (``portfolio.judged``: an
initiative marked ``first_project: true``, or one in progress before anything shipped) against the
first-project bar. They stay quiet when nothing is chosen: the ranking then proposes a pick.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule

if TYPE_CHECKING:  # analyses are imported only where they run, so `mlorg rules` stays light
    from mlorg.analyses.portfolio import Judged

CLOSED = frozenset({"shipped", "dropped"})
AMBITION = ("one_use_case", "success_likelihood", "weeks_to_results", "departments")


def _open_judged(ctx: RuleContext) -> Iterator[Judged]:
    for j in ctx.analyses.portfolio.judged:
        if ctx.index.initiatives[j.initiative].status not in CLOSED:
            yield j


def _check(j: Judged, name: str) -> tuple[bool | None, str]:
    for c in j.checks:
        if c.criterion == name:
            return c.ok, c.reason
    return None, ""


@rule(
    "first-project-too-critical",
    severity="high",
    source="rml-ch13",
    summary="The first ML project touches a surface the business cannot afford to get wrong.",
    flags="The chosen first project has `criticality` `high` or `critical`.",
    why=(
        "A first project is where the organization learns how ML fails. Learning that on a surface that "
        "carries much of the revenue turns the lessons into losses, and the losses into a reason to stop."
    ),
    example="""
initiatives:
  - {id: search-ranking, first_project: true, status: in_progress, criticality: critical}
""",
    remedy=(
        "Start where a useful but non-critical metric moves, ideally adding ML where nothing runs today; "
        "come back to the critical surface once the team has shipped and run a model."
    ),
)
def first_project_too_critical(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for j in _open_judged(ctx):
        ok, reason = _check(j, "useful_not_critical")
        if ok is None:
            yield Question(
                path("initiatives", j.initiative, "criticality"),
                f"How much revenue rides on the surface initiative '{j.initiative}' changes?",
            )
        elif ok is False:
            value = ctx.index.initiatives[j.initiative].criticality
            yield Hit(
                f"initiative:{j.initiative}",
                f"First project '{j.initiative}' touches a surface of {value} criticality: a failure there "
                "costs real revenue.",
                (Evidence(path=path("initiatives", j.initiative, "criticality"), value=value, note=reason),),
            )


@rule(
    "first-project-too-ambitious",
    severity="medium",
    source="georgian-maturity",
    summary="The first ML project is too big: several use cases, long, unlikely to succeed or many teams.",
    flags=(
        "The chosen first project covers more than one use case, has a `low` chance of success, takes more "
        "than `first_project_max_weeks` weeks, or involves more than `first_project_max_departments` teams."
    ),
    why=(
        "A young ML team needs a quick, visible success to earn the next round of support. Big projects hit "
        "messy data, new requirements and missing deployment paths; the delays erode confidence and can end "
        "the team before it ships anything."
    ),
    example="""
initiatives:
  - {id: reorder, first_project: true, weeks: 52}
""",
    remedy=(
        "Cut the first project down to one use case that can show results within a few months with the "
        "teams you already work with; keep the larger idea on the roadmap."
    ),
)
def first_project_too_ambitious(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    fields = {
        "one_use_case": "use_cases",
        "success_likelihood": "success_likelihood",
        "weeks_to_results": "weeks",
        "departments": "departments",
    }
    for j in _open_judged(ctx):
        item = ctx.index.initiatives[j.initiative]
        failed = [(name, _check(j, name)[1]) for name in AMBITION if _check(j, name)[0] is False]
        if failed:
            yield Hit(
                f"initiative:{j.initiative}",
                f"First project '{j.initiative}' is too ambitious: {'; '.join(r for _, r in failed)}.",
                tuple(
                    Evidence(
                        path=path("initiatives", j.initiative, fields[name]),
                        value=_plain(getattr(item, fields[name])),
                    )
                    for name, _ in failed
                ),
            )
        elif item.weeks is None:
            yield Question(
                path("initiatives", j.initiative, "weeks"),
                f"How many weeks until initiative '{j.initiative}' shows first results?",
            )


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


@rule(
    "brownfield-opposition",
    severity="medium",
    source="rml-ch13",
    summary="The first ML project changes an existing system, which invites opposition.",
    flags="The chosen first project has `greenfield: false`.",
    why=(
        "Changing a system someone already runs means changing something their success depends on. That "
        "opposition, more than technical difficulty, is what stalls many first projects."
    ),
    example="""
initiatives:
  - {id: search-ranking, first_project: true, greenfield: false}
""",
    remedy=(
        "Prefer a project that covers ground nobody owns yet; if it must be brownfield, win the current "
        "owners over first with a clear metric and story, and give them a stake in the result."
    ),
)
def brownfield_opposition(ctx: RuleContext) -> Iterator[Hit | Question]:
    path = ctx.index.path
    for j in _open_judged(ctx):
        item = ctx.index.initiatives[j.initiative]
        if item.greenfield is None:
            yield Question(
                path("initiatives", j.initiative, "greenfield"),
                f"Does initiative '{j.initiative}' start from nothing, or change a system someone runs today?",
            )
        elif item.greenfield is False:
            evidence = [Evidence(path=path("initiatives", j.initiative, "greenfield"), value=False)]
            extra = ""
            if item.additive is False:
                evidence.append(Evidence(path=path("initiatives", j.initiative, "additive"), value=False))
                extra = " and replaces what runs there today"
            yield Hit(
                f"initiative:{j.initiative}",
                f"First project '{j.initiative}' is brownfield{extra}: expect opposition from its current owners.",
                tuple(evidence),
            )


@rule(
    "no-data-audit",
    severity="medium",
    source="georgian-maturity",
    summary="No audit has checked whether the data supports the ML opportunities.",
    flags="`practices.data_audit_done: false` while the organization has an ML ambition.",
    why=(
        "Some ML ideas cannot start until the data exists, and some data is messier than anyone believes. "
        "An audit done before hiring and choosing projects says which opportunities are real and what data "
        "to start collecting now."
    ),
    example="""
practices:
  data_audit_done: false
""",
    remedy=(
        "Audit the data behind each listed opportunity: where it lives, whether it can be served, how fresh "
        "and clean it is, who owns it, and what must be collected for later projects."
    ),
)
def no_data_audit(ctx: RuleContext) -> Iterator[Hit | Question]:
    done = ctx.spec.practices.data_audit_done
    if done is None:
        yield Question("practices.data_audit_done", "Has the data been audited against the ML opportunities?")
        return
    if done or ctx.spec.strategy.ml_ambition == "none":
        return
    evidence = [Evidence(path="practices.data_audit_done", value=False)]
    not_ready = sorted(i.id for i in ctx.spec.initiatives if i.data_ready is False)
    if not_ready:
        evidence.append(
            Evidence(path="initiatives", value=not_ready, note="initiatives whose data is known not to be ready")
        )
    yield Hit("org", "The data has not been audited against the ML opportunities.", tuple(evidence))
