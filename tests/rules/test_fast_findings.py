"""The fast paths of running rules give exactly what the plain, validating way gives (issue 14).

Findings, their locations and evidence are built without pydantic validation, sorted in pieces, and
their lines looked up by tuple paths; the change plan reads findings a rule's run at a time. Each
test here holds one of those against the obvious implementation it replaced.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from mlorg import engine
from mlorg.analyses import change_plan
from mlorg.analyses.context import AnalysisContext
from mlorg.analyses.pipeline import run_analyses
from mlorg.provenance import Origins, _any_provenance
from mlorg.results import SEVERITY_ORDER, Evidence, Finding, Location
from mlorg.rules import _trusted as trusted
from mlorg.rules.context import RuleContext
from mlorg.rules.features import _quoted
from mlorg.rules.registry import Hit, Question, load_all
from mlorg.settings import Settings
from mlorg.spec.index import SUBJECT_SECTION, SpecIndex
from mlorg.spec.loader import parse_spec, validate_spec
from mlorg.spec.models import Organization
from mlorg.spec.source import SourceMap, parse_path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from orggen import generate

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
TODAY = dt.date(2026, 1, 1)


def same(a: Any, b: Any) -> None:
    """Equal, and stored the same way: field order, fields set, no extras or private state."""
    assert type(a) is type(b)
    assert list(a.__dict__.items()) == list(b.__dict__.items())
    assert a.__pydantic_fields_set__ == b.__pydantic_fields_set__
    assert a.__pydantic_extra__ == b.__pydantic_extra__ is None
    assert a.__pydantic_private__ == b.__pydantic_private__ is None
    assert a == b
    assert a.model_dump_json() == b.model_dump_json()


def test_builders_store_what_validation_stores() -> None:
    value = ["a", "b"]
    same(trusted.evidence("models[0].status", value), Evidence(path="models[0].status", value=value))
    assert trusted.evidence("p", value).value is Evidence(path="p", value=value).value  # `Any` keeps the object
    same(trusted.evidence("forums"), Evidence(path="forums", value=None))
    same(trusted.noted("forums", None, "why"), Evidence(path="forums", value=None, note="why"))
    same(trusted.location("org.yaml", 12), Location(file="org.yaml", line=12))
    ev = (trusted.evidence("teams[1]", "x"),)
    fields: dict[str, Any] = dict(
        rule="r", severity="high", subject="team:x", message="m", remedy="do", source="rml-ch13"
    )
    for location in (None, trusted.location("f", 3)):
        same(
            trusted.finding(fields["rule"], "high", "team:x", "m", ev, "do", "rml-ch13", location),
            Finding(**fields, evidence=ev, location=location),
        )


def test_finding_validates_what_it_cannot_trust() -> None:
    ev = Evidence(path="a", value=1)
    listed = trusted.finding("r", "low", "org", "m", [ev], "do", "s", None)  # type: ignore[arg-type]
    plain = Finding(
        rule="r", severity="low", subject="org", message="m", evidence=(ev,), remedy="do", source="s", location=None
    )
    same(listed, plain)
    with pytest.raises(ValidationError):
        trusted.finding("r", "grave", "org", "m", (), "do", "s", None)
    with pytest.raises(ValidationError):
        trusted.finding("r", "low", "org", "m", ({"path": 3},), "do", "s", None)


def test_a_rules_builder_builds_what_finding_builds() -> None:
    ev = (trusted.evidence("teams[1]", "x"), trusted.noted("forums", None, "why"))
    build = trusted.findings_of("r", "high", "do", "rml-ch13")
    for location in (None, trusted.location("f", 3)):
        for remedy in (None, "", "own"):
            same(
                build("team:x", "m", ev, remedy, location),
                trusted.finding("r", "high", "team:x", "m", ev, remedy or "do", "rml-ch13", location),
            )
    # what it cannot trust is validated, per finding or for the whole rule
    listed = build("org", "m", [ev[0]], None, None)
    same(listed, trusted.finding("r", "high", "org", "m", (ev[0],), "do", "rml-ch13", None))
    with pytest.raises(ValidationError):
        build("org", "m", ({"path": 3},), None, None)
    with pytest.raises(ValidationError):
        trusted.findings_of("r", "grave", "do", "s")("org", "m", (), None, None)


def test_hits_and_questions_are_frozen_dataclasses() -> None:
    hit = Hit("team:x", "m", remedy="do")
    assert hit == Hit(subject="team:x", message="m", evidence=(), remedy="do")
    assert hash(hit) == hash(Hit("team:x", "m", (), "do"))
    assert repr(hit) == "Hit(subject='team:x', message='m', evidence=(), remedy='do')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.subject = "y"  # type: ignore[misc]
    assert Question("p", "q?") == Question(path="p", question="q?")


@pytest.mark.parametrize(
    "path",
    [
        "features[3].owner",
        "teams[12]",
        "organization",
        "strategy.business_constraints[2]",
        "teams[1].staffing.sre",
        "collaboration.ties[4].a",
        "a[1][2].b",
        "x.y",
        "people[0].roles[1]",
        "odd key[7].a b",
    ],
)
def test_parse_path_matches_the_general_scan(path: str) -> None:
    assert parse_path(path) == tuple(int(idx) if idx else name for name, idx in _PART.findall(path))


def test_index_path_shapes() -> None:
    spec = Organization.model_validate(
        {"version": 1, "organization": {"name": "x"}, "teams": [{"id": "a", "kind": "ml"}, {"id": "b", "kind": "ml"}]}
    )
    index = SpecIndex.of(spec)
    assert index.path("teams", "b") == "teams[1]"
    assert index.path("teams", "b", "kind") == "teams[1].kind"
    assert index.path("teams", "b", 0) == "teams[1][0]"
    assert index.path("teams", "b", "staffing", "sre") == "teams[1].staffing.sre"
    assert index.path("teams", "b", "departments", 2) == "teams[1].departments[2]"


def test_quoted() -> None:
    assert _quoted(("a",), "team") == "team 'a'"
    assert _quoted(("a", "b"), "team") == "teams 'a', 'b'"
    assert _quoted(tuple("abcdefg"), "model") == "models 'a', 'b', 'c', 'd', 'e' and 2 more"


def test_any_provenance() -> None:
    class Bare:
        pass

    class Named:
        def __init__(self, provenance: object) -> None:
            self.provenance = provenance

    assert not _any_provenance([])
    assert not _any_provenance([Named(None), Named(None)])
    assert _any_provenance([Named(None), Named("crm")])
    assert not _any_provenance([Bare(), Named(None)])
    assert _any_provenance([Bare(), Named("crm")])


def _json_lines(data: dict[str, Any]) -> str:
    """JSON with each entry of a top-level list on its own line, so findings point at many lines."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list):
            parts.append(json.dumps(key) + ": [\n" + ",\n".join(json.dumps(v) for v in value) + "\n]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _load(people: int, as_json: bool) -> Organization:
    data = generate(people)
    text = _json_lines(data) if as_json else yaml.safe_dump(data, sort_keys=False)
    return validate_spec(parse_spec(text, "org.json" if as_json else "org.yaml", as_json=as_json))


def _reference(ctx: RuleContext, settings: Settings, source: SourceMap | None) -> list[Finding]:
    """Findings the plain way: validated models, string paths parsed by the general scan, one full sort."""
    out = []
    for slug, rule in load_all().items():
        for hit in rule.check(ctx):
            if not isinstance(hit, Hit) or settings.exemption(slug, hit.subject, TODAY) is not None:
                continue
            location = None
            if source is not None:
                if hit.evidence:
                    path = hit.evidence[0].path
                else:
                    kind, _, ident = hit.subject.partition(":")
                    section = SUBJECT_SECTION.get(kind)
                    if section and (section, ident) in ctx.index.position:
                        path = ctx.index.path(section, ident)
                    else:
                        path = "organization"
                parts = tuple(int(idx) if idx else name for name, idx in _PART.findall(path))
                location = Location(file=source.file, line=source.line(parts))
            origins = ctx.origins
            out.append(
                Finding(
                    rule=rule.slug,
                    severity=settings.severity.get(slug, rule.severity),
                    subject=hit.subject,
                    message=hit.message,
                    evidence=origins.evidence(hit.evidence) if origins is not None else hit.evidence,
                    remedy=hit.remedy or rule.remedy,
                    source=rule.source,
                    location=location,
                )
            )
    out.sort(key=Finding.sort_key)
    return out


@pytest.mark.parametrize("as_json", [True, False])
def test_run_rules_matches_the_plain_way(as_json: bool) -> None:
    spec = _load(3000, as_json)
    # re-grade some rules so groups of findings change places, and exempt one subject
    settings = Settings().merged(
        {
            "severity": {"uncoordinated-upstream-data": "info", "feature-too-stale": "critical"},
            "ignore": [{"rule": "feature-unavailable-in-production", "subject": "feature:f0"}],
        }
    )
    eff = engine.effective_settings(spec, settings)
    index = SpecIndex.of(spec)
    ctx = AnalysisContext(spec, index, eff.thresholds)
    analyses = run_analyses(ctx)
    rule_ctx = RuleContext(spec, index, eff.thresholds, analyses)
    findings, _, _, _ = engine.run_rules(rule_ctx, eff, index.source, today=TODAY)
    expected = _reference(rule_ctx, eff, index.source)
    assert len(findings) == len(expected) > 100
    assert len({f.severity for f in findings}) > 2 and any(f.location and f.location.line > 1 for f in findings)
    for got, want in zip(findings, expected, strict=True):
        same(got, want)
        same(got.location, want.location) if want.location else None
        for a, b in zip(got.evidence, want.evidence, strict=True):
            same(a, b)


def _plain_remedies(found: list[Finding]) -> dict[str, tuple[int, str]]:
    remedies: dict[str, tuple[int, str]] = {}
    for f in found:
        rank = SEVERITY_ORDER[f.severity]
        if f.rule not in remedies or rank < remedies[f.rule][0]:
            remedies[f.rule] = (rank, f.remedy)
    return remedies


def test_change_plan_reads_runs_as_the_plain_loop_does() -> None:
    def f(rule: str, severity: str, remedy: str, subject: str = "org") -> Finding:
        return Finding(rule=rule, severity=severity, subject=subject, message="m", remedy=remedy, source="s")  # type: ignore[arg-type]

    found = [
        f("no-platform-team", "low", "a"),
        f("no-platform-team", "high", "b"),
        f("no-platform-team", "high", "c"),
        f("siloed-ml-team", "medium", "d"),
        f("no-written-strategy", "info", "s"),
        f("no-platform-team", "critical", "e"),
        f("no-platform-team", "critical", "f"),
        f("siloed-ml-team", "medium", "g"),
        f("not-a-planned-rule", "high", "h"),
    ]
    plain_by_point: dict[str, list[Finding]] = {}
    for x in found:
        point = change_plan.RULE_POINT.get(x.rule)
        if point is not None:
            plain_by_point.setdefault(point, []).append(x)
    by_point = change_plan._findings_by_point(tuple(found))
    assert list(by_point) == list(plain_by_point) == ["structure", "strategy"]
    for point, drawn in by_point.items():
        assert drawn.count == len(plain_by_point[point])
        assert drawn.remedies == _plain_remedies(plain_by_point[point])
    assert by_point["structure"].remedies == {"no-platform-team": (0, "e"), "siloed-ml-team": (2, "d")}
    spec = Organization.model_validate({"version": 1, "organization": {"name": "x"}})
    ctx = AnalysisContext(spec, SpecIndex.of(spec), Settings().thresholds)
    star = run_analyses(ctx).star_model
    step = change_plan._point_step(ctx, 2, "structure", ["why"], star, by_point["structure"].remedies, 1, 4)
    assert step.addresses == ("no-platform-team", "siloed-ml-team") and step.actions == ("e", "d")


def test_origins_when_nothing_is_imported() -> None:
    spec = Organization.model_validate(
        {"version": 1, "organization": {"name": "x"}, "teams": [{"id": "a", "kind": "ml"}]}
    )
    assert Origins.of(spec) is None
