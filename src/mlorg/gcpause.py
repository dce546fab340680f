"""Pausing Python's cyclic garbage collector around work that builds large acyclic object trees."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic trees.

    Loading and assessing create millions of small objects and no cycles; with the collector
    running, each generation-2 pass walks every one of them, which made parsing a 100,000-person
    spec about twice as slow, and assessing it half as slow again, and both worse than linear.
    Reference counting still frees everything as usual; the collector's state is restored after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
