"""Helpers for the importer tests: a pseudonym key outside every fragment, and reading a fragment back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


def make_key(folder: Path) -> Path:
    """A key file of the shape ``mlorg import --key-file`` takes."""
    key = folder / "import.key"
    key.write_text("test-key-0123456789abcdef\n", encoding="utf-8")
    return key


def load_fragment(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def assert_refused(result: Any, out: Path, message: str, folder: Path) -> None:
    """The importer's bar for bad input: exit 2, the located ``message``, no traceback, no fragment."""
    assert result.code == 2
    assert message in result.stderr.replace(str(folder) + os.sep, ""), result.stderr
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
