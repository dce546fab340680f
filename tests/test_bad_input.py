"""Every kind of bad input ends in one clear, located message, exit code 2, no traceback, no output file.

Messages are asserted verbatim (pre-commit style), so a change of wording is a deliberate act.
Each case runs ``mlorg assess spec.yaml -f json -o out.json`` from inside ``tmp_path`` so the
file name in messages is the short ``spec.yaml``. The hostile cases (a 50 MB file, an alias
bomb, nesting that used to crash libyaml's composer) also run as a real subprocess.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE, CliResult
from mlorg.errors import SpecError
from mlorg.spec.loader import read_text

Runner = Callable[..., CliResult]

BASE = """\
version: 1
organization:
  name: Acme
teams:
  - {id: leadership, kind: leadership}
  - {id: engineering, kind: department, parent: leadership}
  - {id: recs, kind: ml, parent: engineering}
"""

BILLION_LAUGHS = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]
"""
BOMB_MESSAGE = (
    "spec.yaml:1: YAML aliases expand to 1,234,567,900 values from 29 written; refusing what looks like an alias bomb"
)
FIFTY_MB = 50 * 1024 * 1024


def edit(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new)


def problems(res: CliResult) -> list[str]:
    """The located problem lines (everything before the closing summary line)."""
    lines = res.stderr.splitlines()
    n = len(lines) - 1
    assert lines[-1] == f"mlorg: {n} problem{'s' if n != 1 else ''} found; nothing was written"
    return lines[:-1]


def assert_refused(res: CliResult, out: Path) -> None:
    assert res.code == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert res.stdout == ""
    assert not out.exists()


@pytest.fixture
def bad(run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str | bytes], list[str]]:
    """Write ``spec.yaml``, assess it with ``-o out.json``, check the refusal, return the problem lines."""
    monkeypatch.chdir(tmp_path)

    def run(content: str | bytes) -> list[str]:
        spec = tmp_path / "spec.yaml"
        if isinstance(content, bytes):
            spec.write_bytes(content)
        else:
            spec.write_text(content, encoding="utf-8")
        res = run_cli("assess", "spec.yaml", "-f", "json", "-o", "out.json")
        assert_refused(res, tmp_path / "out.json")
        return problems(res)

    return run


def run_subprocess(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mlorg", "assess", *args, "-f", "json", "-o", "out.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_base_spec_is_valid() -> None:
    """The cases below each break one thing in a spec that is otherwise fine."""
    assert mlorg.load_spec_text(BASE).organization.name == "Acme"


CASES: dict[str, tuple[str | bytes, list[str]]] = {
    "unknown team id": (
        edit("parent: engineering}", "parent: engneering}"),
        ["spec.yaml:7: teams[2].parent: unknown team 'engneering'; did you mean 'engineering'?"],
    ),
    "wrong enum value": (
        edit("kind: ml,", "kind: mll,"),
        [
            "spec.yaml:7: teams[2].kind: 'mll' is not one of: leadership, department, product, ml, data, "
            "platform, research, design, it_ops, business; did you mean 'ml'?"
        ],
    ),
    "wrong type": (
        edit("name: Acme", "name: Acme\n  headcount: lots"),
        ["spec.yaml:4: organization.headcount: expected a whole number, got 'lots'"],
    ),
    "number where text is expected": (
        edit("name: Acme", "name: 1984"),
        ["spec.yaml:3: organization.name: expected text, got 1984; put it in quotes to make it text"],
    ),
    "missing required field": (
        edit("{id: leadership, kind: leadership}", "{id: leadership}"),
        ["spec.yaml:5: teams[0].kind: required field missing"],
    ),
    "unknown model in a scoped business constraint": (
        BASE + "strategy:\n  business_constraints:\n    - {name: margin, models: [pricer]}\nmodels:\n  - {id: price}\n",
        ["spec.yaml:10: strategy.business_constraints[0].models[0]: unknown model 'pricer'; did you mean 'price'?"],
    ),
    "window and window_days together": (
        BASE + "features:\n  - {id: f, window: 6h, window_days: 1}\n",
        [
            "spec.yaml:9: features[0].window_days: give `window` or `window_days`, not both "
            "(`window_days: N` is `window: Nd`)"
        ],
    ),
    "window without a unit": (
        BASE + "features:\n  - {id: f, window: 30}\n",
        [
            "spec.yaml:9: features[0].window: 30 is not a duration: a whole number and a unit, "
            "such as 15m, 6h, 30d or 12w"
        ],
    ),
    "unknown key": (
        edit("name: Acme", "name: Acme\n  industy: retail"),
        ["spec.yaml:4: organization.industy: unknown key 'industy'; did you mean 'industry'?"],
    ),
    "duplicate id": (
        edit("{id: recs, kind: ml, parent: engineering}", "{id: engineering, kind: ml}"),
        ["spec.yaml:7: teams[2].id: duplicate team id 'engineering' (first defined on line 6)"],
    ),
    "duplicate key": (
        edit("name: Acme", "name: Acme\n  name: Acme Corp"),
        ["spec.yaml:4: organization.name: duplicate key 'name' (first on line 3); keep one"],
    ),
    "key read as a boolean": (
        BASE + "true: 1\n",
        ["spec.yaml:8: true: key 'true' is read as a boolean; put it in quotes if you mean the text"],
    ),
    "YAML 1.1 word `on` is text, so an unknown key": (
        BASE + "on: 1\n",
        ["spec.yaml:8: on: unknown key 'on'"],
    ),
    # one strict scalar rule (YAML 1.2 core schema) and strict types: no loose coercion
    "explicit !!bool tag on a non-boolean": (
        edit("name: Acme", "name: Acme\n  headcount: !!bool maybe"),
        ["spec.yaml:4: organization.headcount: 'maybe' is not true or false, as its tag '!!bool' requires"],
    ),
    "explicit !!timestamp tag": (
        edit("name: Acme", "name: Acme\n  headcount: !!timestamp not-a-date"),
        [
            "spec.yaml:4: organization.headcount: unsupported YAML tag '!!timestamp'; "
            "a spec holds text, numbers, true/false, null"
        ],
    ),
    "explicit !!int tag on a fraction": (
        edit("name: Acme", "name: Acme\n  headcount: !!int 1.5"),
        ["spec.yaml:4: organization.headcount: '1.5' is not a whole number, as its tag '!!int' requires"],
    ),
    "explicit !!null tag on text": (
        BASE + "strategy: {written: !!null no}\n",
        ["spec.yaml:8: strategy.written: 'no' is not null, as its tag '!!null' requires"],
    ),
    "a local tag in a list": (
        BASE + "strategy: {goals: [a, !secret b]}\n",
        [
            "spec.yaml:8: strategy.goals[1]: unsupported YAML tag '!secret'; "
            "a spec holds text, numbers, true/false, null"
        ],
    ),
    "an integer too long to convert": (
        edit("name: Acme", "name: Acme\n  headcount: " + "9" * 5000),
        ["spec.yaml:4: organization.headcount: number '" + "9" * 57 + "...' is too long"],
    ),
    "true is not the number 1": (
        edit("name: Acme", "name: Acme\n  headcount: true"),
        ["spec.yaml:4: organization.headcount: expected a whole number, got true"],
    ),
    "base-60 (YAML 1.1) is not a number": (
        edit("name: Acme", "name: Acme\n  headcount: 1:30"),
        ["spec.yaml:4: organization.headcount: expected a whole number, got '1:30'"],
    ),
    "quoted digits are not a number": (
        edit("name: Acme", "name: Acme\n  headcount: '12'"),
        ["spec.yaml:4: organization.headcount: expected a whole number, got '12'"],
    ),
    "1 is not a boolean": (
        BASE + "strategy: {written: 1}\n",
        ["spec.yaml:8: strategy.written: expected true or false, got 1"],
    ),
    "'on' is not a boolean": (
        BASE + "strategy: {written: 'on'}\n",
        ["spec.yaml:8: strategy.written: expected true or false, got 'on'"],
    ),
    "yes (YAML 1.1) is not a boolean": (
        BASE + "strategy: {written: yes}\n",
        ["spec.yaml:8: strategy.written: expected true or false, got 'yes'"],
    ),
    "a threshold given as true": (
        BASE + "settings:\n  thresholds: {isolated_hire_max: true}\n",
        ["spec.yaml:9: settings.thresholds.isolated_hire_max: expected a whole number, got true"],
    ),
    "empty file": ("", ["spec.yaml: file is empty; a spec needs at least `version` and `organization`"]),
    "only comments": (
        "# nothing here yet\n",
        ["spec.yaml: file is empty; a spec needs at least `version` and `organization`"],
    ),
    "binary file": (bytes(range(256)) * 8, ["spec.yaml: looks like a binary file, not YAML text"]),
    "invalid UTF-8": (
        b"version: 1\norganization:\n  name: Caf\xe9\n",
        ["spec.yaml:3: is not valid UTF-8 (byte 36); save it as UTF-8"],
    ),
    "deeply nested YAML": (
        BASE + "strategy: " + "[" * 1000 + "]" * 1000 + "\n",
        ["spec.yaml:8: nesting deeper than 40 levels"],
    ),
    "alias bomb (billion laughs)": (BILLION_LAUGHS, [BOMB_MESSAGE]),
    "merge-key bomb": (
        "version: 1\nbase: &a {" + ", ".join(f"k{i}: 1" for i in range(1000)) + "}\nteams:\n" + "  - {<<: *a}\n" * 300,
        [
            "spec.yaml:112: merge keys (<<) copy over 109,000 entries from 2,225 written; "
            "refusing what looks like a merge bomb"
        ],
    ),
    "recursive alias": (
        "version: 1\norganization: &org\n  name: Acme\n  self: *org\n",
        ["spec.yaml:4: organization.self: recursive YAML alias *org: a value contains itself"],
    ),
    "undefined alias": (
        "version: 1\norganization: *org\n",
        ["spec.yaml:2: organization: alias *org refers to no anchor (&org) defined before it"],
    ),
    "unsupported tag": (
        "version: 1\norganization: !!python/object:os.system {name: Acme}\n",
        [
            "spec.yaml:2: organization: unsupported YAML tag '!!python/object:os.system'; "
            "a spec holds plain mappings and lists"
        ],
    ),
    "two documents": (
        BASE + "---\nversion: 1\n",
        ["spec.yaml:8: a spec is one YAML document; remove the second `---`"],
    ),
    "top level is a list": (
        "- version: 1\n",
        ["spec.yaml:1: the top level must be a mapping of sections (version, organization, ...)"],
    ),
    "unsupported version": (
        edit("version: 1", "version: 3"),
        ["spec.yaml:1: version: unsupported spec version 3; this mlorg reads versions 1, 2"],
    ),
    "missing version": (
        BASE.replace("version: 1\n", ""),
        ["spec.yaml:1: version: required field missing; add `version: 2`"],
    ),
    "cycle in team parents": (
        edit("{id: leadership, kind: leadership}", "{id: leadership, kind: leadership, parent: recs}"),
        ["spec.yaml:5: teams[0].parent: parent forms a cycle: leadership -> recs -> engineering -> leadership"],
    ),
    "team that is its own parent": (
        edit("parent: engineering}", "parent: recs}"),
        ["spec.yaml:7: teams[2].parent: parent forms a cycle: recs -> recs"],
    ),
    "cycle in reporting lines": (
        BASE + "people:\n  - {id: ana, team: recs, reports_to: bo}\n  - {id: bo, team: recs, reports_to: ana}\n",
        ["spec.yaml:9: people[0].reports_to: reports_to forms a cycle: ana -> bo -> ana"],
    ),
    "control characters and HTML in a value": (
        edit("name: Acme", 'name: Acme\n  ml_focus: "<script>alert(1)</script>\\e[2J\\u202e"'),
        [
            "spec.yaml:4: organization.ml_focus: '<script>alert(1)</script>\\x1b[2J\\u202e' is not one of: "
            "implementation, research, both"
        ],
    ),
    "raw control character in the file": (
        edit("name: Acme", "name: Acme\x1b[2J"),
        [
            "spec.yaml:3: character '\\x1b' (U+001B) is not allowed in YAML; "
            'write it as an escape inside double quotes ("\\x1b")'
        ],
    ),
    "unknown rule in settings": (
        BASE + "settings:\n  ignore: [no-writen-strategy]\n",
        ["spec.yaml:9: settings.ignore[0]: unknown rule 'no-writen-strategy'; did you mean 'no-written-strategy'?"],
    ),
    "threshold out of range": (
        BASE + "settings:\n  thresholds: {isolated_hire_max: 0}\n",
        ["spec.yaml:9: settings.thresholds.isolated_hire_max: must be at least 1, got 0"],
    ),
}


@pytest.mark.parametrize("content, expected", list(CASES.values()), ids=list(CASES))
def test_bad_input_gives_one_located_message(
    bad: Callable[[str | bytes], list[str]], content: str | bytes, expected: list[str]
) -> None:
    assert bad(content) == expected


def test_yaml_syntax_error_is_located_in_our_words(bad: Callable[[str | bytes], list[str]]) -> None:
    """The parser's own detail may change between PyYAML releases; the located frame is ours."""
    (message,) = bad(edit("name: Acme", "name: [Acme"))
    assert message.startswith("spec.yaml:4: YAML syntax error: ")
    assert len(message) > len("spec.yaml:4: YAML syntax error: ")


@pytest.mark.parametrize(
    ("style", "levels"),
    [("flow", 41), ("flow", 999), ("flow", 1000), ("flow", 50_000), ("block", 41), ("block", 1000), ("block", 2000)],
)
def test_over_deep_nesting_is_refused_in_our_words_at_any_depth(
    bad: Callable[[str | bytes], list[str]], style: str, levels: int
) -> None:
    """Whatever depth a PyYAML release starts refusing at itself, the user reads our limit."""
    if style == "flow":
        nested = "strategy: " + "[" * levels + "]" * levels + "\n"
    else:
        nested = "strategy:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(levels))
    line = 8 if style == "flow" else 8 + 40  # the block's 41st level opens 40 lines below `strategy:`
    assert bad(BASE + nested) == [f"spec.yaml:{line}: nesting deeper than 40 levels"]


def test_several_problems_are_all_reported_sorted_by_line(bad: Callable[[str | bytes], list[str]]) -> None:
    spec = """\
version: 1
organization:
  name: Acme
  industy: retail
  headcount: lots
teams:
  - {id: leadership, kind: leadership}
  - {id: recs, kind: mll, parent: leadership}
  - {id: search, parent: leadership}
  - {id: recs, kind: product, parent: engneering}
people:
  - {id: ana, team: recs, roles: [ml_engneer]}
"""
    roles = (
        "executive, business_analyst, product_manager, data_engineer, data_scientist, ml_researcher, "
        "ml_engineer, product_engineer, sre, sre_ml, ml_architect, qa_engineer, lead_engineer, "
        "lead_product_manager, head_of_data_science, designer, product_marketing, engineering_manager, analyst"
    )
    assert bad(spec) == [
        "spec.yaml:4: organization.industy: unknown key 'industy'; did you mean 'industry'?",
        "spec.yaml:5: organization.headcount: expected a whole number, got 'lots'",
        "spec.yaml:8: teams[1].kind: 'mll' is not one of: leadership, department, product, ml, data, "
        "platform, research, design, it_ops, business; did you mean 'ml'?",
        "spec.yaml:9: teams[2].kind: required field missing",
        "spec.yaml:10: teams[3].id: duplicate team id 'recs' (first defined on line 8)",
        "spec.yaml:10: teams[3].parent: unknown team 'engneering'",
        f"spec.yaml:12: people[0].roles[0]: 'ml_engneer' is not one of: {roles}; did you mean 'ml_engineer'?",
    ]


def test_control_characters_never_reach_the_terminal(bad: Callable[[str | bytes], list[str]]) -> None:
    """An id with an escape sequence is shown escaped; markup is shown as typed (inert in a terminal)."""
    lines = bad(edit("parent: engineering}", 'parent: "eng\\e]0;pwned\\a<b>"}'))
    text = "\n".join(lines)
    assert "\x1b" not in text and "\x07" not in text
    assert "'eng\\x1b]0;pwned\\x07<b>'" in text


def test_a_directory(run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").mkdir()
    res = run_cli("assess", "spec.yaml", "-f", "json", "-o", "out.json")
    assert_refused(res, tmp_path / "out.json")
    assert problems(res) == ["spec.yaml: is a directory, not a spec file"]


def test_a_missing_file(run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = run_cli("assess", "nope.yaml", "-f", "json", "-o", "out.json")
    assert_refused(res, tmp_path / "out.json")
    assert problems(res) == ["nope.yaml: no such file"]


def test_existing_output_file_is_left_untouched(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.yaml").write_text(edit("kind: ml,", "kind: mll,"), encoding="utf-8")
    (tmp_path / "out.json").write_text("previous report\n", encoding="utf-8")
    res = run_cli("assess", "spec.yaml", "-f", "json", "-o", "out.json")
    assert res.code == 2
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "spec.yaml"]  # no temp file left behind


def test_config_file_with_unknown_threshold(run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.yaml").write_text("thresholds:\n  small_org_headcont: 30\n", encoding="utf-8")
    res = run_cli("assess", str(EXAMPLE), "--config", "cfg.yaml", "-f", "json", "-o", "out.json")
    assert_refused(res, tmp_path / "out.json")
    assert problems(res) == [
        "cfg.yaml:2: thresholds.small_org_headcont: unknown threshold 'small_org_headcont'; "
        "did you mean 'small_org_headcount'?"
    ]


def test_config_file_problems_are_all_reported(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cfg.yaml").write_text(
        "ignore: [no-writen-strategy]\nseverity: {no-written-strategy: hgh}\nthresholds: {privacy_floor: x}\n",
        encoding="utf-8",
    )
    res = run_cli("lint", str(EXAMPLE), "--config", "cfg.yaml", "-o", "out.txt")
    assert_refused(res, tmp_path / "out.txt")
    assert problems(res) == [
        "cfg.yaml:1: ignore[0]: unknown rule 'no-writen-strategy'; did you mean 'no-written-strategy'?",
        "cfg.yaml:2: severity.no-written-strategy: 'hgh' is not one of: info, low, medium, high, critical; "
        "did you mean 'high'?",
        "cfg.yaml:3: thresholds.privacy_floor: expected a whole number, got 'x'",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "cfg.yaml: file is empty; a config file holds ignore, severity or thresholds"),
        ("ignore: []\n---\nignore: []\n", "cfg.yaml:2: a config file is one YAML document; remove the second `---`"),
        (None, "cfg.yaml: is a directory, not a config file"),
    ],
    ids=["empty", "two documents", "a directory"],
)
def test_a_config_file_is_not_called_a_spec(
    run_cli: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if content is None:
        (tmp_path / "cfg.yaml").mkdir()
    else:
        (tmp_path / "cfg.yaml").write_text(content, encoding="utf-8")
    res = run_cli("lint", str(EXAMPLE), "--config", "cfg.yaml", "-o", "out.txt")
    assert_refused(res, tmp_path / "out.txt")
    assert problems(res) == [message]


def write_fifty_mb(path: Path) -> None:
    line = b"#" * 99 + b"\n"
    with path.open("wb") as fh:
        for _ in range(FIFTY_MB // len(line) // 1024):
            fh.write(line * 1024)
    assert path.stat().st_size == FIFTY_MB


def test_fifty_mb_file_in_process(
    bad: Callable[[str | bytes], list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLORG_MAX_SPEC_BYTES", str(40 * 1024 * 1024))
    write_fifty_mb(tmp_path / "big.yaml")
    (tmp_path / "spec.yaml").unlink(missing_ok=True)
    (tmp_path / "big.yaml").rename(tmp_path / "spec.yaml")
    res_lines = bad((tmp_path / "spec.yaml").read_bytes())
    assert res_lines == [
        "spec.yaml: file is 52,428,800 bytes, over the 41,943,040-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)"
    ]


def test_fifty_mb_file_in_subprocess(tmp_path: Path) -> None:
    write_fifty_mb(tmp_path / "spec.yaml")
    res = run_subprocess(tmp_path, "spec.yaml", env={"MLORG_MAX_SPEC_BYTES": str(40 * 1024 * 1024)})
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.splitlines()[0].startswith("spec.yaml: file is 52,428,800 bytes, over the")
    assert not (tmp_path / "out.json").exists()


def test_fifty_mb_file_under_a_raised_limit_is_read_not_refused(tmp_path: Path) -> None:
    """With the limit raised the file is parsed (here: all comments, so empty) without trouble."""
    write_fifty_mb(tmp_path / "spec.yaml")
    res = run_subprocess(tmp_path, "spec.yaml", env={"MLORG_MAX_SPEC_BYTES": str(2 * FIFTY_MB)})
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.splitlines()[0] == "spec.yaml: file is empty; a spec needs at least `version` and `organization`"


def test_alias_bomb_in_subprocess(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    res = run_subprocess(tmp_path, "spec.yaml")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert res.stderr.splitlines()[0] == BOMB_MESSAGE
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_nesting_that_crashes_libyaml_composer_in_subprocess(tmp_path: Path, opener: str) -> None:
    """100,000 levels overflow the C stack in PyYAML's composer (a segfault); the loader refuses them."""
    depth = 100_000
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    body = "\n  " + opener * depth + "x" if opener == "- " else opener * depth + "x" + closer * depth
    (tmp_path / "spec.yaml").write_text(f"version: 1\norganization: {{name: Acme}}\nteams: {body}\n", encoding="utf-8")
    res = run_subprocess(tmp_path, "spec.yaml")
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    line = 4 if opener == "- " else 3
    assert res.stderr.splitlines()[0] == f"spec.yaml:{line}: nesting deeper than 40 levels"


def test_library_raises_spec_error_with_every_problem() -> None:
    bad_spec = edit("kind: ml,", "kind: mll,").replace("parent: engineering}", "parent: engneering}")
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(bad_spec, "spec.yaml")
    assert [(p.line, p.path) for p in exc.value.problems] == [(7, "teams[2].kind"), (7, "teams[2].parent")]
    assert str(exc.value).splitlines()[1] == (
        "spec.yaml:7: teams[2].parent: unknown team 'engneering'; did you mean 'engineering'?"
    )


@pytest.mark.parametrize(
    "text, label, line",
    [
        (edit("name: Acme", 'name: "Ac\ud800me"'), "spec.yaml", 3),
        ('{"version": 1,\n "organization": {"name": "Ac\udfffme"}}', "spec.json", 2),
    ],
    ids=["yaml", "json"],
)
def test_a_lone_surrogate_from_a_library_caller_is_a_located_spec_error(text: str, label: str, line: int) -> None:
    """No file's text can hold one (reading decodes strictly), but a str built in Python can."""
    char = next(c for c in text if "\ud800" <= c <= "\udfff")
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(text, label)
    assert str(exc.value) == (
        f"{label}:{line}: character U+{ord(char):04X} is a lone surrogate, which no UTF-8 text can hold; "
        "remove it or write the character it was meant to be"
    )


def test_a_pipe_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    """A FIFO or device has no size to check first; reading stops one chunk past the limit."""
    fifo = tmp_path / "spec.fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as fh:
            for _ in range(100):
                fh.write(b"# comment line\n" * 10_000)

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(SpecError) as exc:
        read_text(fifo, "spec.fifo", max_bytes=1_000_000)
    writer.join()
    assert str(exc.value) == "spec.fifo: input is over the 1,000,000-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)"


@pytest.mark.parametrize("value", ["!!bool maybe", "!!timestamp not-a-date", "!!binary aGk=", "!foo 3", "true", "1:30"])
def test_library_load_spec_raises_spec_error_for_tags_and_loose_values(tmp_path: Path, value: str) -> None:
    """``mlorg.load_spec`` raises the project's error type, located, never KeyError or AttributeError."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(edit("name: Acme", f"name: Acme\n  headcount: {value}"), encoding="utf-8")
    with pytest.raises(SpecError) as err:
        mlorg.load_spec(spec, "spec.yaml")
    assert [str(p).split(":")[:3] for p in err.value.problems] == [["spec.yaml", "4", " organization.headcount"]]


def test_a_problem_inside_a_merge_key_names_it_as_written() -> None:
    """The breadcrumb through a ``<<`` list reads ``<<``, the same on every run (it once showed an address)."""
    text = "version: 2\norganization:\n  name: X\nb:\n  <<:\n    - {a: 1}\n    - {[x]: 2}\n"
    with pytest.raises(SpecError) as exc:
        mlorg.load_spec_text(text, "spec.yaml")
    assert str(exc.value).splitlines() == [
        "spec.yaml:4: b: unknown key 'b'",
        "spec.yaml:7: b.<<[1].?: a key must be plain text, not a list or mapping",
    ]
