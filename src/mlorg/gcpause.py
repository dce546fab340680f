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


_held: list[bool] = []  # the collector's state before hold_collector, while held


def hold_collector() -> None:
    """Turn the cyclic collector off until the command ends, for one-shot commands.

    Objects built before this call are moved out of the collector's sight too (``gc.freeze``), so
    not even the collection at interpreter exit walks them. Never hold it in a long-running process
    (the web app): cyclic garbage would then never be freed.
    """
    if not _held:
        _held.append(gc.isenabled())
    gc.disable()
    gc.freeze()


def held() -> bool:
    return bool(_held)


def release_collector() -> None:
    """Undo :func:`hold_collector` (when a command ran in-process, as in the tests)."""
    if _held:
        was_enabled = _held.pop()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
