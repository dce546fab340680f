"""Importers: read the systems an organization already runs into spec fragments (DESIGN §4 ``sources``).

:mod:`mlorg.sources.interface` is the extension point; :data:`KINDS` names every importer, loaded
only when used so that ``mlorg`` starts fast and optional clients stay optional.
"""

from __future__ import annotations

import importlib

from mlorg.errors import UsageError
from mlorg.sources.interface import Source

#: ``mlorg import KIND`` -> ``module:class`` of its :class:`~mlorg.sources.interface.Source`.
KINDS: dict[str, str] = {
    "hris": "mlorg.sources.hris:HrisSource",
    "git-collab": "mlorg.sources.gitcollab:GitCollabSource",
    "git-review": "mlorg.sources.gitreview:GitReviewSource",
    "pairs": "mlorg.sources.pairs:PairsSource",
    "slack": "mlorg.sources.slack:SlackSource",
    "codeowners": "mlorg.sources.codeowners:CodeownersSource",
    "backstage": "mlorg.sources.backstage:BackstageSource",
    "mlflow": "mlorg.sources.mlflow:MlflowSource",
    "feast": "mlorg.sources.feast:FeastSource",
    "openlineage": "mlorg.sources.openlineage:OpenLineageSource",
}


def source_for(kind: str) -> Source:
    """The importer of one kind, or a usage error listing the kinds there are."""
    target = KINDS.get(kind)
    if target is None:
        from mlorg.spec.messages import did_you_mean

        raise UsageError(f"unknown kind '{kind}'; choose one of: {', '.join(KINDS)}{did_you_mean(kind, list(KINDS))}")
    module, _, name = target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    source: Source = cls()
    return source
