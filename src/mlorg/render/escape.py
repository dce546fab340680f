"""Neutralise hostile strings (markup, control characters) for each output format."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Backslash-escaping tables for ``str.translate``: one C pass, where ``re.sub`` with a ``\\\1`` template
# expanded the template in Python for every match (a third of Markdown rendering on a large organization).
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|>~"})


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
    return out.translate(_MD_SPECIAL).replace("\\&amp;", "&amp;")


_MD_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_{}[]|~"})
_MD_LINE_START = re.compile(r"^(\s*)(#+|[+\-=](?=\s|$)|\d+[.)](?=\s|$))")
_TICKED = re.compile(r"`([^`\n]+)`")


def md_inline(text: object) -> str:
    """Escape prose for Markdown, keeping its `backticked` spec paths as code spans.

    Lighter than :func:`md`: only what can start markup is escaped, so the raw file still reads well.
    """
    out = printable(text).replace("\r", " ").replace("\n", " ").replace("&", "&amp;")
    out = out.replace("<", "&lt;").replace(">", "&gt;")
    if "`" in out:
        parts = []
        last = 0
        for m in _TICKED.finditer(out):
            parts.append(out[last : m.start()].translate(_MD_INLINE))
            parts.append(f"`{m.group(1)}`")
            last = m.end()
        parts.append(out[last:].translate(_MD_INLINE))
        out = "".join(parts)
    else:
        out = out.translate(_MD_INLINE)
    start = _MD_LINE_START.match(out)
    if start is None:
        return out
    return f"{start.group(1)}\\{start.group(2)}{out[start.end() :]}"
