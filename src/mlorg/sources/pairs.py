"""``pairs``: a person-to-person collaboration export (Viva Insights and similar) -> collaboration ties.

One row per pair of people (and per period, if the export has one), with counts or hours by
channel. The two people are recognised by column name (``PrimaryCollaborator_PersonId`` and
``SecondaryCollaborator_PersonId``, ``Person A`` / ``Person B``, ``Source`` / ``Target``, ...), and
every numeric column whose name says a channel (meeting, email, chat, call, ...) is read as that
channel's weight. ``--map COLUMN=FIELD`` names any other column (fields: ``a``, ``b``, a channel, or
``ignore``). Rows of the same pair and channel are summed over periods; empty and zero cells are skipped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping, Sequence
from typing import ClassVar, get_args

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.render.words import count
from mlorg.sources.interface import Fragment, ImportOptions, Source
from mlorg.sources.support import read_input
from mlorg.spec.messages import shown
from mlorg.spec.models import Channel, Provenance, Tie

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "a": ("PrimaryCollaborator_PersonId", "Person A", "PersonA", "Source", "From", "Person", "PersonId", "Employee"),
    "b": (
        "SecondaryCollaborator_PersonId",
        "Person B",
        "PersonB",
        "Target",
        "To",
        "Collaborator",
        "CollaboratorId",
        "Colleague",
    ),
}
#: Pattern searched in a normalised column name -> channel; the first match wins.
CHANNEL_WORDS: tuple[tuple[str, Channel], ...] = (
    (r"meeting", "meeting"),
    (r"email|mail", "email"),
    (r"chat|instantmessage|message|teams|slack", "chat"),
    (r"call", "call"),
    (r"commit|code|pullrequest", "code"),
    (r"review", "review"),
    (r"collaboration|tiescore|strongtie|weight|hours|count", "other"),
)
CHANNELS: tuple[str, ...] = get_args(Channel)
FIELDS = ("a", "b", *CHANNELS, "ignore")
#: Columns that describe the row, never a weight.
_NOT_WEIGHT = re.compile(r"date|period|week|month|organization|organisation|level|function|type|name|email$")


def _norm(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", column.lower())


class PairsSource(Source):
    kind: ClassVar[str] = "pairs"
    summary: ClassVar[str] = "A person-to-person collaboration CSV (Viva Insights and similar): one row per pair."
    takes_mapping: ClassVar[bool] = True

    def read(self, inputs: Sequence[str], options: ImportOptions) -> Fragment:
        for field in options.mapping.values():
            if field not in FIELDS:
                raise UsageError(f"--map: unknown field '{field}'; choose one of: {', '.join(FIELDS)}")
        totals: dict[tuple[str, str, str], float] = {}
        where: dict[tuple[str, str, str], tuple[str, int]] = {}
        skipped = 0
        for path in inputs:
            skipped += _read(path, options, totals, where)
        ties = tuple(
            Tie(
                a=a,
                b=b,
                weight=round(w, 3),
                channel=channel,
                provenance=Provenance(system="pairs", location=where[key][0], record=f"line {where[key][1]}"),
            )
            for key, w in sorted(totals.items())
            for a, b, channel in (key,)
            if round(w, 3) > 0
        )
        notes = (f"{count(skipped, 'row')} named the same person twice or nobody; skipped",) if skipped else ()
        return Fragment(system="pairs", ties=ties, notes=notes)


def _columns(header: list[str], mapping: Mapping[str, str], path: str) -> tuple[int, int, dict[int, str]]:
    by_exact = {h.strip(): i for i, h in enumerate(header)}
    fields: dict[int, str] = {}
    for column, field in mapping.items():
        if column not in by_exact:
            from mlorg.spec.messages import did_you_mean

            hint = did_you_mean(column, list(by_exact))
            raise SpecError.single(path, f"--map names column {shown(column)}, which the header lacks{hint}", 1)
        fields[by_exact[column]] = field
    for person, names in PERSON_COLUMNS.items():
        if person in fields.values():
            continue
        wanted = [_norm(n) for n in names]
        for name in wanted:
            at = next((i for i, h in enumerate(header) if _norm(h) == name and i not in fields), None)
            if at is not None:
                fields[at] = person
                break
    for i, h in enumerate(header):
        if i in fields:
            continue
        norm = _norm(h)
        if _NOT_WEIGHT.search(norm) and not re.search(r"hours|count", norm):
            continue
        for pattern, channel in CHANNEL_WORDS:
            if re.search(pattern, norm):
                fields[i] = channel
                break
    found = set(fields.values())
    for person in ("a", "b"):
        if person not in found:
            seen = ", ".join(shown(h) for h in header[:12])
            raise SpecError.single(
                path, f"no column for person {person} (found {seen}); name it with --map COLUMN={person}", 1
            )
    if not found & set(CHANNELS):
        raise SpecError.single(path, "no count or hours column; name one with --map COLUMN=CHANNEL", 1)
    a = next(i for i, f in fields.items() if f == "a")
    b = next(i for i, f in fields.items() if f == "b")
    weights = {i: f for i, f in fields.items() if f in CHANNELS}
    return a, b, weights


def _read(
    path: str,
    options: ImportOptions,
    totals: dict[tuple[str, str, str], float],
    where: dict[tuple[str, str, str], tuple[str, int]],
) -> int:
    reader = csv.reader(io.StringIO(read_input(path), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise SpecError.single(path, "the file is empty; expected a header row of column names", 1)
        a_col, b_col, weights = _columns(header, options.mapping, path)
        problems: list[Problem] = []
        skipped = 0
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(Problem(path, line, "", f"has {len(cells)} cells; the header has {len(header)}"))
                continue
            a = options.people.person(cells[a_col])
            b = options.people.person(cells[b_col])
            if a is None or b is None or a == b:
                skipped += 1
                continue
            lo, hi = sorted((a, b))
            for col, channel in weights.items():
                text = cells[col].strip()
                if not text:
                    continue
                try:
                    value = float(text)
                except ValueError:
                    problems.append(Problem(path, line, header[col], f"expected a number, got {shown(text)}"))
                    continue
                if not math.isfinite(value) or value < 0:
                    problems.append(Problem(path, line, header[col], f"expected a count or hours >= 0, got {text}"))
                    continue
                if value == 0:
                    continue
                key = (lo, hi, channel)
                totals[key] = totals.get(key, 0.0) + value
                where.setdefault(key, (path, line))
    except csv.Error as exc:
        raise SpecError.single(path, f"not a readable CSV file: {exc}", reader.line_num) from None
    if problems:
        raise SpecError(problems)
    return skipped
