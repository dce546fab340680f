"""The organization spec: pydantic models, the YAML loader and reference resolution.

Names are imported on first use (PEP 562): code that needs only the models does not pay for the loader.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mlorg.spec.loader import load_spec, load_spec_text
    from mlorg.spec.models import Organization

_LAZY = {"Organization": "mlorg.spec.models", "load_spec": "mlorg.spec.loader", "load_spec_text": "mlorg.spec.loader"}

__all__ = ["Organization", "load_spec", "load_spec_text"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mlorg.spec' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
