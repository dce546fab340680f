"""Wording shared by every input problem: values shown safely, and did-you-mean hints offered only for typos."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.utils import default_process

HINT_MAX_OPTIONS = 20_000  # beyond this many candidates a hint costs more than it helps
_DIGITS = re.compile(r"[0-9]+")


def shown(value: object, limit: int = 60) -> str:
    """A short, printable rendering of a user-supplied value, in YAML's spelling.

    Control and bidi-override characters become visible escapes (``\\x1b``); markup is left as
    typed, so the user sees what they wrote (each output format escapes it for its medium).
    """
    from mlorg.render.escape import printable  # here, not at the top: render imports the spec package

    if isinstance(value, str):
        text = printable(value).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        if len(text) > limit:
            text = text[: limit - 3] + "..."
        return f"'{text}'"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = printable(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: pydantic's error kinds whose meaning we say in our own words (the value is shown after "got")
_PLAIN_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_type": "a date (YYYY-MM-DD)",
}
#: how pydantic starts the message of an error a validator raised; the reader needs only what follows
_FRAMEWORK_PREFIXES = ("Value error, ", "Assertion failed, ")


def plain_message(err: Mapping[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) in the project's words.

    Used wherever pydantic speaks to a user: spec fields the loader has no special wording for, and
    command-line values (newer typer releases validate them with pydantic). The message of a
    validator's own ``ValueError`` is shown as written, without pydantic's "Value error, " in front.
    """
    kind = str(err.get("type", ""))
    ctx = err.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"]).rstrip(".")
    if kind in _PLAIN_EXPECTED:
        return f"expected {_PLAIN_EXPECTED[kind]}, got {shown(err.get('input'))}"
    if kind == "enum" and "expected" in ctx:
        return f"{shown(err.get('input'))} is not one of: {str(ctx['expected']).replace(chr(39), '')}"
    return strip_framework_prefix(str(err.get("msg", "invalid value"))).rstrip(".")


def strip_framework_prefix(text: str) -> str:
    """``Value error, x`` -> ``x``: pydantic's wrapper words mean nothing to the reader."""
    for prefix in _FRAMEWORK_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """``; did you mean 'x'?`` when ``word`` looks like a typo of exactly one option, or nothing."""
    best = closest(word, options)
    return f"; did you mean {shown(best)}?" if best is not None else ""


def closest(word: str, options: Sequence[str]) -> str | None:
    """The option ``word`` is a typo of, or None.

    A hint that names a value of another meaning is worse than none: ``product_marketing`` is a
    valid role in its own right, not a misspelt ``product_manager``, and following the hint would
    silently change an assessment. So a hint is offered only for what looks like a slip of the
    keyboard. Both words are compared case-insensitively, with ``_``, ``-``, ``.`` and spaces as one
    separator, word part by word part (Damerau-Levenshtein: a swap of two neighbours is one edit):

    - each part may differ by at most :func:`typo_budget` edits for its length (none for parts of
      one or two characters, so ``team-a`` never becomes ``team-b``);
    - parts may be split or joined only where nothing else differs (``mlengineer``, ``ml-engineer``);
    - words that differ only in their numbers (``model-1``, ``model-2``) are different things;
    - a tie between two equally close options means we cannot tell which was meant: no hint.
    """
    if not word or not options or len(options) > HINT_MAX_OPTIONS:
        return None
    parts = _parts(word)
    if not parts:
        return None
    # a coarse first pass in C over every option, then the exact part-by-part test on the few left
    # (a part of length n can differ by at most typo_budget(n + 3) edits; a split or joined part
    # differs by its separators alone)
    cutoff = max(sum(typo_budget(len(p) + 3) for p in parts), 2)
    found = process.extract(
        " ".join(parts),
        options,
        scorer=DamerauLevenshtein.distance,
        processor=default_process,
        score_cutoff=cutoff,
        limit=None,
    )
    scored = sorted(
        (edits, option) for option, _, _ in found if (edits := typo_edits(parts, _parts(option))) is not None
    )
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1] != scored[1][1]):
        return None
    return scored[0][1]


def typo_budget(length: int) -> int:
    """How many edits a typo of a word part this long may hold."""
    return 0 if length <= 2 else 1 if length <= 8 else 2 if length <= 14 else 3


def typo_edits(typed: list[str], option: list[str]) -> int | None:
    """Edits that turn ``typed`` into ``option`` if it reads as a typo of it (see :func:`closest`), else None."""
    if typed == option:
        return 0
    if _DIGITS.sub("#", " ".join(typed)) == _DIGITS.sub("#", " ".join(option)):
        return None  # only the numbers differ: another item, not a typo
    if len(typed) != len(option):
        return 1 if "".join(typed) == "".join(option) else None
    total = 0
    for a, b in zip(typed, option, strict=True):
        edits = DamerauLevenshtein.distance(a, b)
        if edits > typo_budget(max(len(a), len(b))):
            return None
        total += edits
    return total


def _parts(word: str) -> list[str]:
    return default_process(word).split()
