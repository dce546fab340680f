"""Neutralise hostile strings (markup, control characters) for each output format."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")


def printable(text: object) -> str:
    """Replace control and bidi-override characters by visible escapes like ``\\x1b``."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


def one_line(text: object) -> str:
    """:func:`printable`, with line breaks escaped too: for a message line, so that a file name or value
    holding a newline cannot start a line of its own (a forged log line or CI ``::error::`` annotation)."""
    return printable(text).replace("\n", "\\n").replace("\r", "\\r")


def md(text: object) -> str:
    """Escape for Markdown: control characters, Markdown syntax and raw HTML."""
    out = printable(text).replace("\r", " ").replace("\n", " ")
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", out).replace("\\&amp;", "&amp;")


_MD_INLINE = re.compile(r"([\\`*_{}\[\]|~])")
_MD_LINE_START = re.compile(r"^(\s*)(#+|[+\-=](?=\s|$)|\d+[.)](?=\s|$))")
_TICKED = re.compile(r"`([^`\n]+)`")


def md_inline(text: object) -> str:
    """Escape prose for Markdown, keeping its `backticked` spec paths as code spans.

    Lighter than :func:`md`: only what can start markup is escaped, so the raw file still reads well.
    """
    out = printable(text).replace("\r", " ").replace("\n", " ").replace("&", "&amp;")
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    parts = []
    last = 0
    for m in _TICKED.finditer(out):
        parts.append(_MD_INLINE.sub(r"\\\1", out[last : m.start()]))
        parts.append(f"`{m.group(1)}`")
        last = m.end()
    parts.append(_MD_INLINE.sub(r"\\\1", out[last:]))
    return _MD_LINE_START.sub(r"\1\\\2", "".join(parts))
