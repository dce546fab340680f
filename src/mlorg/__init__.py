"""mlorg: an advisor for how an organization does machine learning.

Library use::

    import mlorg
    spec = mlorg.load_spec("org.yaml")
    result = mlorg.assess(spec)
    print(mlorg.render(result, "markdown"))

The public names are imported on first use (PEP 562), so ``import mlorg`` and ``mlorg --help``
do not build every model, analysis and renderer before anything needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Eager on purpose, and cheap: imported lazily, the ``mlorg.render`` subpackage would shadow the function.
from mlorg.render import render

if TYPE_CHECKING:
    from mlorg.assessment import SCHEMA_VERSION, Assessment
    from mlorg.engine import assess
    from mlorg.errors import MlorgError, Problem, SpecError
    from mlorg.settings import Settings, Thresholds
    from mlorg.spec import Organization, load_spec, load_spec_text

__version__ = "0.1.0"

_LAZY = {
    "SCHEMA_VERSION": "mlorg.assessment",
    "Assessment": "mlorg.assessment",
    "assess": "mlorg.engine",
    "MlorgError": "mlorg.errors",
    "Problem": "mlorg.errors",
    "SpecError": "mlorg.errors",
    "Settings": "mlorg.settings",
    "Thresholds": "mlorg.settings",
    "Organization": "mlorg.spec",
    "load_spec": "mlorg.spec",
    "load_spec_text": "mlorg.spec",
}

__all__ = [
    "SCHEMA_VERSION",
    "Assessment",
    "MlorgError",
    "Organization",
    "Problem",
    "Settings",
    "SpecError",
    "Thresholds",
    "__version__",
    "assess",
    "load_spec",
    "load_spec_text",
    "render",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mlorg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
