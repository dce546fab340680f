"""mlorg: an advisor for how an organization does machine learning.

Library use::

    import mlorg
    spec = mlorg.load_spec("org.yaml")
    result = mlorg.assess(spec)
    print(mlorg.render(result, "markdown"))
"""

from mlorg.assessment import SCHEMA_VERSION, Assessment
from mlorg.engine import assess
from mlorg.errors import MlorgError, Problem, SpecError
from mlorg.render import render
from mlorg.settings import Settings, Thresholds
from mlorg.spec import Organization, load_spec, load_spec_text

__version__ = "0.1.0"

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
