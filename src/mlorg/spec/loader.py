"""Load a spec file: read it safely, parse it, validate it, resolve every reference.

Every problem is collected before anything is reported, so a leader fixes a file in one pass.
Hostile input (huge files, binary data, deep nesting, alias bombs) is refused with a located
message, never a traceback or an exhausted machine. Loading runs in two phases the benchmark
times separately: :func:`parse_spec` (YAML) and :func:`validate_spec` (types, ids, references).
"""

from __future__ import annotations

import os
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from mlorg.errors import Problem, SpecError, UsageError
from mlorg.files import read_bounded
from mlorg.gcpause import gc_paused
from mlorg.spec.compact import share_fields_sets
from mlorg.spec.document import parse
from mlorg.spec.messages import did_you_mean, plain_message, shown
from mlorg.spec.models import SPEC_VERSION, SUPPORTED_VERSIONS, Duration, Organization
from mlorg.spec.references import check_references, check_settings
from mlorg.spec.source import PathPart, SourceMap, format_path

if TYPE_CHECKING:
    from mlorg.settings import Settings

MIN_MAX_BYTES = 40 * 1024 * 1024  # never refuse less than this, however little memory seems free
# Peak memory of a whole `mlorg assess` per byte of YAML spec (benchmarks/bench_assess.py measures it;
# docs/performance.md), with a margin.
MEMORY_PER_SPEC_BYTE = 40


def spec_byte_limit() -> tuple[int, str]:
    """The largest spec file to read, and how to say so when one is larger.

    ``MLORG_MAX_SPEC_BYTES`` wins when set. Otherwise the limit scales with the memory this process can
    still use: a file is refused before parsing when assessing it would not fit, instead of the machine
    swapping or the process being killed half-way.
    """
    configured = os.environ.get("MLORG_MAX_SPEC_BYTES", "").strip()
    if configured:
        try:
            limit = int(configured.replace("_", ""))
        except ValueError:
            raise UsageError(f"MLORG_MAX_SPEC_BYTES must be a whole number of bytes, got {configured!r}") from None
        return limit, f"over the {limit:,}-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)"
    free = available_memory()
    if free is None:
        return MIN_MAX_BYTES, f"over the {MIN_MAX_BYTES:,}-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)"
    limit = max(MIN_MAX_BYTES, free // MEMORY_PER_SPEC_BYTE)
    return limit, (
        f"over the {limit:,}-byte limit for the {free / 2**30:.1f} GiB of memory available: assessing it needs "
        f"about {MEMORY_PER_SPEC_BYTE} bytes of memory per byte of spec (set MLORG_MAX_SPEC_BYTES to try anyway)"
    )


def available_memory() -> int | None:
    """Bytes of memory this process can still use: the system's available memory, within a cgroup's limit."""
    free: int | None = None
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    free = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError):
        try:
            free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, AttributeError):
            return None
    try:  # a container's own limit (cgroup v2), when it is tighter
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as fh:
            cap = fh.read().strip()
        if cap != "max":
            with open("/sys/fs/cgroup/memory.current", encoding="ascii") as fh:
                room = int(cap) - int(fh.read().strip())
            free = room if free is None else min(free, room)
    except (OSError, ValueError):
        pass
    return free


def read_text(
    path: Path, label: str, max_bytes: int | None = None, *, what: str = "spec file", text: str = "YAML text"
) -> str:
    """Read a UTF-8 text file, refusing directories, oversized and binary files (pipes are bounded).

    ``max_bytes`` defaults to :func:`spec_byte_limit`; ``what`` and ``text`` say what the file should have
    been in the messages (an importer's input is a file of text, not a spec).
    """
    if max_bytes is None:
        max_bytes, too_big = spec_byte_limit()
    else:
        too_big = f"over the {max_bytes:,}-byte limit (set MLORG_MAX_SPEC_BYTES to raise it)"
    raw = read_bounded(path, label, max_bytes, too_big=too_big, what=what)
    if b"\x00" in raw[:8192]:
        raise SpecError.single(label, f"looks like a binary file, not {text}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError.single(label, f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8", line=line) from None


def load_spec(
    path: str | os.PathLike[str],
    label: str | None = None,
    fragments: Sequence[str | os.PathLike[str]] = (),
    aliases: Mapping[str, str] | None = None,
    *,
    allow_outside: Sequence[str | os.PathLike[str]] = (),
) -> Organization:
    """Load and validate a spec file; raise :class:`SpecError` listing every problem.

    ``label`` is the name used in messages and outputs (defaults to the path as given), so
    output never depends on where a checkout happens to live. The fragments the spec's
    ``imports:`` names, then ``fragments`` (``--with``), are merged in first (:mod:`mlorg.spec.merge`).
    Files the spec names (``imports``, ``culture.survey``) are read only from the spec's own folder
    or from a folder in ``allow_outside`` (the command line's ``--allow-outside``); see :mod:`mlorg.files`.
    """
    p = Path(path)
    name = label or str(path)
    allowed = tuple(os.fspath(d) for d in allow_outside)
    parsed = parse_spec(read_text(p, name), name, as_json=p.suffix.lower() == ".json")
    if not fragments and "imports" not in parsed.data:
        spec = validate_spec(parsed, p.parent)
    else:
        from mlorg.spec.merge import apply

        merged = apply(parsed, p.parent, name, [str(f) for f in fragments], aliases, allowed)
        spec = validate_spec(edited(parsed), p.parent)
        spec._imports = merged
    spec._allow_outside = allowed
    return spec


#: Why spec text with no folder cannot name fragments: said at the ``imports:`` line.
NO_FOLDER_FOR_IMPORTS = (
    "this spec was given as text, with no folder to read fragment files from; merge them where the spec is a "
    "file (`mlorg assess SPEC --with FRAGMENT`), or give a fragment itself (each is a spec on its own)"
)


def load_spec_text(text: str, label: str = "<spec>", base_dir: Path | None = None) -> Organization:
    """Validate spec text already in memory (used by the web app, tests and ``init``).

    ``imports:`` merges like :func:`load_spec` when ``base_dir`` names the folder to read fragments from
    (confined to it, see :mod:`mlorg.files`). Without one the section is refused at its line rather than
    ignored: the web app passes none, so an uploaded spec can never make the server read its files, and the
    round it stores is the whole spec, not one that depends on files that may change or be elsewhere.
    """
    parsed = parse_spec(text, label)
    imports = parsed.data.get("imports")
    if not isinstance(imports, list) or not imports:
        return validate_spec(parsed, base_dir)  # none, or malformed: validation says so at its line
    if base_dir is None:
        raise SpecError.single(label, NO_FOLDER_FOR_IMPORTS, parsed.source.line(("imports",)), "imports")
    from mlorg.spec.merge import apply

    merged = apply(parsed, base_dir, label, [], None)
    spec = validate_spec(edited(parsed), base_dir)
    spec._imports = merged
    return spec


@dataclass(frozen=True)
class ParsedSpec:
    """A spec parsed but not yet validated: its data, where each part came from, problems so far."""

    data: dict[str, Any]
    source: SourceMap
    problems: tuple[Problem, ...]


def edited(parsed: ParsedSpec) -> ParsedSpec:
    """``parsed`` after its data was changed in place (fragments merged in, a key removed): the line map
    brought up to date (:meth:`SourceMap.refreshed`), so every path answers as it did when the map read the data."""
    return ParsedSpec(parsed.data, parsed.source.refreshed(parsed.data), parsed.problems)


def parse_spec(text: str, label: str, *, as_json: bool = False) -> ParsedSpec:
    """First phase: YAML text to data. Problems that make validation pointless raise at once.

    ``as_json`` (a ``.json`` file) tries the JSON decoder first (:mod:`mlorg.spec.json_doc`), other text
    rapidyaml for a large file in the layout mlorg writes (:mod:`mlorg.spec.yaml_fast`); each steps aside
    for the located builder whenever it could not give the same data and lines.
    """
    doc = None
    if as_json:
        from mlorg.spec.json_doc import parse_json

        with gc_paused():
            doc = parse_json(text, label)
    else:
        from mlorg.spec.yaml_fast import parse_fast

        with gc_paused():
            doc = parse_fast(text, label)
    if doc is None:
        doc = parse(text, label)
    if not isinstance(doc.data, dict):
        raise SpecError.single(label, "the top level must be a mapping of sections (version, organization, ...)", 1)
    return ParsedSpec(doc.data, doc.source, doc.problems)


def validate_spec(parsed: ParsedSpec, base_dir: Path | None = None) -> Organization:
    """Second phase: types, values, ids and references; raise every problem at once."""
    with gc_paused():
        return _validate(parsed, base_dir)


def _validate(parsed: ParsedSpec, base_dir: Path | None) -> Organization:
    data, source = parsed.data, parsed.source
    problems = list(parsed.problems)
    version = check_version(data, source)
    if version:
        raise SpecError(problems + version)
    spec: Organization | None = None
    try:
        spec = Organization.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate(exc, source))
    ids: dict[str, dict[str, int]] = {}
    problems.extend(check_references(data, source, ids))
    settings = data.get("settings")
    if isinstance(settings, dict):
        problems.extend(check_thresholds(settings, source, ("settings",)))
    if problems or spec is None:
        raise SpecError(problems)
    share_fields_sets(spec)
    # each section's id -> position, already built by the reference check; the index takes it over
    spec._positions = {section: (getattr(spec, section), at) for section, at in ids.items()}
    spec._source = source
    spec._base_dir = base_dir
    return spec


def check_version(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """The version gate: every version in :data:`SUPPORTED_VERSIONS` loads (version 2 is a superset of 1)."""
    version = data.get("version")
    if version in SUPPORTED_VERSIONS and not isinstance(version, bool):
        return []
    if "version" not in data:
        return [Problem(source.file, 1, "version", f"required field missing; add `version: {SPEC_VERSION}`")]
    return [
        Problem(
            source.file,
            source.line(("version",)),
            "version",
            f"unsupported spec version {shown(version)}; this mlorg reads versions "
            f"{', '.join(map(str, SUPPORTED_VERSIONS))}",
        )
    ]


def translate(
    exc: ValidationError,
    source: SourceMap,
    root: type[BaseModel] = Organization,
    prefix: tuple[PathPart, ...] = (),
) -> list[Problem]:
    """Turn pydantic's errors into breadcrumb problems with did-you-mean hints.

    When a value fails every branch of a union (``ignore: [5]`` against "slug or mapping"),
    pydantic reports each branch. The branches that rejected the value's shape outright are
    dropped when another branch got further, so one mistake gives one line.
    """
    errors = [(err, *clean_loc(err["loc"], root)) for err in exc.errors(include_url=False)]
    deeper = {at for err, loc, at in errors if at is not None and (loc != at or not _shape_error(err))}
    problems = []
    shape_reported: set[tuple[PathPart, ...]] = set()
    for err, loc, at in errors:
        if at is not None and _shape_error(err) and loc == at:
            if at in deeper or at in shape_reported:
                continue
            shape_reported.add(at)
        full = (*prefix, *loc)
        problems.append(Problem(source.file, source.line(full), format_path(full), _message(err, loc, root)))
    return problems


def _shape_error(err: Any) -> bool:
    return str(err["type"]).endswith(("_type", "_parsing"))


def clean_loc(loc: Sequence[Any], root: type[BaseModel]) -> tuple[tuple[PathPart, ...], tuple[PathPart, ...] | None]:
    """Drop pydantic's union-branch and dict-key markers from a location, guided by the models.

    Returns the location as the user wrote it and, if it passed through a union, where that was.
    """
    out: list[PathPart] = []
    ann: Any = root
    union_at: tuple[PathPart, ...] | None = None
    parts = list(loc)
    i = 0
    while i < len(parts):
        part = parts[i]
        ann = _unwrap(ann)
        origin = get_origin(ann)
        if origin in (Union, types.UnionType):
            branches = [a for a in get_args(ann) if a is not type(None)]
            if len(branches) == 1:
                ann = branches[0]
                continue
            if union_at is None:
                union_at = tuple(out)
            ann = next((b for b in branches if _branch_tag(b) == part), None)
            i += 1
            continue
        i += 1
        if part == "[key]":
            continue
        out.append(part)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            field = ann.model_fields.get(str(part))
            ann = field.annotation if field else None
        elif origin in (tuple, list):
            ann = get_args(ann)[0] if get_args(ann) else None
        elif origin is dict:
            ann = get_args(ann)[1]
        else:
            ann = None
    return tuple(out), union_at


def _unwrap(ann: Any) -> Any:
    while get_origin(ann) is Annotated:
        ann = get_args(ann)[0]
    return ann


def _branch_tag(ann: Any) -> str:
    """The name pydantic puts in an error location for a union branch."""
    ann = _unwrap(ann)
    if isinstance(ann, type):
        return ann.__name__
    if get_origin(ann) is Literal:
        return "literal"
    return repr(ann)


_EXPECTED = {
    "model": "a mapping of fields",
    "dict": "a mapping",
    "tuple": "a list",
    "list": "a list",
    "string": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
}
_DURATION_ERRORS = {"string_pattern_mismatch", "string_too_long", "string_type"}
_BOUNDS = {
    "greater_than_equal": ("ge", "at least"),
    "greater_than": ("gt", "more than"),
    "less_than_equal": ("le", "at most"),
    "less_than": ("lt", "less than"),
}


def _message(err: Any, loc: tuple[PathPart, ...], root: type[BaseModel]) -> str:
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        key = loc[-1] if loc else ""
        return f"unknown key {shown(key)}{did_you_mean(str(key), _allowed_keys(root, loc[:-1]))}"
    if kind == "missing":
        return "required field missing"
    if kind == "literal_error":
        # the allowed values come from our own models, not from pydantic's wording of them
        options = literal_options(root, err["loc"])
        hint = did_you_mean(value, options) if isinstance(value, str) else ""
        return f"{shown(value)} is not one of: {', '.join(options)}{hint}"
    if kind in _DURATION_ERRORS and annotation_at(root, err["loc"]) == Duration:
        return f"{shown(value)} is not a duration: a whole number and a unit, such as 15m, 6h, 30d or 12w"
    if kind == "string_pattern_mismatch":
        return f"{shown(value)} is not a valid id (letters, digits, '.', '_' and '-', starting with a letter or digit)"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return f"must be {words} {ctx.get(key)}, got {shown(value)}"
    if kind == "string_too_long":
        return f"text longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "int_from_float":
        return f"expected a whole number, got {shown(value)}"
    base = kind.removesuffix("_type").removesuffix("_parsing")
    if base in _EXPECTED and base != kind:
        quote = base == "string" and not isinstance(value, dict | list | tuple | type(None))
        return f"expected {_EXPECTED[base]}, got {shown(value)}{'; put it in quotes to make it text' if quote else ''}"
    return plain_message(err)


def literal_options(root: type[BaseModel], loc: Sequence[Any]) -> list[str]:
    """The values a ``Literal`` field at pydantic's raw error location ``loc`` allows, in order."""
    ann = annotation_at(root, loc)
    return [str(v) for v in _literals(ann)] if ann is not None else []


def annotation_at(root: type[BaseModel], loc: Sequence[Any]) -> Any:
    """The annotation of the field at pydantic's raw error location ``loc`` (None if not found)."""
    ann: Any = root
    parts = list(loc)
    i = 0
    while i < len(parts) and ann is not None:
        ann = _unwrap(ann)
        if get_origin(ann) in (Union, types.UnionType):
            branches = [a for a in get_args(ann) if a is not type(None)]
            if len(branches) == 1:  # Optional[X]: pydantic names no branch
                ann = branches[0]
                continue
            ann = next((b for b in branches if _branch_tag(b) == parts[i]), None)
            i += 1
            continue
        key = i + 1 < len(parts) and parts[i + 1] == "[key]"
        ann = _step(ann, parts[i], key)
        i += 2 if key else 1
    optional = [a for a in get_args(ann) if a is not type(None)] if get_origin(ann) in (Union, types.UnionType) else []
    return optional[0] if len(optional) == 1 else ann


def _step(ann: Any, part: Any, key: bool) -> Any:
    """The annotation one location part below ``ann``."""
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        field = ann.model_fields.get(str(part))
        return field.annotation if field else None
    origin, args = get_origin(ann), get_args(ann)
    if origin in (tuple, list) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[0] if key else args[1]
    return None


def _literals(ann: Any) -> list[Any]:
    ann = _unwrap(ann)
    if get_origin(ann) is Literal:
        return list(get_args(ann))
    return [v for arg in get_args(ann) if get_origin(ann) in (Union, types.UnionType) for v in _literals(arg)]


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


def check_thresholds(settings: dict[str, Any], source: SourceMap, prefix: tuple[PathPart, ...]) -> list[Problem]:
    """Threshold values must have the right type and range, like any other field."""
    from mlorg.settings import Thresholds

    thresholds = settings.get("thresholds")
    if not isinstance(thresholds, dict):
        return []
    known = {k: v for k, v in thresholds.items() if k in Thresholds.model_fields}
    try:
        Thresholds.model_validate(known, strict=True)  # `true` is not 1, "5" is not 5
    except ValidationError as exc:
        return translate(exc, source, Thresholds, (*prefix, "thresholds"))
    return []


def load_config(path: str | os.PathLike[str]) -> Settings:
    """Load a ``--config`` file: the same shape as a spec's ``settings`` section."""
    from mlorg.settings import Settings, Thresholds
    from mlorg.spec.models import SpecSettings

    label = str(path)
    text = read_text(Path(path), label, what="config file")
    doc = parse(text, label, ("a config file", "a config file holds ignore, severity or thresholds"))
    data, source = doc.data, doc.source
    if not isinstance(data, dict):
        raise SpecError.single(label, "a config file must be a mapping with ignore, severity or thresholds", line=1)
    problems = list(doc.problems)
    parsed: SpecSettings | None = None
    try:
        parsed = SpecSettings.model_validate(data)
    except ValidationError as exc:
        problems.extend(translate(exc, source, SpecSettings))
    problems.extend(check_thresholds(data, source, ()))
    problems.extend(check_settings(data, source, ()))
    if problems or parsed is None:
        raise SpecError(problems)
    return Settings(
        thresholds=Thresholds.model_validate(parsed.thresholds),
        ignore=parsed.ignore,
        severity=parsed.severity,
    )
