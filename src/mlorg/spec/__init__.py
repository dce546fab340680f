"""The organization spec: pydantic models, the YAML loader and reference resolution."""

from mlorg.spec.loader import load_spec, load_spec_text
from mlorg.spec.models import Organization

__all__ = ["Organization", "load_spec", "load_spec_text"]
