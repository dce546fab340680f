"""Read survey answers: a CSV with one row per respondent, validated cell by cell.

Format: a ``team`` column (a team id from the spec; blank means the respondent gave none), an
optional ``role`` column (a spec role id, blank allowed) and one column per item id; a blank cell
is an unanswered item. Every problem is located as ``FILE:LINE:COLUMN`` and all are reported at
once as a :class:`~mlorg.errors.SpecError`. Cells are converted column by column through a lookup
table, so 100,000 rows parse in well under a second.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING, get_args

from mlorg.errors import Problem, SpecError
from mlorg.files import read_bounded
from mlorg.spec.messages import closest
from mlorg.spec.models import Role
from mlorg.survey.catalog import item_index

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

MAX_BYTES = int(os.environ.get("MLORG_MAX_SURVEY_BYTES", 64 * 1024 * 1024))
MAX_PROBLEMS = 50
LIMIT_HINT = "set MLORG_MAX_SURVEY_BYTES to raise it"
ROLES: tuple[str, ...] = get_args(Role)
TEAM, ROLE = "team", "role"


@dataclass(frozen=True, eq=False)
class Responses:
    """Validated answers. ``values[r, c]`` is respondent r's answer to ``items[c]``, NaN if blank.

    ``team``/``role`` hold per-respondent codes into ``teams``/``roles``; -1 means blank.
    """

    label: str
    items: tuple[str, ...]
    values: NDArray[np.float64]
    team: NDArray[np.int64]
    teams: tuple[str, ...]
    role: NDArray[np.int64] = field(default_factory=lambda: _no_codes())
    roles: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return int(self.values.shape[0])


def _no_codes() -> NDArray[np.int64]:
    import numpy as np

    return np.zeros(0, dtype=np.int64)


def empty(label: str = "<no answers>") -> Responses:
    """No answers at all (a survey round nobody has answered yet)."""
    import numpy as np

    return Responses(label, (), np.zeros((0, 0)), np.zeros(0, dtype=np.int64), ())


def read_responses(
    path: str | os.PathLike[str],
    label: str | None = None,
    *,
    team_ids: Collection[str] | None = None,
    max_bytes: int = MAX_BYTES,
) -> Responses:
    """Read and validate a responses CSV file; ``team_ids`` (the spec's teams) checks the team column.

    For a file named on the command line or by the caller: pipes and devices are read up to the
    limit. A path written in a spec goes through :func:`mlorg.files.read_spec_path` instead.
    """
    name = label or str(path)
    raw = read_bounded(path, name, max_bytes, limit_hint=LIMIT_HINT, what="CSV file")
    return parse_responses(decode(raw, name), name, team_ids=team_ids)


def decode(raw: bytes, label: str) -> str:
    """UTF-8 (with or without BOM) only; anything else is refused with its line and column."""
    if b"\x00" in raw[:65536]:
        raise SpecError.single(label, "looks like a binary file (or UTF-16), not a UTF-8 CSV")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError(
            [
                Problem(
                    label,
                    line,
                    "",
                    f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                    column=exc.start - line_start + 1,
                )
            ]
        ) from None


class _Collector:
    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []

    def add(self, line: int, column: int, path: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.label, line, path, message, column=column))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(Problem(self.label, 0, "", f"more than {MAX_PROBLEMS} problems; stopped listing"))

    def raise_if_any(self) -> None:
        if self.problems:
            raise SpecError(self.problems)


def parse_responses(text: str, label: str = "<survey>", *, team_ids: Collection[str] | None = None) -> Responses:
    """Validate CSV text already in memory (used by the CLI, the web app and tests)."""
    import numpy as np

    problems = _Collector(label)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise SpecError([Problem(label, 1, "", f"CSV error: {exc}", column=1)]) from None
    if not header or not any(h.strip() for h in header):
        raise SpecError.single(label, "file is empty; the first line must name the columns (team, role, item ids)")
    layout = _check_header([h.strip() for h in header], problems)
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    last = reader.line_num
    add_row, add_line = rows.append, lines.append
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if len(row) != width:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                column = min(len(row), width) + 1
                problems.add(start, column, "", f"row has {len(row)} cells; the header has {width}")
                continue
            add_row(row)
            add_line(start)
    except csv.Error as exc:
        problems.add(reader.line_num, 1, "", f"CSV error: {exc}")
    if layout is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")  # pragma: no cover
    team_col, role_col, item_cols = layout
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    team, teams = _codes(columns[team_col], lines, team_col, TEAM, team_ids, problems)
    if role_col is not None:
        role, roles = _codes(columns[role_col], lines, role_col, ROLE, ROLES, problems)
    else:
        role, roles = np.full(len(rows), -1, dtype=np.int64), ()
    values = np.empty((len(rows), len(item_cols)), dtype=np.float64)
    for j, (col, item_id) in enumerate(item_cols):
        values[:, j] = _scores(columns[col], lines, col, item_id, problems)
    problems.raise_if_any()
    return Responses(label, tuple(i for _, i in item_cols), values, team, teams, role, roles)


def _check_header(header: list[str], problems: _Collector) -> tuple[int, int | None, list[tuple[int, str]]] | None:
    known = item_index()
    if not any(name in known or name in (TEAM, ROLE) for name in header):
        # not a survey CSV at all (a wrong path, say): its first line may be anything, a secret included,
        # so none of it is repeated in the message
        problems.add(1, 1, "", "does not look like a survey CSV: the first line names no team, role or item column")
        return None
    seen: dict[str, int] = {}
    items: list[tuple[int, str]] = []
    ok = True
    for col, name in enumerate(header):
        if name in seen:
            problems.add(1, col + 1, name, f"duplicate column; already given in column {seen[name] + 1}")
            ok = False
            continue
        seen[name] = col
        if name in (TEAM, ROLE):
            continue
        if name not in known:
            close = closest(name, [TEAM, ROLE, *known])
            hint = f"; did you mean '{close}'?" if close else "; run `mlorg survey items` for the item ids"
            problems.add(1, col + 1, _shown(name), f"unknown column{hint}")
            ok = False
            continue
        items.append((col, name))
    if TEAM not in seen:
        problems.add(1, 1, "", "no 'team' column; the header must include team (and may include role)")
        ok = False
    elif not items and ok:
        problems.add(1, 1, "", "no item columns; add one column per answered item id")
        ok = False
    if not ok:
        return None
    return seen[TEAM], seen.get(ROLE), items


def _codes(
    cells: Iterable[str],
    lines: list[int],
    col: int,
    what: str,
    allowed: Collection[str] | None,
    problems: _Collector,
) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    """Code a label column; blank is -1. Labels outside ``allowed`` are problems."""
    import numpy as np

    raw = list(cells)
    distinct = sorted({c.strip() for c in set(raw)} - {""})
    if allowed is not None:
        allowed_set = set(allowed)
        bad = {d for d in distinct if d not in allowed_set}
        if bad:
            options = sorted(allowed_set)
            for row, cell in enumerate(raw):
                value = cell.strip()
                if value in bad:
                    close = closest(value, options)
                    hint = f"; did you mean '{close}'?" if close else ""
                    source = "in the spec" if what == TEAM else "a known role"
                    problems.add(lines[row], col + 1, what, f"{_shown(value)} is not {source}{hint}")
            distinct = [d for d in distinct if d not in bad]
    code = {d: i for i, d in enumerate(distinct)}
    lookup = {cell: code.get(cell.strip(), -1) for cell in set(raw)}
    codes = np.fromiter(map(lookup.__getitem__, raw), dtype=np.int64, count=len(raw))
    return codes, tuple(distinct)


def _scores(
    cells: tuple[str, ...], lines: list[int], col: int, item_id: str, problems: _Collector
) -> NDArray[np.float64]:
    """Convert one item column through a lookup table (C-speed ``map``); misses are located problems."""
    import numpy as np

    scale = item_index()[item_id][0].scale
    lookup: dict[str, float] = {"": math.nan, **{str(p): float(p) for p in scale.points}}
    out = np.fromiter(map(lookup.get, cells, repeat(math.inf)), dtype=np.float64, count=len(cells))
    for row in np.flatnonzero(np.isinf(out)).tolist():
        cell = cells[row]
        fixed = lookup.get(cell.strip(), math.inf)
        if fixed != math.inf:
            out[row] = fixed
        else:
            problems.add(lines[row], col + 1, item_id, f"{_shown(cell)} is not on the scale {scale.describe()}")
    return out


def _shown(value: str, limit: int = 40) -> str:
    text = value.encode("unicode_escape", "backslashreplace").decode("ascii")
    return f"'{text[: limit - 3]}...'" if len(text) > limit else f"'{text}'"


def from_records(
    records: Iterable[tuple[str | None, str | None, Mapping[str, int]]], label: str = "<survey>"
) -> Responses:
    """Answers already validated elsewhere (the web app's database): (team, role, {item: value})."""
    import numpy as np

    index = item_index()
    rows = list(records)
    used = {k for _, _, answers in rows for k in answers}
    unknown = used - set(index)
    if unknown:
        raise SpecError.single(label, f"unknown item ids: {', '.join(sorted(unknown))}")
    order = {item_id: n for n, item_id in enumerate(index)}
    items = tuple(sorted(used, key=order.__getitem__))
    col = {item_id: j for j, item_id in enumerate(items)}
    values = np.full((len(rows), len(items)), np.nan)
    teams = tuple(sorted({t for t, _, _ in rows if t}))
    roles = tuple(sorted({r for _, r, _ in rows if r}))
    tcode = {t: i for i, t in enumerate(teams)}
    rcode = {r: i for i, r in enumerate(roles)}
    team = np.full(len(rows), -1, dtype=np.int64)
    role = np.full(len(rows), -1, dtype=np.int64)
    for r, (t, ro, answers) in enumerate(rows):
        team[r] = tcode[t] if t else -1
        role[r] = rcode[ro] if ro else -1
        for item_id, value in answers.items():
            values[r, col[item_id]] = float(value)
    return Responses(label, items, values, team, teams, role, roles)
