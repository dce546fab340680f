"""Load a spec file: read it safely, parse it, validate it, resolve every reference.

Every problem is collected before anything is reported, so a leader fixes a file in one pass.
Hostile input (huge files, binary data, deep nesting, alias bombs) is refused with a located
message, never a traceback or an exhausted machine.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from mlorg.errors import Problem, SpecError
from mlorg.spec.models import SPEC_VERSION, Organization
from mlorg.spec.references import check_references
from mlorg.spec.source import PathPart, SourceMap, format_path

if TYPE_CHECKING:
    from mlorg.settings import Settings

try:  # the C loader is several times faster; fall back for platforms without libyaml
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]

MAX_BYTES = int(os.environ.get("MLORG_MAX_SPEC_BYTES", 40 * 1024 * 1024))
MAX_DEPTH = 40
MAX_NODES_FACTOR = 4  # expanded nodes allowed per node actually written in the file
MAX_NODES_FLOOR = 100_000


def shown(value: object, limit: int = 60) -> str:
    """A short, printable, escaped rendering of a user-supplied value for messages."""
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'" if isinstance(value, str) else text


def read_text(path: Path, label: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing directories, oversized and binary files."""
    try:
        if path.is_dir():
            raise SpecError.single(label, "is a directory, not a spec file")
        size = path.stat().st_size
        if size > max_bytes:
            raise SpecError.single(
                label,
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)",
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SpecError.single(label, "no such file") from None
    except PermissionError:
        raise SpecError.single(label, "permission denied") from None
    except IsADirectoryError:
        raise SpecError.single(label, "is a directory, not a spec file") from None
    except OSError as exc:
        raise SpecError.single(label, f"cannot be read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise SpecError.single(label, "looks like a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError.single(label, f"is not valid UTF-8 (byte {exc.start})", line=line) from None


def load_spec(path: str | os.PathLike[str], label: str | None = None) -> Organization:
    """Load and validate a spec file; raise :class:`SpecError` listing every problem.

    ``label`` is the name used in messages and outputs (defaults to the path as given), so
    output never depends on where a checkout happens to live.
    """
    p = Path(path)
    name = label or str(path)
    return load_spec_text(read_text(p, name), name, base_dir=p.parent)


def load_spec_text(text: str, label: str = "<spec>", base_dir: Path | None = None) -> Organization:
    """Validate spec text already in memory (used by the web app, tests and ``init``)."""
    node = compose(text, label)
    guard_shape(node, label)
    data = construct(text, node, label)
    source = SourceMap(label, node)
    if not isinstance(data, dict):
        raise SpecError.single(label, "the top level must be a mapping of sections", line=1)
    problems = check_version(data, source)
    if problems:
        raise SpecError(problems)
    spec: Organization | None = None
    try:
        spec = Organization.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate(exc, source))
    problems.extend(check_references(data, source))
    problems.extend(_check_thresholds(data, source))
    if problems or spec is None:
        raise SpecError(problems)
    spec._source = source  # type: ignore[attr-defined]
    spec._base_dir = base_dir  # type: ignore[attr-defined]
    return spec


def compose(text: str, label: str) -> yaml.Node:
    """Parse YAML into a node tree, turning syntax errors into located problems."""
    try:
        loader = SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        raise SpecError.single(label, f"YAML syntax error: {what}", line=line) from None
    except yaml.YAMLError as exc:
        raise SpecError.single(label, f"YAML error: {exc}") from None
    if node is None:
        raise SpecError.single(label, "file is empty; a spec needs at least `version` and `organization`")
    return node


def guard_shape(root: yaml.Node, label: str) -> None:
    """Refuse nesting deeper than any spec needs and alias expansion bombs, before building objects."""
    distinct = 0
    expanded: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    on_stack: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_stack.discard(key)
            children = _children(node)
            expanded[key] = 1 + sum(expanded.get(id(c), 1) for c in children)
            continue
        if key in expanded:
            continue
        if key in on_stack:
            raise SpecError.single(label, "recursive YAML alias", line=node.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise SpecError.single(label, f"nesting deeper than {MAX_DEPTH} levels", line=node.start_mark.line + 1)
        distinct += 1
        on_stack.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            stack.append((child, depth + 1, False))
    limit = max(MAX_NODES_FLOOR, MAX_NODES_FACTOR * distinct)
    if expanded.get(id(root), 0) > limit:
        raise SpecError.single(
            label,
            f"YAML aliases expand to {expanded[id(root)]:,} values from {distinct:,} written; "
            "refusing what looks like an alias bomb",
            line=1,
        )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def construct(text: str, node: yaml.Node, label: str) -> Any:
    """Build Python objects from a composed node with PyYAML's safe constructor."""
    loader = SafeLoader("")
    try:
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SpecError.single(label, f"YAML error: {exc.problem}", line=mark.line + 1 if mark else 0) from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise SpecError.single(label, f"YAML error: {exc}") from None
    finally:
        loader.dispose()


def check_version(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """The version gate: migrations for older formats would hook in here."""
    version = data.get("version")
    if version == SPEC_VERSION:
        return []
    line = source.line(("version",))
    if "version" not in data:
        return [Problem(source.file, 1, "version", f"required field missing; add `version: {SPEC_VERSION}`")]
    return [
        Problem(
            source.file,
            line,
            "version",
            f"unsupported spec version {shown(version)}; this mlorg reads version {SPEC_VERSION}",
        )
    ]


def translate(
    exc: ValidationError,
    source: SourceMap,
    root: type[BaseModel] = Organization,
    prefix: tuple[PathPart, ...] = (),
) -> list[Problem]:
    """Turn pydantic's errors into breadcrumb problems with did-you-mean hints."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        full = (*prefix, *loc)
        problems.append(Problem(source.file, source.line(full), format_path(full), _message(err, loc, root)))
    return problems


def _clean_loc(loc: Sequence[Any]) -> tuple[PathPart, ...]:
    """Drop pydantic's union-branch markers (``str``, ``Suppression``) from a location."""
    out: list[PathPart] = []
    for part in loc:
        if isinstance(part, int) or (
            isinstance(part, str) and not (part[:1].isupper() or part in _UNION_TAGS or "[" in part)
        ):
            out.append(part)
    return tuple(out)


_UNION_TAGS = {"str", "int", "float", "bool", "constrained-str", "function-after", "literal"}


def _message(err: Any, loc: tuple[PathPart, ...], root: type[BaseModel]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = loc[-1] if loc else ""
        allowed = _allowed_keys(root, loc[:-1])
        hint = _did_you_mean(str(key), allowed)
        return f"unknown key {shown(key)}{hint}"
    if kind == "missing":
        return "required field missing"
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        options = [o.strip("'") for o in expected.replace(" or ", ", ").split(", ") if o]
        hint = _did_you_mean(str(value), options)
        return f"{shown(value)} is not one of: {', '.join(options)}{hint}"
    if kind in {"string_pattern_mismatch"}:
        return f"{shown(value)} is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"
    msg = str(err.get("msg", "invalid value"))
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{msg.lower().rstrip('.')}, got {shown(value)}"
    return msg.rstrip(".")


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {shown(close[0])}?" if close else ""


def _allowed_keys(root: type[BaseModel], loc: tuple[PathPart, ...]) -> list[str]:
    """Field names of the model found at ``loc`` inside ``root``."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _inner_model(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    """Find the pydantic model inside Optional/tuple/dict/Annotated wrappers."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is dict and len(args) == 2:
        return _inner_model(args[1])
    for arg in args:
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _check_thresholds(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Threshold values must have the right type and range, like any other field."""
    from mlorg.settings import Thresholds

    settings = data.get("settings")
    thresholds = settings.get("thresholds") if isinstance(settings, dict) else None
    if not isinstance(thresholds, dict):
        return []
    known = {k: v for k, v in thresholds.items() if k in Thresholds.model_fields}
    try:
        Thresholds.model_validate(known)
    except ValidationError as exc:
        return translate(exc, source, Thresholds, ("settings", "thresholds"))
    return []


def load_config(path: str | os.PathLike[str]) -> Settings:
    """Load a ``--config`` file: the same shape as a spec's ``settings`` section."""
    from mlorg.settings import Settings, Thresholds
    from mlorg.spec.models import SpecSettings

    label = str(path)
    text = read_text(Path(path), label)
    node = compose(text, label)
    guard_shape(node, label)
    data = construct(text, node, label)
    source = SourceMap(label, node)
    if not isinstance(data, dict):
        raise SpecError.single(label, "a config file must be a mapping with ignore, severity or thresholds", line=1)
    problems: list[Problem] = []
    try:
        parsed = SpecSettings.model_validate(data)
    except ValidationError as exc:
        raise SpecError(translate(exc, source, SpecSettings)) from None
    problems.extend(_check_thresholds({"settings": data}, source))
    from mlorg.spec.references import _settings

    problems.extend(p for p in _settings({"settings": data}, source))
    if problems:
        raise SpecError([Problem(p.file, p.line, p.path.removeprefix("settings."), p.message) for p in problems])
    return Settings(
        thresholds=Thresholds.model_validate(parsed.thresholds),
        ignore=parsed.ignore,
        severity=parsed.severity,
    )
