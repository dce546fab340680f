"""Write compact YAML by building strings: far faster than a general emitter for big specs.

Only what mlorg writes is supported: strings, numbers, booleans, null, lists and mappings,
in flow style (``{id: x, roles: [a, b]}``). Any string that could be read back as something
else (a number, a boolean, null) or that holds YAML syntax is double-quoted, JSON style,
which is valid YAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

# Plain scalars safe inside flow collections: start with a letter, no flow indicators,
# no ": " or " #", no trailing space.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ._/'()-]*[A-Za-z0-9._/)-]|[A-Za-z]")
# Words YAML 1.1 (PyYAML) reads as booleans or null.
_RESERVED = frozenset({"yes", "no", "true", "false", "on", "off", "null", "y", "n"})

Value = str | int | float | bool | None | Sequence["Value"] | Mapping[str, "Value"]


def scalar(value: str | int | float | bool | None) -> str:
    """One scalar, quoted only when a plain rendering would change its meaning."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return _text(value)
    return repr(value)


#: Quoted renderings of strings seen before (locations and names repeat; ids and records do not).
_QUOTED: dict[str, str] = {}
_QUOTED_MAX = 1 << 16


def _text(value: str) -> str:
    # No lru_cache: most strings in a large fragment are unique ids, and a cache that misses and evicts on
    # each costs several times the regular expression it would save. Only the JSON quoting is remembered.
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED:
        return value
    quoted = _QUOTED.get(value)
    if quoted is None:
        quoted = json.dumps(value, ensure_ascii=False)
        if len(_QUOTED) < _QUOTED_MAX:
            _QUOTED[value] = quoted
    return quoted


def flow(value: Value) -> str:
    """A value in flow style; mappings keep their insertion order and drop ``None`` entries."""
    if type(value) is str:  # the common case first: ``type() is`` beats ``isinstance`` here
        return _text(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join([f"{_text(k)}: {flow(v)}" for k, v in value.items() if v is not None]) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join([flow(v) for v in value]) + "]"
    return scalar(value)  # type: ignore[arg-type]
