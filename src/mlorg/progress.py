"""A progress line on stderr for work that can take a while (reading and assessing a large spec, laying
out a PDF, importing), shown only when stderr is a terminal.

Piped or redirected output (CI logs, ``2> file``) gets nothing: a spinner there is noise, and every
command already says what it wrote when it is done. The line is transient: it disappears when the
work ends, so the terminal keeps only the command's own output.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Step = Callable[[str], None]


def _quiet(text: str) -> None:
    """What ``step`` is when nobody is watching."""


def enabled(stream: TextIO | None = None) -> bool:
    """True when ``stream`` (stderr by default) is an interactive terminal."""
    stream = sys.stderr if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream: no terminal there
        return False


@contextmanager
def progress(first: str, stream: TextIO | None = None) -> Iterator[Step]:
    """Show ``first`` with a spinner until the block ends; call the yielded ``step`` to say what comes next."""
    stream = sys.stderr if stream is None else stream
    if not enabled(stream):
        yield _quiet
        return
    from rich.console import Console

    console = Console(file=stream, highlight=False)
    with console.status(f"mlorg: {first}", spinner="dots") as status:

        def step(text: str) -> None:
            status.update(f"mlorg: {text}")

        yield step
