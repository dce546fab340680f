"""``assess``: spec -> analyses -> rules -> assessment. Pure and deterministic."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import chain
from operator import attrgetter, itemgetter

from mlorg.analyses import change_plan
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.pipeline import Analyses, run_analyses
from mlorg.assessment import Assessment, OrganizationSummary
from mlorg.gcpause import gc_paused
from mlorg.results import SEVERITY_ORDER, Exemption, Finding, Location, OpenQuestion
from mlorg.rules import _trusted as trusted
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, load_all
from mlorg.settings import Settings
from mlorg.spec.index import SUBJECT_SECTION, SpecIndex
from mlorg.spec.models import Organization
from mlorg.spec.source import PathPart, SourceMap, parse_path
from mlorg.survey.evidence import SurveyInput, survey_for

_SUBJECT = attrgetter("subject")


def effective_settings(spec: Organization, settings: Settings | None) -> Settings:
    """Defaults, then the spec's own ``settings``, then what the caller passed (``--config``)."""
    base = Settings().merged(spec.settings.model_dump(exclude_defaults=False))
    if settings is None:
        return base
    return base.merged(settings.model_dump(exclude_unset=True))


def assess(
    spec: Organization,
    settings: Settings | None = None,
    *,
    survey: SurveyInput = None,
    today: dt.date | None = None,
) -> Assessment:
    """Assess an organization spec; the same spec, settings, answers and day always give the same result.

    ``survey``: staff answers (a CSV path, parsed :class:`~mlorg.survey.responses.Responses`, or
    their :class:`~mlorg.survey.scoring.SurveyResult` scored with this spec's thresholds);
    when omitted, the spec's ``culture.survey`` CSV is read if it names one. ``today`` (default: the
    local date) decides which exemptions with an ``until`` date still hold.
    """
    with gc_paused():  # analyses build many small acyclic objects; see mlorg.gcpause
        return _assess(spec, settings, survey, today or dt.date.today())


def _assess(spec: Organization, settings: Settings | None, survey: SurveyInput, today: dt.date) -> Assessment:
    eff = effective_settings(spec, settings)
    index = SpecIndex.of(spec)
    ctx = AnalysisContext(spec, index, eff.thresholds, survey=survey_for(spec, index, eff.thresholds, survey))
    analyses = run_analyses(ctx)
    rule_ctx = RuleContext(spec, index, eff.thresholds, analyses, survey=ctx.survey, expired=eff.expired(today))
    findings, questions, confidence, exempted = run_rules(
        rule_ctx, eff, index.source, analysis_questions(analyses), today=today
    )
    plan = change_plan.analyze(ctx, analyses.star_model, findings)
    assessment = Assessment(
        organization=OrganizationSummary(
            name=spec.organization.name,
            headcount=index.headcount,
            spec_file=index.source.file if index.source else None,
            imports=tuple(spec._imports.fragments) if spec._imports is not None else (),
            import_notes=tuple(spec._imports.notes) if spec._imports is not None else (),
        ),
        maturity=analyses.maturity,
        archetype=analyses.archetype,
        structure=analyses.structure,
        culture=analyses.culture,
        star_model=analyses.star_model,
        roles=analyses.roles,
        hiring_plan=analyses.roles.hiring_plan,
        portfolio=analyses.portfolio,
        data_readiness=analyses.data_readiness,
        model_ops=analyses.model_ops,
        change_plan=plan,
        collaboration=analyses.collaboration.result if analyses.collaboration else None,
        findings=findings,
        open_questions=questions,
        confidence=confidence,
        exempted=exempted,
    )
    # Findings' evidence already names its sources (the rules ran with them); this adds the analyses'.
    origins = rule_ctx.origins
    return origins.result(assessment) if origins is not None else assessment


def analysis_questions(analyses: Analyses) -> list[tuple[str, str, str]]:
    """Questions the analyses raise themselves, as (path, question, what it settles).

    The unknowns the maturity estimate rests on, and the people lists behind "confirm" hires.
    """
    from mlorg.facts import LIST_QUESTIONS

    out = [(s.path, f"Would settle the maturity estimate: {s.text}", "maturity") for s in analyses.maturity.to_settle]
    if any(h.status == "confirm" for h in analyses.roles.hiring_plan):
        out.append(("people", LIST_QUESTIONS["people"], "hiring-plan"))
    return out


def run_rules(
    ctx: RuleContext,
    settings: Settings,
    source: SourceMap | None,
    extra: list[tuple[str, str, str]] | None = None,
    *,
    today: dt.date | None = None,
) -> tuple[tuple[Finding, ...], tuple[OpenQuestion, ...], float, tuple[Exemption, ...]]:
    """Run every rule; return sorted findings, merged open questions, the share of rules that could
    decide, and the findings an exemption in ``settings.ignore`` accepts.

    ``extra`` questions from the analyses merge with the rules' by path; they do not count toward
    the share of rules that could decide.
    """
    groups: list[tuple[int, str, list[Finding]]] = []  # each rule's findings, by the rank of their severity
    exempted: list[Exemption] = []
    in_spec = set(ctx.spec.settings.ignore)
    asked: dict[str, list[str]] = defaultdict(list)
    texts: dict[str, str] = {}
    severities = settings.severity
    ignore = settings.ignore
    rules = load_all()
    locations: dict[int, Location] = {}  # findings on one line share its (immutable) location
    origins = ctx.origins
    for slug, rule in rules.items():
        severity = severities.get(slug, rule.severity)
        build = trusted.findings_of(rule.slug, severity, rule.remedy, rule.source)
        findings: list[Finding] = []
        for out in rule.check(ctx):
            if type(out) is Hit or isinstance(out, Hit):
                location = None
                if source is not None:
                    line = source.line(_where(out, ctx))
                    location = locations.get(line)
                    if location is None:
                        location = locations[line] = trusted.location(source.file, line)
                evidence = out.evidence if origins is None else origins.evidence(out.evidence)
                finding = build(out.subject, out.message, evidence, out.remedy, location)
                entry = settings.exemption(slug, out.subject, today) if ignore else None
                if entry is None:
                    findings.append(finding)
                elif isinstance(entry, str):
                    exempted.append(Exemption(finding=finding, in_spec=entry in in_spec))
                else:
                    exempted.append(
                        Exemption(finding=finding, reason=entry.reason, until=entry.until, in_spec=entry in in_spec)
                    )
            elif isinstance(out, Question):
                asked[out.path].append(slug)
                texts.setdefault(out.path, out.question)
        if findings:
            findings.sort(key=_SUBJECT)
            groups.append((SEVERITY_ORDER[severity], rule.slug, findings))
    # Sorted by Finding.sort_key, (severity, rule, subject), in pieces: every finding of a rule has its
    # severity, so ordering the groups by (severity, rule) and each group by subject (a stable sort)
    # gives the very order one sort of everything would, without a key tuple per finding.
    groups.sort(key=itemgetter(0, 1))
    exempted.sort(key=lambda e: e.finding.sort_key())
    undecided = {slug for slugs in asked.values() for slug in slugs}
    for path, question, settles in extra or ():
        asked[path].append(settles)
        texts.setdefault(path, question)
    questions = tuple(
        OpenQuestion(path=path, question=texts[path], settles=tuple(sorted(set(slugs))))
        for path, slugs in sorted(asked.items(), key=_in_entry_order)
    )
    confidence = round(1 - len(undecided) / len(rules), 3) if rules else 1.0
    return tuple(chain.from_iterable(group for _, _, group in groups)), questions, confidence, tuple(exempted)


def _in_entry_order(item: tuple[str, list[str]]) -> tuple[str, int, str]:
    """``models[10].owner`` after ``models[2].owner``: a question's place by section, then entry number.

    Only the first index is read as a number; that is the only one a question path carries.
    """
    head, bracket, rest = item[0].partition("[")
    number, _, tail = rest.partition("]")
    return (head, int(number), tail) if bracket and number.isdigit() else (head, -1, rest)


def _where(hit: Hit, ctx: RuleContext) -> tuple[PathPart, ...]:
    """The spec path a finding points to: its first evidence, else its subject's item, else the organization."""
    if hit.evidence:
        return parse_path(hit.evidence[0].path)
    kind, _, ident = hit.subject.partition(":")
    section = SUBJECT_SECTION.get(kind)
    if section:
        at = ctx.index.position.get((section, ident))
        if at is not None:
            return (section, at)
    return ("organization",)
