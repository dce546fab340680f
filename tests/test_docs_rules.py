"""``docs/rules.md`` is generated from the registry and must match it (CI catches stale docs)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT
from mlorg.docs_gen import rules as rules_doc
from mlorg.rules.registry import load_all

REGENERATE = "python -m mlorg.docs_gen rules > docs/rules.md"


def test_rules_reference_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == rules_doc.render(), f"docs/rules.md is stale; regenerate it with: {REGENERATE}"


def test_rules_reference_covers_every_rule_once() -> None:
    page = rules_doc.render()
    for slug, rule in load_all().items():
        assert page.count(f"### `{slug}`\n") == 1, slug
        assert f"## {rule.family}\n" in page


def test_module_entry_point_prints_the_page_and_rejects_unknown_targets() -> None:
    ok = subprocess.run([sys.executable, "-m", "mlorg.docs_gen", "rules"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0
    assert ok.stdout == rules_doc.render()
    bad = subprocess.run([sys.executable, "-m", "mlorg.docs_gen", "nope"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
    assert "targets: " in bad.stderr and "rules" in bad.stderr
