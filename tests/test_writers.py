"""The fast writers (issue 14, item 2) write exactly what the old ones wrote.

The old writers are kept here as the reference: Python's ``json.dumps`` for SARIF, ``str`` output
encoded afterwards for JSON, and ``re.sub`` with ``\\1`` templates for Markdown escaping. Each new
writer must give the same bytes on several organizations and on hostile text. orjson, which now writes
JSON and SARIF, must write what pydantic-core's ``to_json`` writes, or leave the value to it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, Field, computed_field, field_serializer

import mlorg
from conftest import EXAMPLE
from mlorg.render import FORMATS, render_bytes
from mlorg.render import sarif as sarif_render
from mlorg.render.escape import md, md_inline, printable
from orggen import generate_spec
from test_report_hostile import SPEC as HOSTILE_SPEC

_OLD_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
_OLD_MD_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_OLD_LINE_START = re.compile(r"^(\s*)(#+|[+\-=](?=\s|$)|\d+[.)](?=\s|$))")
_TICKED = re.compile(r"`([^`\n]+)`")


def old_md(text: object) -> str:
    out = printable(text).replace("\r", " ").replace("\n", " ")
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _OLD_MD_SPECIAL.sub(r"\\\1", out).replace("\\&amp;", "&amp;")


def old_md_inline(text: object) -> str:
    out = printable(text).replace("\r", " ").replace("\n", " ").replace("&", "&amp;")
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    parts = []
    last = 0
    for m in _TICKED.finditer(out):
        parts.append(_OLD_MD_INLINE.sub(r"\\\1", out[last : m.start()]))
        parts.append(f"`{m.group(1)}`")
        last = m.end()
    parts.append(_OLD_MD_INLINE.sub(r"\\\1", out[last:]))
    return _OLD_LINE_START.sub(r"\1\\\2", "".join(parts))


ORGS = ["yarnit", "generated-300", "generated-2000", "hostile"]


@pytest.fixture(scope="module", params=ORGS)
def assessed(request: pytest.FixtureRequest) -> tuple[mlorg.Organization, mlorg.Assessment]:
    name = request.param
    if name == "yarnit":
        spec = mlorg.load_spec(EXAMPLE)
    elif name == "hostile":
        spec = mlorg.load_spec_text(HOSTILE_SPEC, "hostile.yaml")
    else:
        spec = generate_spec(int(name.rsplit("-", 1)[1]))
    return spec, mlorg.assess(spec)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


HOSTILE_TEXT = [
    "",
    "# heading",
    "  - item",
    "+ plus",
    "= equals",
    "12. twelve",
    "3) three",
    "-",
    "a `code_span` and *stars* _under_ [link](x) {b} |pipe| ~strike~ \\slash",
    "`unclosed tick",
    "``",
    "two `a` and `b*c` spans",
    "\\&amp; & <b> > \\& \x07\x1b[31m\u202e\u2028 bidi",
    "line\nbreak\rreturn",
    "#1. 2.5 (x) !bang +plus -minus .dot",
    "日本語 テキスト — “quotes”",
]


def test_markdown_escaping_matches_the_regex_version(assessed: tuple[mlorg.Organization, mlorg.Assessment]) -> None:
    _, a = assessed
    corpus = strings(json.loads(a.model_dump_json())) + HOSTILE_TEXT
    assert len(corpus) > 50
    for text in corpus:
        assert md_inline(text) == old_md_inline(text), text
        assert md(text) == old_md(text), text


def test_sarif_is_byte_identical_to_json_dumps(assessed: tuple[mlorg.Organization, mlorg.Assessment]) -> None:
    _, a = assessed
    old = (json.dumps(sarif_render.sarif_log(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert b"".join(sarif_render.render_chunks(a)) == old
    assert sarif_render.render(a) == old.decode("utf-8")


def test_json_bytes_are_the_model_dump(assessed: tuple[mlorg.Organization, mlorg.Assessment]) -> None:
    _, a = assessed
    assert render_bytes(a, "json") == (a.model_dump_json(indent=2) + "\n").encode("utf-8")


def test_orjson_writes_the_whole_assessment_as_pydantic_core_does(
    assessed: tuple[mlorg.Organization, mlorg.Assessment],
) -> None:
    """No value of a real assessment needs the fallback: orjson alone gives pydantic-core's bytes."""
    import orjson

    from mlorg.render import json_render

    _, a = assessed
    assert json_render._agrees(), "the installed orjson and pydantic-core write the probe differently"
    fast = orjson.dumps(a, default=json_render._plain_fields, option=json_render._ORJSON)
    assert fast + b"\n" == (a.model_dump_json(indent=2) + "\n").encode("utf-8")


CASE_ORGS = sorted(p for p in (Path(__file__).parent / "cases" / "orgs").glob("*.yaml") if ".expect." not in p.name)


def test_json_of_every_case_library_org_is_the_model_dump() -> None:
    assert len(CASE_ORGS) >= 20
    for path in CASE_ORGS:
        a = mlorg.assess(mlorg.load_spec(path))
        assert render_bytes(a, "json") == (a.model_dump_json(indent=2) + "\n").encode("utf-8"), path.name


class _Aliased(BaseModel):
    name: str = Field("n", serialization_alias="label")


class _Plain(BaseModel):
    x: int = 1


class _Child(_Plain):
    y: int = 2


class _Colour(enum.Enum):
    RED = "red"


class _Text(str):
    pass


@dataclasses.dataclass
class _Point:
    x: float


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 12, 3),
        [dt.datetime(2026, 12, 3, 8, 0, tzinfo=dt.UTC)],
        2**64,
        {"big": -(2**70)},
        frozenset({"a"}),
        {1: "not text keys"},
        _Aliased(),
        [_Plain(), _Child()],
        _Colour.RED,
        [_Text("t")],
        _Point(1.5),
        Path("a/b"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_values_beyond_plain_json_are_written_as_pydantic_core_writes_them(value: object) -> None:
    from pydantic_core import to_json

    from mlorg.render.json_render import dumps

    assert dumps(value) == to_json(value, indent=2)


def test_writers_that_disagree_on_the_probe_leave_everything_to_pydantic_core(monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson
    from pydantic_core import to_json

    from mlorg.render import json_render

    real = orjson.dumps
    monkeypatch.setattr(orjson, "dumps", lambda v, **kw: real(v, **kw) + b" ")  # a release that writes otherwise
    json_render._agrees.cache_clear()
    try:
        assert json_render._agrees() is False
        written = json_render.dumps([1e16, math.inf])
        assert written == to_json([1e16, math.inf], indent=2) and b"Infinity" in written
    finally:
        monkeypatch.undo()
        json_render._agrees.cache_clear()  # checked again, with the real orjson, on next use


class _Computed(BaseModel):
    x: int = 1

    @computed_field  # type: ignore[prop-decorator]
    @property
    def double(self) -> int:
        return 2 * self.x


class _Serialized(BaseModel):
    x: int = 1

    @field_serializer("x")
    def _x(self, x: int) -> str:
        return str(x)


class _Excluded(BaseModel):
    x: int = Field(1, exclude=True)


def test_only_models_whose_fields_are_their_json_are_written_by_orjson() -> None:
    from mlorg.assessment import Assessment
    from mlorg.render.json_render import _plain_models, _serializes_as_dict
    from mlorg.results import Evidence, Finding

    assert _serializes_as_dict(_Plain) and _serializes_as_dict(_Child)
    for model in (_Aliased, _Computed, _Serialized, _Excluded):
        assert not _serializes_as_dict(model), model
        assert dumps_of(model()) == to_json_of(model())
    plain = _plain_models()
    assert {Assessment, Finding, Evidence} <= plain
    assert not any(p is not m and issubclass(m, p) for m in plain for p in plain)


def dumps_of(value: object) -> bytes:
    from mlorg.render.json_render import dumps

    return dumps(value)


def to_json_of(value: object) -> bytes:
    from pydantic_core import to_json

    return to_json(value, indent=2)


def test_a_float_that_is_not_finite_is_written_as_null() -> None:
    """The one documented difference from pydantic-core, which wrote ``Infinity``: not JSON."""
    from mlorg.render.json_render import dumps

    assert dumps({"a": [math.inf, -math.inf, math.nan]}) == b'{\n  "a": [\n    null,\n    null,\n    null\n  ]\n}'


_JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@given(_JSONISH)
@settings(max_examples=400, deadline=None)
def test_orjson_and_pydantic_core_write_any_plain_value_alike(value: object) -> None:
    from pydantic_core import to_json

    from mlorg.render.json_render import dumps

    assert dumps(value) == to_json(value, indent=2)


@pytest.mark.parametrize("batch", [1, 2, 3, 7])
def test_streamed_json_and_sarif_equal_the_whole_document_at_any_batch_size(
    assessed: tuple[mlorg.Organization, mlorg.Assessment], batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long lists are serialized a batch at a time; the seams between batches must not show in the bytes."""
    from mlorg.render import json_render

    _, a = assessed
    monkeypatch.setattr(json_render, "BATCH", batch)
    assert any(isinstance(v, tuple) and len(v) > batch for v in a.__dict__.values())  # a list really is split
    chunks = list(json_render.render_chunks(a))
    assert len(chunks) > len(type(a).model_fields)
    assert b"".join(chunks) == (a.model_dump_json(indent=2) + "\n").encode("utf-8")
    old = (json.dumps(sarif_render.sarif_log(a), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    assert b"".join(sarif_render.render_chunks(a)) == old


def test_streamed_lists_hold_empty_and_single_item_lists_exactly() -> None:
    from pydantic_core import to_json

    from mlorg.render.json_render import list_chunks, nested

    for items in ([], [{"a": [1, {"b": []}]}], [{"x": "y\nz"}, [], {}, "s", 2]):
        for indent in (0, 2, 6):
            for batch in (1, 2, 5):
                whole = nested(to_json(items, indent=2), indent)
                assert b"".join(list_chunks(items, indent, batch=batch)) == whole, (items, indent, batch)


def test_render_bytes_is_render_encoded(assessed: tuple[mlorg.Organization, mlorg.Assessment]) -> None:
    spec, a = assessed
    for fmt in FORMATS:
        assert render_bytes(a, fmt, spec=spec) == mlorg.render(a, fmt, spec=spec).encode("utf-8"), fmt


def test_hostile_control_characters_in_sarif_are_escaped_like_json_dumps() -> None:
    log = {"a": '\x00\x07\x1f\x7f\u2028 "quote" \\ é 🎉', "n": [1, -2, 0], "e": [], "d": {}, "t": True, "z": None}
    from pydantic_core import to_json

    assert to_json(log, indent=2) == json.dumps(log, indent=2, ensure_ascii=False).encode("utf-8")


def test_cli_writes_the_same_bytes_to_stdout_and_to_a_file(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("json", "sarif", "markdown"):
        out = tmp_path / f"out.{fmt}"
        assert run_cli("assess", str(EXAMPLE), "-f", fmt, "-o", str(out)).code == 0
        printed = run_cli("assess", str(EXAMPLE), "-f", fmt)
        assert printed.stdout.encode("utf-8") == out.read_bytes()
        if fmt != "markdown":  # (Markdown also draws on the spec; the equality above covers it)
            assert out.read_bytes() == render_bytes(mlorg.assess(mlorg.load_spec(EXAMPLE, str(EXAMPLE))), fmt)


def test_output_to_a_pipe_or_device_is_written_into_it_not_replaced(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`-o /dev/null` or a FIFO: atomic replacement would put a regular file where the device was."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert run_cli("assess", str(EXAMPLE), "-f", "json", "-o", str(fifo)).code == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the pipe
    assert received == [render_bytes(mlorg.assess(mlorg.load_spec(EXAMPLE, str(EXAMPLE))), "json")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left beside it

    null = os.stat(os.devnull).st_mode
    assert run_cli("assess", str(EXAMPLE), "-f", "sarif", "-o", os.devnull).code == 0
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode) and os.stat(os.devnull).st_mode == null


GC_PROBE = """
import gc, json, sys
import mlorg.cli, mlorg.spec.loader
passes, recording = [], []
gc.callbacks.append(lambda phase, info: phase == "start" and recording and passes.append(info["generation"]))
load, release = mlorg.spec.loader.load_spec, mlorg.cli.release_collector
def load_spec(*args, **kwargs):  # the command's work starts here (typer's own set-up may collect before)
    recording.append(True)
    return load(*args, **kwargs)
def release_collector():  # and ends here, when main() gives the collector back
    recording.clear()
    release()
mlorg.spec.loader.load_spec, mlorg.cli.release_collector = load_spec, release_collector
try:
    mlorg.cli.main(["assess", sys.argv[1], "-f", "json", "-o", sys.argv[2]])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "passes": passes, "enabled": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""


def test_a_one_shot_command_runs_no_collector_pass(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Spec and results are acyclic and live to the end: a collector pass would walk them and free nothing."""
    import subprocess
    import sys

    spec, out = tmp_path / "org.yaml", tmp_path / "out.json"
    subprocess.run([sys.executable, "-m", "mlorg", "generate", "-n", "3000", "-o", str(spec)], check=True)
    res = subprocess.run([sys.executable, "-c", GC_PROBE, str(spec), str(out)], capture_output=True, text=True)
    report = json.loads(res.stdout.splitlines()[-1])
    assert report["code"] in (0, 1)
    assert report["passes"] == []
    # called in-process (as here), the command gives the collector back as it found it
    assert report["enabled"] is True
    assert report["frozen"] == 0
    assert json.loads(out.read_bytes())["organization"]["headcount"] >= 3000
