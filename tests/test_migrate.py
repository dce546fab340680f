"""``mlorg migrate``: every version 1 spec in the repository loads, assesses, and migrates losslessly.

Lossless means two things, both checked on every spec: the text changes only on the lines that must
change (comments, order and layout stay), and the migrated spec loads as version 2 and gives the same
assessment JSON as the original, apart from fields that name the version.
"""

from __future__ import annotations

import difflib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

import mlorg
from conftest import ROOT, CliResult
from mlorg.errors import SpecError
from mlorg.render import render
from mlorg.rules.registry import load_all
from mlorg.spec.migrate import migrate_text
from mlorg.synth import generate
from rules.test_rule_cases import BASE, CASE_DIR, CASES, deep_merge

Runner = Callable[..., CliResult]

V1 = """\
# A spec kept by hand: its comments and layout must survive migration.
version: 1   # format version

organization:
  name: "version: 1 Corp"   # a name that only looks like a version line
  industry: retail
teams:
  - {id: recs, kind: ml}
models:
  - {id: boost, purpose: recommendation, status: production, built_by: recs, features: [velocity, stock]}
features:
  - {id: velocity, transformation: windowed_aggregate, window_days: 28, owner: recs}   # window_days: 28
  - id: stock
    transformation: windowed_aggregate
    'window_days' : 7   # quoted key, spaced colon
    represents: [inventory]
"""


def _file_specs() -> list[tuple[str, str]]:
    files = [*sorted((ROOT / "examples").glob("*.yaml")), *sorted((ROOT / "src/mlorg/examples").glob("*.yaml"))]
    out = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in files]
    out.append(("tests/rules/base.yaml", (ROOT / "tests/rules/base.yaml").read_text(encoding="utf-8")))
    return [(label, text) for label, text in out if yaml.safe_load(text).get("version") == 1]


def _case_specs() -> list[tuple[str, str]]:
    """Each rule case and each rule's documented example, merged onto the v1 base spec as the runner does."""
    out = [(f"case {c.id}", yaml.safe_dump(deep_merge(BASE, c.spec), sort_keys=False)) for c in CASES]
    out += [
        (f"example {slug}", yaml.safe_dump(deep_merge(BASE, yaml.safe_load(r.example)), sort_keys=False))
        for slug, r in sorted(load_all().items())
    ]
    return out


def _other_specs() -> list[tuple[str, str]]:
    """Version 1 text the code itself writes: generated organizations (with `window_days`) and a hand-kept spec."""
    return [("generated 60 people", generate(60)), ("generated 300 people", generate(300, seed=7)), ("V1", V1)]


SPECS = [*_file_specs(), *_case_specs(), *_other_specs()]


def test_the_repository_still_holds_version_1_specs() -> None:
    """At least one v1 spec stays in the tests, to prove v1 keeps loading."""
    labels = [label for label, _ in SPECS]
    assert "tests/rules/base.yaml" in labels
    assert len(SPECS) > 100


def _without_version(value: Any) -> Any:
    """The assessment minus every field that names the spec version."""
    if isinstance(value, dict):
        if value.get("path") == "version":
            return None
        return {k: _without_version(v) for k, v in value.items() if k not in ("version", "spec_version")}
    if isinstance(value, list):
        return [v for v in (_without_version(v) for v in value) if v is not None]
    return value


def _assessment(text: str, label: str) -> Any:
    spec = mlorg.load_spec_text(text, label, base_dir=CASE_DIR)
    return _without_version(json.loads(render(mlorg.assess(spec), "json")))


@pytest.mark.parametrize(("label", "text"), SPECS, ids=[label for label, _ in SPECS])
def test_every_v1_spec_loads_and_migrates_losslessly(label: str, text: str) -> None:
    before = _assessment(text, label)  # loads and assesses as version 1
    migrated = migrate_text(text, label)
    spec = mlorg.load_spec_text(migrated, label, base_dir=CASE_DIR)
    assert spec.version == 2
    assert all(f.window_days is None for f in spec.features)
    assert _assessment(migrated, label) == before
    changed = [d for d in difflib.ndiff(text.splitlines(), migrated.splitlines()) if d[:2] in ("- ", "+ ")]
    assert all("version" in d or "window" in d for d in changed), changed
    windows = sum(1 for f in mlorg.load_spec_text(text, label, base_dir=CASE_DIR).features if f.window_days)
    assert 2 <= len(changed) <= 2 * (1 + windows)  # the version line, and each line holding a window


def test_migration_edits_only_what_changed() -> None:
    migrated = migrate_text(V1, "v1.yaml")
    assert migrated == (
        V1.replace("version: 1   # format", "version: 2   # format")
        .replace("window_days: 28, owner", "window: 28d, owner")
        .replace("'window_days' : 7", "'window' : 7d")
    )
    spec = mlorg.load_spec_text(migrated)
    assert spec.organization.name == "version: 1 Corp"
    assert [f.window for f in spec.features] == ["28d", "7d"]


def test_line_endings_are_kept() -> None:
    crlf = V1.replace("\n", "\r\n")
    assert migrate_text(crlf, "crlf.yaml") == migrate_text(V1, "v1.yaml").replace("\n", "\r\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "version: 2\norganization: {name: A}\n",
            "v.yaml:1: version: the spec is already at version 2; nothing to migrate",
        ),
        (
            "version: 1\norganization: {name: A}\nteams: [{id: a, kind: mll}]\n",
            "v.yaml:3: teams[0].kind: 'mll' is not one of: leadership, department, product, ml, data, platform, "
            "research, design, it_ops, business; did you mean 'ml'?",
        ),
        (
            "version: 1\norganization: {name: A}\nfeatures:\n  - id: f\n    window_days:\n      30\n",
            "v.yaml:5: features[0].window_days: cannot be rewritten automatically here; "
            "rewrite `window_days: N` as `window: Nd` by hand",
        ),
        (
            "version: 1\norganization: {name: A}\nfeatures: [{id: f, window_days: &w 3}]\n"
            "forums: [{id: x, kind: training, cadence_days: *w}]\n",
            "v.yaml:3: features[0].window_days: cannot be rewritten automatically here; "
            "rewrite `window_days: N` as `window: Nd` by hand",
        ),
    ],
    ids=["already v2", "invalid v1", "value on its own line", "anchored value"],
)
def test_what_cannot_be_migrated_is_refused_with_a_located_message(text: str, message: str) -> None:
    with pytest.raises(SpecError) as exc:
        migrate_text(text, "v.yaml")
    assert str(exc.value) == message


def test_cli_prints_writes_and_rewrites_in_place(run_cli: Runner, tmp_path: Path) -> None:
    spec = tmp_path / "org.yaml"
    spec.write_bytes(("\ufeff" + V1).encode("utf-8"))
    os.chmod(spec, 0o640)
    printed = run_cli("migrate", str(spec))
    assert (printed.code, printed.stdout) == (0, migrate_text(V1, "x"))  # stdout: the text itself

    out = tmp_path / "v2.yaml"
    written = run_cli("migrate", str(spec), "-o", str(out))
    assert written.code == 0 and written.stderr == f"mlorg: wrote {out} (spec version 2)\n"
    assert out.read_bytes() == ("\ufeff" + migrate_text(V1, "x")).encode("utf-8")  # byte order mark kept
    assert spec.read_bytes() == ("\ufeff" + V1).encode("utf-8")

    assert run_cli("migrate", str(spec), "--in-place").code == 0
    assert spec.read_bytes() == out.read_bytes()
    assert stat.S_IMODE(spec.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["org.yaml", "v2.yaml"]  # no temporary left

    again = run_cli("migrate", str(spec), "--in-place")
    assert again.code == 2
    assert again.stderr == (
        f"{spec}:2: version: the spec is already at version 2; nothing to migrate\n"
        "mlorg: 1 problem found; nothing was written\n"
    )
    assert spec.read_bytes() == out.read_bytes()


def test_cli_refuses_bad_input_and_writes_nothing(run_cli: Runner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\norganization: {name: A}\nteams: [{id: a, kind: ml, parent: b}]\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    res = run_cli("migrate", str(bad), "-o", str(out))
    assert res.code == 2 and "Traceback" not in res.stderr
    assert res.stderr == (f"{bad}:3: teams[0].parent: unknown team 'b'\nmlorg: 1 problem found; nothing was written\n")
    assert not out.exists()
    both = run_cli("migrate", str(bad), "-o", str(out), "--in-place")
    assert (both.code, both.stderr) == (2, "mlorg: give -o/--output or --in-place, not both\n")
    missing = run_cli("migrate", str(tmp_path / "none.yaml"))
    assert missing.code == 2 and "no such file" in missing.stderr


def test_the_starter_spec_is_current() -> None:
    """``mlorg init`` writes the current version: there is nothing to migrate."""
    from mlorg.starter import Answers, starter_spec

    with pytest.raises(SpecError, match="already at version 2"):
        migrate_text(starter_spec(Answers()), "org.yaml")


@pytest.mark.parametrize("path", ["examples/yarnit.yaml", "src/mlorg/examples/yarnit.yaml"])
def test_bundled_examples_are_current(path: str) -> None:
    """The bundled examples were migrated with ``mlorg migrate``; v1 stays proven by the specs above."""
    with pytest.raises(SpecError, match="already at version 2"):
        migrate_text((ROOT / path).read_text(encoding="utf-8"), path)
