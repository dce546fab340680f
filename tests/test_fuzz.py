"""Property-based fuzzing of the two files a user hands mlorg: the spec and the survey answers CSV.

Hypothesis mutates the bundled spec (``examples/yarnit.yaml``) and a valid answers CSV, both as
text (lines deleted, duplicated, swapped, re-indented, cut short; hostile characters inserted) and
as structure (a value replaced by one of another type, a key dropped or added), then runs the real
CLI in-process. The bar (DESIGN §4, issue 13): exit 0 or 2, never 3, never a traceback, and every
problem line of an exit 2 located as ``FILE:LINE`` (``FILE:LINE:COLUMN`` for CSV cells).

Bounded for CI (a fixed, derandomised set of examples per property). For a longer, random run:
``MLORG_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE
from mlorg.cli import main
from mlorg.survey.catalog import instrument

LONG_RUN = int(os.environ.get("MLORG_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 50,
    deadline=None,
    derandomize=not LONG_RUN,  # CI sees the same examples every run; a long run explores
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SPEC_TEXT = EXAMPLE.read_text(encoding="utf-8")
SPEC_DATA: dict[str, Any] = yaml.safe_load(SPEC_TEXT)
TEAMS = [t["id"] for t in SPEC_DATA["teams"]]
ITEMS = [i.id for i in instrument("westrum").items]  # type: ignore[union-attr]
CSV_TEXT = (
    "team,role,"
    + ",".join(ITEMS)
    + "\n"
    + "".join(
        f"{team},,{','.join(str(1 + (n + k) % 7) for k in range(len(ITEMS)))}\n" for n, team in enumerate(TEAMS * 2)
    )
)
# Whole-file problems have no line to point at; every other problem must name one.
WHOLE_FILE = re.compile(
    r"^(spec\.yaml|answers\.csv): (file is empty|looks like a binary file|input is over|file is \d|"
    r"a spec is one YAML document|YAML error|more than \d+ problems)"
)
LOCATED = re.compile(r"^(spec\.yaml|answers\.csv):\d+(:\d+)?: .")

# Characters that mean something to YAML or CSV, controls, and text that is easy to get wrong.
HOSTILE = st.sampled_from(
    [
        *":-[]{}&*!|>'\"%@`#,?~\\\t\n\r ",
        *["\x00", "\x1b", "\x85", "\u2028", "\ufeff", "\u202e", "é", "😀", "１", "²", "٣"],
        *["!!bool ", "!!timestamp ", "!!python/object:os.system ", "<<: ", "&a ", "*a", "---\n", "...\n"],
        *["true", "null", "yes", "1:30", "0x1F", "1e999", ".nan", "-1", "9" * 40, "''", '""'],
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(TEAMS + ITEMS + ["ml", "recs", "production", "high", "2024-01-01"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    """A fresh folder per example (function-scoped fixtures do not reset between examples)."""
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def run(folder: Path, *args: str) -> tuple[int, str]:
    """The CLI in-process, from ``folder``; returns the exit code and stderr."""
    err = io.StringIO()
    cwd = Path.cwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            else:  # pragma: no cover - main always exits
                code = 0
    finally:
        os.chdir(cwd)
    return code, err.getvalue()


def check_bar(code: int, stderr: str) -> None:
    assert code in (0, 2), f"exit {code}:\n{stderr}"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if code == 2:
        lines = stderr.splitlines()
        assert re.fullmatch(r"mlorg: \d+ problems? found; nothing was written", lines[-1]), stderr
        for line in lines[:-1]:
            assert LOCATED.match(line) or WHOLE_FILE.match(line), f"not located: {line!r}"


def assess(folder: Path, spec: str | bytes, *extra: str, answers: str | bytes | None = None) -> None:
    path = folder / "spec.yaml"
    path.write_bytes(spec if isinstance(spec, bytes) else spec.encode("utf-8", "surrogatepass"))
    if answers is not None:
        csv = answers if isinstance(answers, bytes) else answers.encode("utf-8", "surrogatepass")
        (folder / "answers.csv").write_bytes(csv)
    code, stderr = run(folder, "assess", "spec.yaml", "-f", "json", "-o", "out.json", *extra)
    check_bar(code, stderr)
    assert (folder / "out.json").exists() == (code == 0), "nothing half-written on a refusal"


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> str:
    """One to four textual edits of ``text``, each at a drawn line or position."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            lines = ["".join(draw(st.lists(HOSTILE, max_size=5)))]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "insert", "replace", "cut"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
        elif op == "cut":
            lines = lines[: i + 1]
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        else:
            at = draw(st.integers(0, len(lines[i])))
            piece = "".join(draw(st.lists(HOSTILE | st.text(max_size=3), min_size=1, max_size=4)))
            end = at + (draw(st.integers(0, 5)) if op == "replace" else 0)
            lines[i] = lines[i][:at] + piece + lines[i][end:]
    return "".join(lines)


@st.composite
def structure_mutation(draw: st.DrawFn, data: Any) -> Any:
    """``data`` with one to three nodes replaced, dropped or given a new sibling."""
    data = yaml.safe_load(yaml.safe_dump(data))  # a private copy

    for _ in range(draw(st.integers(1, 3))):
        node, path = data, []
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            key = draw(st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node)))))
            path.append((node, key))
            node = node[key]
        if not path:
            data[draw(st.text(max_size=10))] = draw(VALUES)
            continue
        parent, key = path[-1]
        op = draw(st.sampled_from(["replace", "drop", "add"]))
        if op == "replace":
            parent[key] = draw(VALUES)
        elif op == "drop":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(VALUES)
        else:
            parent.insert(key, draw(VALUES))
    return data


@FUZZ
@given(text_mutation(SPEC_TEXT))
def test_spec_text_mutants_meet_the_bar(spec: str) -> None:
    with workdir() as folder:
        assess(folder, spec)


@FUZZ
@given(structure_mutation(SPEC_DATA), st.booleans())
def test_spec_structure_mutants_meet_the_bar(data: Any, flow: bool) -> None:
    spec = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    with workdir() as folder:
        assess(folder, spec)


@FUZZ
@given(text_mutation(CSV_TEXT), st.booleans())
def test_survey_csv_mutants_meet_the_bar(answers: str, from_spec: bool) -> None:
    """The answers as ``--survey`` or as the spec's own ``culture.survey``."""
    with workdir() as folder:
        if from_spec:
            spec = SPEC_TEXT.replace("culture:\n", "culture:\n  survey: answers.csv\n", 1)
            assess(folder, spec, answers=answers)
        else:
            assess(folder, SPEC_TEXT, "--survey", "answers.csv", answers=answers)


@pytest.mark.parametrize(
    "text",
    [
        "version: 2\norganization: {name: X, headcount: !!bool maybe}\n",
        "version: 2\norganization: {name: X, headcount: !!timestamp not-a-date}\n",
        "version: 2\norganization: {name: X, headcount: true}\n",
    ],
)
def test_the_bar_itself_catches_what_the_audit_found(text: str) -> None:
    """The property's checks are not vacuous: these were exit 3 or exit 0 before issue 13."""
    with workdir() as folder:
        (folder / "spec.yaml").write_text(text)
        code, stderr = run(folder, "assess", "spec.yaml", "-f", "json", "-o", "out.json")
    check_bar(code, stderr)
    assert code == 2 and LOCATED.match(stderr)
