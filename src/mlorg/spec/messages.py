"""Wording shared by every input problem: values shown safely, and did-you-mean hints."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence

HINT_MAX_OPTIONS = 20_000  # beyond this many candidates a hint costs more than it helps


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


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """``; did you mean 'x'?`` for the closest option, or nothing."""
    if not word or len(options) > HINT_MAX_OPTIONS:
        return ""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean {shown(close[0])}?" if close else ""
