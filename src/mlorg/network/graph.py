"""Edge lists as numpy arrays: parallel ties between the same two people become one weighted edge.

Memory is the point at scale (2,000,000 ties): every step works on whole arrays, frees what it no
longer needs before the next allocation, and igraph gets its edges in bounded chunks, so no list of
millions of Python integers ever exists at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    import igraph

#: Edges handed to igraph per chunk: big enough to amortise the call, small enough to cost no memory.
CHUNK = 1 << 16


@dataclass(frozen=True)
class EdgeList:
    """An undirected simple graph on ``n`` people: ``a[i] < b[i]``, each pair once, ``w`` summed weights."""

    n: int
    a: NDArray[np.int64]
    b: NDArray[np.int64]
    w: NDArray[np.float64]

    @property
    def m(self) -> int:
        return int(self.a.shape[0])

    @property
    def nbytes(self) -> int:
        return int(self.a.nbytes + self.b.nbytes + self.w.nbytes)

    def pairs(self) -> Iterator[tuple[int, int]]:
        """Every edge as a pair of ints, converted a chunk at a time (igraph reads it into its own vector)."""
        return chain.from_iterable(
            zip(self.a[i : i + CHUNK].tolist(), self.b[i : i + CHUNK].tolist(), strict=True)
            for i in range(0, self.m, CHUNK)
        )

    def igraph(self) -> igraph.Graph:
        import igraph

        return igraph.Graph(n=self.n, edges=self.pairs(), directed=False)


def collapse(n: int, a: NDArray[np.int64], b: NDArray[np.int64], w: NDArray[np.float64]) -> EdgeList:
    """Drop self-ties, order each pair, and merge repeated pairs (channels, files) by summing weights.

    One sort of a 64-bit pair key does the merging; its order is kept so weights are summed with
    ``np.add.reduceat`` (no inverse index, no second sort).
    """
    size = np.int64(max(n, 1))
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    w = np.asarray(w, dtype=np.float64)
    key = np.minimum(a, b) * size
    key += np.maximum(a, b)
    keep = a != b
    if not keep.all():
        key, w = key[keep], w[keep]
    del keep
    order = np.argsort(key, kind="stable")
    key = key[order]
    w = w[order]
    del order
    if key.shape[0] == 0:
        empty = np.zeros(0, dtype=np.int64)
        return EdgeList(n, empty, empty.copy(), np.zeros(0, dtype=np.float64))
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    summed = np.add.reduceat(w, starts)
    del w
    uniq = key[starts]
    del key
    return EdgeList(n, uniq // size, uniq % size, summed.astype(np.float64, copy=False))
