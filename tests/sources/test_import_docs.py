"""docs/import.md shows real runs: each example input, imported as the page says, gives the fragment it shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from git_support import Repo

DOC = Path(__file__).resolve().parents[2] / "docs" / "import.md"
KEY = "test-key-0123456789abcdef\n"


def _section(kind: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {kind}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _blocks(section: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"```[a-z]*\n(.*?)```", section, re.DOTALL)]


def _run(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: str, files: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "key").write_text(KEY, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    command = re.search(r"Command: `(mlorg import [^`]+)`", section)
    assert command is not None
    args = command.group(1).split()[1:]
    result = run_cli(*args, "--key-file", "key")
    assert result.code == 0, result.stderr
    out = args[args.index("-o") + 1]
    assert (tmp_path / out).read_text(encoding="utf-8") == _blocks(section)[-1]


def test_hris_example(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    section = _section("hris")
    _run(run_cli, tmp_path, monkeypatch, section, {"people.csv": _blocks(section)[0]})


def test_backstage_example(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    section = _section("backstage")
    _run(run_cli, tmp_path, monkeypatch, section, {"catalog.yaml": _blocks(section)[0]})


def test_openlineage_example(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    section = _section("openlineage")
    _run(run_cli, tmp_path, monkeypatch, section, {"events.ndjson": _blocks(section)[0]})


def test_git_review_example(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    section = _section("git-review")
    shop = Repo(tmp_path / "shop")
    shop.commit("Alan", "alan@example.com", {".github/CODEOWNERS": _blocks(section)[0], "models/fraud/train.py": "x\n"})
    shop.commit(
        "Bea",
        "bea@example.com",
        {"models/fraud/train.py": "y\n", "web/checkout.js": "z\n"},
        "Show the fraud score at checkout\n\nReviewed-by: Alan <alan@example.com>\n",
    )
    _run(run_cli, tmp_path, monkeypatch, section, {})


def test_codeowners_example(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    section = _section("codeowners")
    shop = Repo(tmp_path / "shop")
    shop.commit(
        "Alan",
        "alan@example.com",
        {".github/CODEOWNERS": _blocks(section)[0], "models/fraud/train.py": "x\n", "pipelines/fraud/dag.py": "y\n"},
    )
    _run(run_cli, tmp_path, monkeypatch, section, {})
