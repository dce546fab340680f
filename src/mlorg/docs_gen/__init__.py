"""Reference pages generated from the code, so the docs cannot drift from what the tool does.

Run ``python -m mlorg.docs_gen TARGET > docs/TARGET.md``; tests compare each committed page with
a fresh rendering. Add a target by adding a module with a ``render() -> str`` function and an
entry in :data:`TARGETS`.
"""

from __future__ import annotations

from collections.abc import Callable

from mlorg.docs_gen import rules

#: Target name -> renderer; ``python -m mlorg.docs_gen NAME`` prints the page.
TARGETS: dict[str, Callable[[], str]] = {
    "rules": rules.render,
}

__all__ = ["TARGETS"]
