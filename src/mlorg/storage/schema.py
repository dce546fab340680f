"""Import every table module, so ``Base.metadata`` describes the whole database.

Alembic's environment and the schema tests use this one list; a new table module is added here.
"""

from __future__ import annotations

import mlorg.storage.snapshots
import mlorg.storage.survey_tables
from mlorg.storage.base import Base

TABLE_MODULES = (mlorg.storage.survey_tables, mlorg.storage.snapshots)
metadata = Base.metadata

__all__ = ["TABLE_MODULES", "metadata"]
