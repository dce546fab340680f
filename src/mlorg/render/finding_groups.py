"""Findings as a person reads them: one entry per rule, with its count, examples and evidence pattern.

A large organization can raise thousands of findings of a handful of rules; a leader needs to see
the handful. Every renderer for people (terminal, Markdown, HTML, PDF) shows these groups; JSON and
SARIF keep one result per subject. Open questions are grouped the same way: one line for a question
asked of every imported person.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from mlorg.render.words import count, value_text
from mlorg.results import SEVERITY_ORDER, Evidence, Finding, OpenQuestion

TELLING = 3
PATTERNS = 4
SOURCE_TITLES = {
    "rml-ch13": "Reliable Machine Learning, ch. 13: integrating ML into an organization",
    "fsdl-teams": "Full Stack Deep Learning: ML team structure and archetypes",
    "hasty-structures": "Centralized vs decentralized ML teams, by company stage",
    "tecton-embedded": "Why centralized ML teams fail; embedding ML in product teams",
    "georgian-maturity": "A five-stage ML maturity framework for building a team",
}


@dataclass(frozen=True)
class EvidenceView:
    path: str
    value: str
    note: str


@dataclass(frozen=True)
class FindingView:
    anchor: str
    rule: str
    severity: str
    subject: str
    subject_name: str
    message: str
    evidence: tuple[EvidenceView, ...]
    remedy: str
    source: str
    source_title: str
    location: str


@dataclass(frozen=True)
class SubjectView:
    """One subject of a rule: its name for people, its machine id and what the rule says of it."""

    anchor: str
    name: str
    subject: str
    message: str
    location: str


@dataclass(frozen=True)
class FindingGroup:
    """Every finding of one rule: the count, a full example, the pattern in the evidence, the subjects."""

    rule: str
    title: str
    severity: str
    count: int
    example: FindingView
    telling: tuple[str, ...]
    pattern: tuple[str, ...]
    subjects: tuple[SubjectView, ...]
    hidden: int

    @property
    def anchor(self) -> str:
        return f"rule-{self.rule}"

    @property
    def total(self) -> int:
        return self.count

    @property
    def headline(self) -> str:
        """``A model in production has nobody accountable for it (12 models)``: title and how many."""
        if self.count == 1:
            return self.title.rstrip(".")
        return f"{self.title.rstrip('.')} ({count(self.count, subject_noun(self.example.subject))})"


def subject_noun(subject: str) -> str:
    kind = subject.partition(":")[0] if ":" in subject else "organization"
    return {"org": "organization"}.get(kind, kind)


@cache
def rule_title(rule: str) -> str:
    """The rule's one-line summary from the registry (what `mlorg rules` prints), else the slug in words."""
    from mlorg.rules.registry import load_all

    registered = load_all().get(rule)
    return registered.summary if registered else rule.replace("-", " ").capitalize()


def finding_view(i: int, f: Finding, name: Callable[[str], str]) -> FindingView:
    return FindingView(
        anchor=f"finding-{i + 1}",
        rule=f.rule,
        severity=f.severity,
        subject=f.subject,
        subject_name=name(f.subject),
        message=f.message,
        evidence=tuple(EvidenceView(e.path, value_text(e.value), _note(e)) for e in f.evidence),
        remedy=f.remedy,
        source=f.source,
        source_title=SOURCE_TITLES.get(f.source, ""),
        location=f"{f.location.file}:{f.location.line}" if f.location else "",
    )


def group_findings(
    findings: Sequence[Finding],
    indexes: Iterable[int],
    name: Callable[[str], str],
    limit: int,
    *,
    top: int | None = None,
    patterns: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] | None = None,
) -> tuple[FindingGroup, ...]:
    """Group the findings at ``indexes`` by rule, most severe first, then the most widespread.

    ``limit`` caps the subjects listed per group (the rest are counted in ``hidden``); ``name`` gives a
    subject's display name. ``top``: only that many groups, the first in this order; the others are
    never built (their evidence patterns are most of the cost at 100,000 people). ``patterns``
    remembers each group's evidence pattern across calls (a report groups a rule's findings twice:
    in the summary's risks and in the rule's section).
    """
    by_rule: dict[str, list[int]] = defaultdict(list)
    for i in indexes:
        by_rule[findings[i].rule].append(i)
    order = sorted(
        (min(SEVERITY_ORDER[findings[i].severity] for i in idx), -len(idx), rule, idx) for rule, idx in by_rule.items()
    )
    out = []
    for rank, _, rule, idx in order[:top] if top is not None else order:
        first = findings[idx[0]]
        subjects = tuple(
            SubjectView(
                f"finding-{i + 1}",
                name(findings[i].subject),
                findings[i].subject,
                findings[i].message,
                f"{findings[i].location.file}:{findings[i].location.line}" if findings[i].location else "",  # type: ignore[union-attr]
            )
            for i in idx[:limit]
        )
        out.append(
            FindingGroup(
                rule=rule,
                title=rule_title(rule),
                severity=SEVERITIES[rank],
                count=len(idx),
                example=finding_view(idx[0], first, name),
                telling=tuple(name(findings[i].subject) for i in idx[:TELLING]),
                pattern=_pattern(findings, rule, idx, patterns),
                subjects=subjects,
                hidden=len(idx) - len(subjects),
            )
        )
    return tuple(out)


_SCALARS = frozenset({str, bool, int, float})


def _pattern(
    findings: Sequence[Finding],
    rule: str,
    idx: list[int],
    memo: dict[tuple[str, tuple[int, ...]], tuple[str, ...]] | None,
) -> tuple[str, ...]:
    if memo is None:
        return evidence_pattern([findings[i].evidence for i in idx])
    key = (rule, tuple(idx))
    found = memo.get(key)
    if found is None:
        found = memo[key] = evidence_pattern([findings[i].evidence for i in idx])
    return found


SEVERITIES = tuple(sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__))
_INDEX = re.compile(r"\[\d+\]")


def _note(e: Evidence) -> str:
    """The evidence's note, and where an imported value came from."""
    origin = f"from {e.provenance}" if e.provenance else ""
    return "; ".join(part for part in (e.note or "", origin) if part)


def _field(path: str) -> str:
    """``models[3].monitoring`` -> ``models[].monitoring``; one index (the usual case) without a regex."""
    i = path.find("[")
    if i < 0:
        return path
    j = path.find("]", i)
    if j > i + 1 and path.find("[", j) < 0 and path[i + 1 : j].isdigit() and path[i + 1 : j].isascii():
        return f"{path[:i]}[]{path[j + 1 :]}"
    return _INDEX.sub("[]", path)


def evidence_pattern(evidence: Sequence[Sequence[Evidence]]) -> tuple[str, ...]:
    """What the evidence of a rule's findings has in common: each field with its usual values and how often.

    ``models[3].monitoring`` and ``models[7].monitoring`` are one field, ``models[].monitoring``.
    """
    values: dict[str, Counter[str]] = defaultdict(Counter)
    systems: dict[str, Counter[str]] = defaultdict(Counter)  # where imported values came from
    texts: dict[tuple[type, object], str] = {}  # value_text of the scalars seen (the type is in the key: 1 is not True)
    for items in evidence:
        seen = set()
        for e in items:
            path = _field(e.path)
            if path in seen:
                continue
            seen.add(path)
            value = e.value
            if value is None or type(value) in _SCALARS:
                key = (type(value), value)
                text = texts.get(key)
                if text is None:
                    text = texts[key] = value_text(value, 60)
            else:
                text = value_text(value, 60)
            values[path][text] += 1
            if e.provenance:
                systems[path][e.provenance if len(evidence) == 1 else e.provenance.partition(":")[0]] += 1
    total = len(evidence)
    ranked = sorted(values.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:PATTERNS]
    out = []
    for path, counter in ranked:
        n = sum(counter.values())
        common = counter.most_common(3)
        if len(counter) == 1:
            text = f"`{path}` = {common[0][0]}"
        else:
            text = f"`{path}`: " + ", ".join(f"{v} ({k})" for v, k in common)
            if len(counter) > 3:
                text += f", {len(counter) - 3} other values"
        if n < total:
            text += f" (in {n:,} of {total:,})"
        if systems.get(path):
            text += (
                " (from "
                + ", ".join(f"{k}" if c == n else f"{k}: {c:,}" for k, c in sorted(systems[path].items()))
                + ")"
            )
        out.append(text)
    return tuple(out)


#: Example fields named for a group of open questions.
QUESTION_EXAMPLES = 3
#: The same question asked of this many entries or more is one line; fewer keep a line each, naming each entry.
QUESTION_GROUP_FROM = 6


@dataclass(frozen=True)
class QuestionGroup:
    """Open questions asking the same of many entries (each imported person's ``ml_experience``), as one line."""

    path: str  # the field; ``people[].ml_experience`` when the group asks it of several entries
    question: str  # the first entry's question
    settles: tuple[str, ...]
    count: int
    examples: tuple[str, ...]  # the first entries' own paths

    def text(self) -> str:
        """The question, and how many entries it is asked of (a leader answers a team's count once)."""
        if self.count == 1:
            return self.question
        shown = ", ".join(f"`{p}`" for p in self.examples)
        return f"{self.question} Asked of {self.count:,} entries in all, such as {shown}."


def question_groups(questions: Sequence[OpenQuestion]) -> tuple[QuestionGroup, ...]:
    """The open questions, those that differ only in an entry's index (and settle the same rules) as one group
    once there are :data:`QUESTION_GROUP_FROM` of them, in the order of their first question: an imported
    organization asks the same of thousands of people, where two models without an owner are two lines."""
    keys = [(_field(q.path), q.settles) for q in questions]
    groups: dict[tuple[str, tuple[str, ...]], list[OpenQuestion]] = defaultdict(list)
    for key, q in zip(keys, questions, strict=True):
        groups[key].append(q)
    out: list[QuestionGroup] = []
    for key, q in zip(keys, questions, strict=True):
        qs = groups[key]
        if len(qs) < QUESTION_GROUP_FROM:  # a line each, in the questions' own order
            out.append(QuestionGroup(q.path, q.question, q.settles, 1, (q.path,)))
        elif qs[0] is q:  # the group's line, where its first question was; examples by entry number
            first = heapq.nsmallest(QUESTION_EXAMPLES, qs, key=lambda e: _numbered(e.path))
            examples = tuple(e.path for e in first)
            out.append(QuestionGroup(key[0], first[0].question, q.settles, len(qs), examples))
    return tuple(out)


def _numbered(path: str) -> tuple[str | int, ...]:
    """``models[10].owner`` after ``models[2].owner``: the entry numbers compared as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(path))


_DIGITS = re.compile(r"(\d+)")


def questions_told(groups: Sequence[QuestionGroup]) -> str:
    """``15 open questions, over 43,071 fields``: how many there are to answer, as grouped."""
    n, fields = len(groups), sum(g.count for g in groups)
    told = f"{n} open question{'' if n == 1 else 's'}"
    return told + (f", over {fields:,} fields" if fields > n else "")
