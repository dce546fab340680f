"""Evidence, locations and findings built from values already of the right type, without validation.

A 100,000-person organization yields tens of thousands of findings, each with a location and a few
evidence items; pydantic's validation of those ~150,000 small objects was a large share of running
the rules (and ``model_construct`` is slower still). The builders here set exactly what validation
would store -- the same field values in the same order, the same fields-set, no extras, no private
state -- so the objects are equal to, and serialize byte for byte like, validated ones. Callers pass
only values validation would keep unchanged (``str`` for text, ``int`` lines, a tuple of
:class:`Evidence`); :func:`finding` checks its inputs and validates anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat
from typing import Any

from pydantic import BaseModel

from mlorg.results import SEVERITY_ORDER, Evidence, Finding, Location, bare

# What the builders assume of the models; a field added to one of them must be added here too.
_SHAPES: dict[type[BaseModel], tuple[str, ...]] = {
    Evidence: ("path", "value", "note", "provenance"),
    Location: ("file", "line"),
    Finding: ("rule", "severity", "subject", "message", "evidence", "remedy", "source", "location"),
}
for _model, _fields in _SHAPES.items():
    if tuple(_model.model_fields) != _fields or _model.__pydantic_post_init__:
        raise RuntimeError(f"mlorg.rules._trusted does not know the fields of {_model.__name__}")


# Each object's fields-set, shared (the models are frozen; ``model_copy`` copies the set before changing it).
_FINDING_FIELDS = set(_SHAPES[Finding])
_LOCATION = {"file", "line"}
_PATH_VALUE = {"path", "value"}
_PATH_VALUE_NOTE = {"path", "value", "note"}


def evidence(path: str, value: Any = None) -> Evidence:
    """``Evidence(path=path, value=value)`` for a ``str`` path."""
    return bare(Evidence, {"path": path, "value": value, "note": None, "provenance": None}, _PATH_VALUE)


def noted(path: str, value: Any, note: str) -> Evidence:
    """``Evidence(path=path, value=value, note=note)`` for a ``str`` path and note."""
    return bare(Evidence, {"path": path, "value": value, "note": note, "provenance": None}, _PATH_VALUE_NOTE)


def location(file: str, line: int) -> Location:
    """``Location(file=file, line=line)`` for a ``str`` file and an ``int`` line."""
    return bare(Location, {"file": file, "line": line}, _LOCATION)


def finding(
    rule: str,
    severity: str,
    subject: str,
    message: str,
    evidence: Any,
    remedy: str,
    source: str,
    location: Location | None,
) -> Finding:
    """``Finding(...)`` with every field given; validated as usual unless every value is one
    validation keeps as it is."""
    if (
        type(severity) is str
        and severity in SEVERITY_ORDER
        and type(rule) is str
        and type(subject) is str
        and type(message) is str
        and type(remedy) is str
        and type(source) is str
        and (location is None or type(location) is Location)
        and type(evidence) is tuple
        and all(map(isinstance, evidence, repeat(Evidence)))  # instances are kept as they are
    ):
        fields = {
            "rule": rule,
            "severity": severity,
            "subject": subject,
            "message": message,
            "evidence": evidence,
            "remedy": remedy,
            "source": source,
            "location": location,
        }
        return bare(Finding, fields, _FINDING_FIELDS)
    return Finding(
        rule=rule,
        severity=severity,
        subject=subject,
        message=message,
        evidence=evidence,
        remedy=remedy,
        source=source,
        location=location,
    )


#: what :func:`findings_of` returns: (subject, message, evidence, remedy or None, location) -> Finding
FindingBuilder = Callable[[str, str, Any, "str | None", "Location | None"], Finding]


def findings_of(rule: str, severity: str, remedy: str, source: str) -> FindingBuilder:
    """A builder of one rule's findings, each as :func:`finding` would build it.

    The fields every finding of the rule shares (its slug, severity, default remedy and source) are
    checked once here, not once per finding; each finding's own values are checked as
    :func:`finding` checks them, and anything it cannot trust goes through :func:`finding`.
    """
    if not (
        type(severity) is str
        and severity in SEVERITY_ORDER
        and type(rule) is str
        and type(remedy) is str
        and type(source) is str
    ):

        def checked(
            subject: str, message: str, evidence: Any, own_remedy: str | None, location: Location | None
        ) -> Finding:
            return finding(rule, severity, subject, message, evidence, own_remedy or remedy, source, location)

        return checked

    fields_set = _FINDING_FIELDS

    def build(subject: str, message: str, evidence: Any, own_remedy: str | None, location: Location | None) -> Finding:
        own_remedy = own_remedy or remedy
        if (
            type(subject) is str
            and type(message) is str
            and type(own_remedy) is str
            and (location is None or type(location) is Location)
            and type(evidence) is tuple
            and all(map(isinstance, evidence, repeat(Evidence)))
        ):
            fields = {
                "rule": rule,
                "severity": severity,
                "subject": subject,
                "message": message,
                "evidence": evidence,
                "remedy": own_remedy,
                "source": source,
                "location": location,
            }
            return bare(Finding, fields, fields_set)
        return finding(rule, severity, subject, message, evidence, own_remedy, source, location)

    return build
