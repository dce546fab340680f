"""SARIF 2.1.0 for code scanning: each finding is located at the spec line it concerns.

Every result carries a partial fingerprint of its rule and subject, so an alert stays the same alert
from run to run; findings an exemption accepts are results with a suppression and its justification.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic_core import to_json

from mlorg.assessment import Assessment
from mlorg.render.escape import printable
from mlorg.render.json_render import list_chunks
from mlorg.results import Exemption, Finding
from mlorg.rules.registry import load_all

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.0", "high": "7.0", "medium": "5.0", "low": "3.0", "info": "1.0"}


def fingerprint(rule: str, subject: str) -> str:
    """What keeps a code-scanning alert the same alert across runs: the rule and its subject.

    Not the line (editing the spec above a finding moves it) and not the message (it quotes values
    that change). Rules name one finding per subject, so the pair is unique within a run.
    """
    return f"{rule}:{subject}"


def _result(f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index.get(f.rule, -1),
        "level": LEVEL[f.severity],
        "message": {"text": printable(f"{f.message} Remedy: {f.remedy}")},
        "properties": {"subject": f.subject, "severity": f.severity, "source": f.source},
        "partialFingerprints": {"mlorg/v1": fingerprint(f.rule, f.subject)},
    }
    if f.location is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.location.file.replace("\\", "/")},
                    "region": {"startLine": max(f.location.line, 1)},
                }
            }
        ]
    return result


def render(assessment: Assessment) -> str:
    return b"".join(render_chunks(assessment)).decode("utf-8")


def render_chunks(assessment: Assessment) -> Iterator[bytes]:
    """The log as UTF-8 chunks, written by pydantic-core's serializer.

    Byte for byte what ``json.dumps(log, indent=2, ensure_ascii=False)`` wrote (the log holds only
    text, whole numbers and nested lists and mappings), about ten times faster. The results are
    built and serialized a batch at a time (:func:`mlorg.render.json_render.list_chunks`), so tens
    of thousands of findings never exist as plain data, or as bytes, all at once.
    """
    log = sarif_log(assessment, results=False)
    doc = to_json(log, indent=2)
    marker = b'"results": []'  # structural: a quote inside a JSON string is always escaped
    at = doc.index(marker) + len(marker) - 2
    yield doc[:at]
    rule_index = _rule_index()

    def result(item: Finding | Exemption) -> dict[str, Any]:
        return _result(item, rule_index) if isinstance(item, Finding) else _exempted(item, rule_index)

    # {"runs": [{"results": [...]}]}: the list sits three levels (six spaces) in
    yield from list_chunks((*assessment.findings, *assessment.exempted), 6, result)
    yield doc[at + 2 :]
    yield b"\n"


def _rule_index() -> dict[str, int]:
    return {slug: i for i, slug in enumerate(sorted(load_all()))}


def _exempted(exemption: Exemption, rule_index: dict[str, int]) -> dict[str, Any]:
    result = _result(exemption.finding, rule_index)
    justification = exemption.reason or "exempted in settings.ignore; no reason given"
    if exemption.until is not None:
        justification += f" (until {exemption.until.isoformat()})"
    result["suppressions"] = [
        {
            # in the spec itself (the file analysed) or in a --config file beside it
            "kind": "inSource" if exemption.in_spec else "external",
            "status": "accepted",
            "justification": printable(justification),
        }
    ]
    return result


def sarif_log(assessment: Assessment, *, results: bool = True) -> dict[str, Any]:
    """The SARIF log as plain data (``results=False``: with an empty results list, for streaming)."""
    from mlorg import __version__

    rules = load_all()
    slugs = sorted(rules)
    rule_index = _rule_index()
    findings = [_result(f, rule_index) for f in assessment.findings] if results else []
    findings += [_exempted(e, rule_index) for e in assessment.exempted] if results else []
    driver = {
        "name": "mlorg",
        "version": __version__,
        "informationUri": "https://github.com/mlorg/mlorg",
        "rules": [
            {
                "id": slug,
                "name": slug,
                "shortDescription": {"text": rules[slug].summary},
                "fullDescription": {"text": rules[slug].why},
                "help": {"text": rules[slug].remedy},
                "defaultConfiguration": {"level": LEVEL[rules[slug].severity]},
                "properties": {
                    "source": rules[slug].source,
                    "security-severity": SECURITY_SEVERITY[rules[slug].severity],
                },
            }
            for slug in slugs
        ],
    }
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": findings, "columnKind": "unicodeCodePoints"}],
    }
