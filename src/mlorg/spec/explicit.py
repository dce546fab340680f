"""Tell an explicit ``null`` from a field the spec leaves out.

Unknown is not false: a missing field is an open question. But a leader who writes
``owner: null`` or ``communication_cadence_days: null`` is telling us "there is none", which is
evidence a rule may act on.
"""

from __future__ import annotations

from pydantic import BaseModel


def said_none(item: BaseModel, field: str) -> bool:
    """True when the spec sets ``field`` explicitly to null (as opposed to leaving it out)."""
    return field in item.model_fields_set and getattr(item, field) is None
