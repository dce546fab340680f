"""Docs that are generated or quoted must match what the code really does (datasette style)."""

from __future__ import annotations

import re

from conftest import ROOT
from mlorg import docs_cli


def test_readme_output_block_is_real_output() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs_cli.refresh_readme(readme) == readme, (
        "README's `mlorg assess` output is stale; run `python -m mlorg.docs_cli --readme`"
    )


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    test_cmd = next(c for c in commands if "pytest" in c)
    install_and_test = test_cmd.split("&& ", 2)[-1]  # drop the venv creation, which CI does itself
    assert install_and_test in ci


def test_readme_first_screen_has_both_commands() -> None:
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:20])
    assert "mlorg assess" in first_screen
    assert "pytest" in first_screen


def _flags_and_commands(text: str) -> set[str]:
    return set(re.findall(r"(?m)^## mlorg [\w -]+$|--[a-z][a-z-]+", text))


def test_cli_reference_is_current() -> None:
    """Byte for byte with the typer that renders help as the committed page does (0.29 and newer).

    Older typer (the lowest versions CI also runs) formats arguments and metavars differently
    (``[SPEC]``, ``PATH``), so there the page must still name every command and option the CLI
    has, and nothing it lacks.
    """
    from importlib.metadata import version

    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    generated = docs_cli.generate()
    major, minor = (int(x) for x in version("typer").split(".")[:2])
    if (major, minor) >= (0, 29):
        assert committed == generated, "docs/cli.md is stale; run `python -m mlorg.docs_cli > docs/cli.md`"
    else:
        assert _flags_and_commands(committed) == _flags_and_commands(generated), "docs/cli.md is stale"


def test_docs_links_resolve() -> None:
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+\.md)\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"
