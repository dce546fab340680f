"""The maturity ladder's checks (georgian-maturity), by id: each reads the organization's facts and says
met, unmet (evidence of "no") or unknown (the spec does not say, or the list that would say is partial).

The ids and the texts a report shows live in ``knowledge/stages.yaml``; :mod:`mlorg.analyses.maturity`
climbs the ladder with them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from typing import Literal

from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.ml_staff import Placement, classify, placement, section_given
from mlorg.facts import OrgFacts, facts_of
from mlorg.results import Evidence
from mlorg.spec.models import Role

Status = Literal["met", "unmet", "unknown"]

SCIENTIST_ROLES: frozenset[Role] = frozenset({"data_scientist", "ml_researcher"})
ENGINEER_ROLES: frozenset[Role] = frozenset({"ml_engineer", "ml_architect"})
PM_ROLES: frozenset[Role] = frozenset({"product_manager", "lead_product_manager"})
EVIDENCE_PER_CHECK = 3


# --- facts the checks share ------------------------------------------------------------------


@dataclass
class Facts:
    """What the checks read, gathered in one pass over people and teams."""

    ctx: AnalysisContext
    placement: Placement
    org: OrgFacts
    role_evidence: dict[str, list[Evidence]] = field(default_factory=dict)

    @property
    def staff_known(self) -> bool:
        return self.placement.known

    @classmethod
    def gather(cls, ctx: AnalysisContext, staff: Placement | None = None) -> Facts:
        facts = cls(ctx, staff or placement(ctx), facts_of(ctx.index))
        # each role's evidence is its first few holders; stop reading people once every role has all
        # it will get (a role held n times gets min(n, EVIDENCE_PER_CHECK))
        held: dict[str, int] = defaultdict(int)
        for (roles, _), n in facts.org.people_kinds.items():
            for r in roles:
                held[r] += n
        remaining = sum(min(n, EVIDENCE_PER_CHECK) for n in held.values())
        full: set[str] = set()  # roles whose evidence list is already long enough
        for i, p in enumerate(ctx.spec.people):
            if not remaining:
                break
            for r in p.roles:
                if r in full:
                    continue
                bucket = facts.role_evidence.setdefault(r, [])
                bucket.append(Evidence(path=f"people[{i}].roles", value=list(p.roles)))
                remaining -= 1
                if len(bucket) == EVIDENCE_PER_CHECK:
                    full.add(r)
        for t in ctx.spec.teams:
            for r, n in (t.staffing or {}).items():
                bucket = facts.role_evidence.setdefault(r, [])
                if n and len(bucket) < EVIDENCE_PER_CHECK:
                    bucket.append(Evidence(path=ctx.index.path("teams", t.id, "staffing", r), value=n))
        return facts

    def count(self, roles: frozenset[Role] | set[Role]) -> int:
        counts = self.ctx.index.role_counts
        return sum(counts.get(r, 0) for r in roles)

    def evidence_for(self, roles: frozenset[Role] | set[Role]) -> tuple[Evidence, ...]:
        out = [e for r in sorted(roles) for e in self.role_evidence.get(r, [])]
        return tuple(out[:EVIDENCE_PER_CHECK])


@dataclass(frozen=True)
class Outcome:
    status: Status
    evidence: tuple[Evidence, ...] = ()
    unknown_path: str | None = None


def _flag(path: str, value: bool | None) -> Outcome:
    if value is None:
        return Outcome("unknown", (), path)
    return Outcome("met" if value else "unmet", (Evidence(path=path, value=value),))


def _has_roles(f: Facts, roles: frozenset[Role]) -> Outcome:
    if f.count(roles):
        return Outcome("met", f.evidence_for(roles))
    presence = {f.org.role(r) for r in roles}
    if presence == {"absent"}:
        return Outcome("unmet", (Evidence(path="people", value=len(f.ctx.spec.people), note="no one holds this role"),))
    return Outcome("unknown", (), _people_path(f, roles))


def _people_path(f: Facts, roles: frozenset[Role] | set[Role]) -> str:
    """Where the answer would come from: the ML staff list, or the teams' people lists."""
    from mlorg.spec.index import ML_ROLES

    if not f.staff_known:
        return "people"
    return "lists.people" if roles <= ML_ROLES else "people"


def _tool(f: Facts, *tools: str) -> Outcome:
    tooling = f.ctx.spec.practices.tooling
    if tooling is None:
        return Outcome("unknown", (), "practices.tooling")
    found = sorted(set(tools).intersection(tooling))
    if found:
        return Outcome("met", (Evidence(path="practices.tooling", value=list(tooling)),))
    if f.org.lists.tooling == "partial":
        return Outcome("unknown", (), "lists.tooling")
    return Outcome("unmet", (Evidence(path="practices.tooling", value=list(tooling), note="not listed"),))


# --- the checks, by id (the ids and texts live in knowledge/stages.yaml) ------------------


def strategy_written(f: Facts) -> Outcome:
    return _flag("strategy.written", f.ctx.spec.strategy.written)


def opportunity_list(f: Facts) -> Outcome:
    spec = f.ctx.spec
    if spec.initiatives:
        return Outcome("met", (Evidence(path="initiatives", value=len(spec.initiatives), note="initiatives listed"),))
    return _flag("strategy.opportunity_list", spec.strategy.opportunity_list)


def data_audit(f: Facts) -> Outcome:
    return _flag("practices.data_audit_done", f.ctx.spec.practices.data_audit_done)


def first_ml_hires(f: Facts) -> Outcome:
    if f.placement.total or f.placement.in_leadership:
        return Outcome("met", f.placement.evidence[:EVIDENCE_PER_CHECK])
    if f.staff_known and f.placement.complete:
        return Outcome(
            "unmet", (Evidence(path="people", value=len(f.ctx.spec.people), note="nobody holds an ML role"),)
        )
    return Outcome("unknown", (), "people" if not f.staff_known else "lists.people")


def first_project(f: Facts) -> Outcome:
    spec, index = f.ctx.spec, f.ctx.index
    if f.org.lists.production_counted:  # models run in production, so a first project has been done
        return Outcome("met", _production_models(f)[1])
    for m in spec.models:
        if m.status in ("development", "production", "retired"):
            return Outcome("met", (Evidence(path=index.path("models", m.id, "status"), value=m.status),))
    for i in spec.initiatives:
        if i.first_project:
            return Outcome("met", (Evidence(path=index.path("initiatives", i.id, "first_project"), value=True),))
        if i.status in ("in_progress", "shipped"):
            return Outcome("met", (Evidence(path=index.path("initiatives", i.id, "status"), value=i.status),))
    for section, items in (("models", spec.models), ("initiatives", spec.initiatives)):
        for item in items:
            if item.status is None:
                return Outcome("unknown", (), index.path(section, item.id, "status"))
    if section_given(spec, "models") or section_given(spec, "initiatives"):
        return Outcome(
            "unmet",
            (Evidence(path="initiatives", value=len(spec.initiatives), note="none chosen, under way or shipped"),),
        )
    return Outcome("unknown", (), "initiatives")


def ml_product_manager(f: Facts) -> Outcome:
    index = f.ctx.index
    # the PMs' experiences from the counts, then only as many PMs as the answer names, in spec order
    experiences = {exp for roles, exp in f.org.people_kinds if PM_ROLES.intersection(roles)}
    pms = (p for p in f.ctx.spec.people if PM_ROLES.intersection(p.roles))
    # one answer with role coverage and ml-pm-without-ml-experience: a PM learning ML on the job is
    # growing into the role; only a PM with no ML experience at all is a gap
    for wanted in ("experienced", "learning"):
        if wanted in experiences:
            p = next(p for p in pms if p.ml_experience == wanted)
            return Outcome("met", (Evidence(path=index.path("people", p.id, "ml_experience"), value=p.ml_experience),))
    if None in experiences:
        p = next(p for p in pms if p.ml_experience is None)
        return Outcome("unknown", (), index.path("people", p.id, "ml_experience"))
    for t in f.ctx.spec.teams:  # unlisted PMs: their ML experience is not known
        for r in sorted(PM_ROLES.intersection((t.staffing or {}).keys())):
            if (t.staffing or {})[r]:
                return Outcome("unknown", (), index.path("teams", t.id, "staffing", r))
    if experiences:
        return Outcome(
            "unmet",
            tuple(
                Evidence(path=index.path("people", p.id, "ml_experience"), value=p.ml_experience)
                for p in islice(pms, EVIDENCE_PER_CHECK)
            ),
        )
    return _has_roles(f, PM_ROLES)


def two_technical_members(f: Facts) -> Outcome:
    sci, eng = f.count(SCIENTIST_ROLES), f.count(ENGINEER_ROLES)
    if sci and eng and f.placement.total + f.placement.in_leadership >= 2:
        return Outcome("met", f.evidence_for(SCIENTIST_ROLES | ENGINEER_ROLES))
    if not f.placement.complete:
        return Outcome("unknown", (), "lists.people")
    if f.staff_known:
        return Outcome(
            "unmet",
            (
                Evidence(
                    path="people", value={"scientists": sci, "engineers": eng}, note="need one of each, two people"
                ),
            ),
        )
    return Outcome("unknown", (), "people")


def _production_models(f: Facts) -> tuple[int, tuple[Evidence, ...]]:
    """How many models run in production (listed, or the stated count if larger), with evidence."""
    lists = f.org.lists
    if lists.production_counted:
        counted = f.ctx.spec.counts.models
        return lists.production_models, (
            Evidence(path="counts.models.production", value=counted.production if counted else None),
        )
    prod = [i for i, m in enumerate(f.ctx.spec.models) if m.status == "production"]
    return len(prod), tuple(Evidence(path=f"models[{i}].status", value="production") for i in prod[:EVIDENCE_PER_CHECK])


def model_in_production(f: Facts) -> Outcome:
    n, evidence = _production_models(f)
    if n:
        return Outcome("met", evidence)
    spec = f.ctx.spec
    for m in spec.models:
        if m.status is None:
            return Outcome("unknown", (), f.ctx.index.path("models", m.id, "status"))
    if section_given(spec, "models") and f.org.lists.models == "complete":
        return Outcome("unmet", (Evidence(path="models", value=len(spec.models), note="none in production"),))
    return Outcome("unknown", (), "models" if not section_given(spec, "models") else "lists.models")


def repeatable_process(f: Facts) -> Outcome:
    return _flag("practices.repeatable_process", f.ctx.spec.practices.repeatable_process)


def specialised_hires(f: Facts) -> Outcome:
    # rml-ch13 adds the SRE for ML (an MLOps engineer) to georgian-maturity's specialist hires
    specialists: tuple[Role, ...] = ("data_engineer", "ml_architect", "qa_engineer", "sre_ml")
    covered: list[str] = [r for r in specialists if f.count({r})]
    open_roles = [r for r in specialists if not f.count({r}) and f.org.role(r) == "unknown"]
    if f.count(SCIENTIST_ROLES) >= 2:
        covered.append("second data scientist")
    dedicated_pm = any(set(roles) <= PM_ROLES and exp == "experienced" for roles, exp in f.org.people_kinds if roles)
    if dedicated_pm:
        covered.append("dedicated ML product manager")
    need = f.ctx.thresholds.building_specialised_roles
    ev = (Evidence(path="people", value=covered, note=f"specialist roles covered; {need} needed"),)
    if len(covered) >= need:
        return Outcome("met", ev)
    if f.staff_known and len(covered) + len(open_roles) < need:
        return Outcome("unmet", ev)
    return Outcome("unknown", (), "people")


def delivery_method(f: Facts) -> Outcome:
    method = f.ctx.spec.practices.methodology
    if method is None:
        return Outcome("unknown", (), "practices.methodology")
    return Outcome("unmet" if method == "none" else "met", (Evidence(path="practices.methodology", value=method),))


def tech_stack(f: Facts) -> Outcome:
    return _tool(f, "experiment_tracking", "model_registry")


def ml_pods(f: Facts) -> Outcome:
    th = f.ctx.thresholds
    n, need = f.org.ml_pods(th.ml_pod_min_staff, th.ml_pod_size), th.scaling_ml_pods
    ev = (Evidence(path="teams", value=n, note=f"ML pods; {need} needed"),)
    if n >= need:
        return Outcome("met", ev)
    if not f.staff_known:
        return Outcome("unknown", (), "people")
    if not f.placement.complete:
        return Outcome("unknown", (), "lists.people")
    return Outcome("unmet", ev)


def org_model_chosen(f: Facts) -> Outcome:
    if not f.staff_known:
        return Outcome("unknown", (), "people")
    if (
        f.org.ml_pods(f.ctx.thresholds.ml_pod_min_staff, f.ctx.thresholds.ml_pod_size) < 2
    ):  # with one team or none, no way of organizing several pods has been chosen yet
        return Outcome("unknown", (), "teams")
    current, why = classify(f.placement)
    return Outcome("met" if current != "none" else "unmet", (Evidence(path="teams", value=current, note=why),))


def model_monitoring(f: Facts) -> Outcome:
    out = _tool(f, "model_monitoring")
    if out.status == "met":
        return out
    for m in f.ctx.spec.models:
        if m.status == "production" and m.monitoring and {"quality", "drift"}.intersection(m.monitoring):
            return Outcome("met", (Evidence(path=f.ctx.index.path("models", m.id, "monitoring"), value=m.monitoring),))
    return out


def version_monitoring(f: Facts) -> Outcome:
    index = f.ctx.index
    prod = [m for m in f.ctx.spec.models if m.status == "production"]
    if not prod:
        return model_in_production(f)
    blind = [m for m in prod if m.monitoring is not None and not {"quality", "drift"}.intersection(m.monitoring)]
    if blind:
        return Outcome(
            "unmet",
            tuple(
                Evidence(path=index.path("models", m.id, "monitoring"), value=list(m.monitoring or ()))
                for m in blind[:EVIDENCE_PER_CHECK]
            ),
        )
    silent = [m for m in prod if m.monitoring is None]
    if silent:
        return Outcome("unknown", (), index.path("models", silent[0].id, "monitoring"))
    return Outcome("met", (Evidence(path="models", value=len(prod), note="every production model watched"),))


def many_models(f: Facts) -> Outcome:
    (n, _), need = _production_models(f), f.ctx.thresholds.advanced_production_models
    ev = (Evidence(path="models", value=n, note=f"in production; {need} needed"),)
    if n >= need:
        return Outcome("met", ev)
    base = model_in_production(f)
    if base.status == "unknown":
        return base
    if f.org.lists.models != "complete":
        return Outcome("unknown", (), "lists.models")
    return Outcome("unmet", ev)


CHECKS: dict[str, Callable[[Facts], Outcome]] = {
    "strategy_written": strategy_written,
    "opportunity_list": opportunity_list,
    "data_audit": data_audit,
    "first_ml_hires": first_ml_hires,
    "first_project": first_project,
    "ml_product_manager": ml_product_manager,
    "two_technical_members": two_technical_members,
    "model_in_production": model_in_production,
    "repeatable_process": repeatable_process,
    "specialised_hires": specialised_hires,
    "delivery_method": delivery_method,
    "tech_stack": tech_stack,
    "ml_pods": ml_pods,
    "org_model_chosen": org_model_chosen,
    "data_catalog": lambda f: _tool(f, "data_catalog"),
    "pipeline_orchestration": lambda f: _tool(f, "pipeline_orchestration"),
    "model_monitoring": model_monitoring,
    "version_monitoring": version_monitoring,
    "many_models": many_models,
    "lead_engineer": lambda f: _has_roles(f, frozenset({"lead_engineer"})),
    "lead_product_manager": lambda f: _has_roles(f, frozenset({"lead_product_manager"})),
    "head_of_data_science": lambda f: _has_roles(f, frozenset({"head_of_data_science"})),
    "feature_store": lambda f: _tool(f, "feature_store"),
    "metadata_orchestration": lambda f: _tool(f, "metadata_orchestration"),
    "unified_training_infra": lambda f: _tool(f, "unified_training_infra"),
    "notebook_repository": lambda f: _tool(f, "notebook_repository"),
}
