"""The collaboration graph and the silo measures read from it (DESIGN §4 ``network``).

People are nodes, observed ties (co-changes, messages, meetings) are edges, and the formal team
partition comes from the spec. Who counts as ML staff and which teams are ML or business teams is
decided in :mod:`mlorg.facts`; this package only measures. Everything runs on numpy arrays and
igraph (compiled): no Python loop walks the edges.
"""

from __future__ import annotations

from mlorg.network.graph import EdgeList, collapse
from mlorg.network.measures import Measures, Partition, measure

__all__ = ["EdgeList", "Measures", "Partition", "collapse", "measure"]
