"""The spec size limit scales with the memory available (issue 14, item 5), and says so when a file won't fit."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlorg.errors import SpecError, UsageError
from mlorg.spec import loader

GIB = 2**30


def test_available_memory_is_read_on_this_machine() -> None:
    free = loader.available_memory()
    assert free is not None and free > 0


def test_limit_follows_available_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLORG_MAX_SPEC_BYTES", raising=False)
    monkeypatch.setattr(loader, "available_memory", lambda: 16 * GIB)
    limit, _ = loader.spec_byte_limit()
    assert limit == 16 * GIB // loader.MEMORY_PER_SPEC_BYTE
    # the 1,000,000-person generated organization (about 264 MB of YAML) fits on a 16 GiB machine
    assert limit > 300 * 10**6
    monkeypatch.setattr(loader, "available_memory", lambda: GIB // 2)
    assert loader.spec_byte_limit()[0] == loader.MIN_MAX_BYTES  # never below the old fixed limit
    monkeypatch.setattr(loader, "available_memory", lambda: None)
    assert loader.spec_byte_limit()[0] == loader.MIN_MAX_BYTES


def test_a_file_too_big_for_memory_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MLORG_MAX_SPEC_BYTES", raising=False)
    monkeypatch.setattr(loader, "available_memory", lambda: 2 * GIB)
    limit = 2 * GIB // loader.MEMORY_PER_SPEC_BYTE
    spec = tmp_path / "big.yaml"
    spec.write_bytes(b"# padding\n" * (limit // 10 + 1))
    with pytest.raises(SpecError) as exc:
        loader.load_spec(spec, "big.yaml")
    assert str(exc.value) == (
        f"big.yaml: file is {spec.stat().st_size:,} bytes, over the {limit:,}-byte limit for the 2.0 GiB of memory "
        f"available: assessing it needs about {loader.MEMORY_PER_SPEC_BYTE} bytes of memory per byte of spec "
        "(set MLORG_MAX_SPEC_BYTES to try anyway)"
    )


def test_the_environment_variable_wins_and_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLORG_MAX_SPEC_BYTES", "1_000")
    assert loader.spec_byte_limit()[0] == 1000
    monkeypatch.setenv("MLORG_MAX_SPEC_BYTES", "lots")
    with pytest.raises(UsageError, match="MLORG_MAX_SPEC_BYTES must be a whole number of bytes, got 'lots'"):
        loader.spec_byte_limit()
