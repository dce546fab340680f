"""A :class:`Fragment` as YAML: the same schema as a spec, valid on its own, one item per line.

Items are sorted by id and written in flow style (``- {id: x, team: y}``) so the same input
always gives the same bytes and a diff of two imports shows what changed, item by item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from mlorg.sources.interface import Fragment
from mlorg.spec.models import SPEC_VERSION
from mlorg.yaml_text import flow

SECTIONS = ("teams", "people", "models", "features", "forums")


def _plain(item: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    if "id" in data:  # keep the id first: it is what a reader looks for
        data = {"id": data.pop("id"), **data}
    return data


def render(fragment: Fragment, command: str) -> str:
    """The fragment file's text: a header naming the command and the notes, then the spec sections."""
    from mlorg.render.escape import printable

    lines = [
        f"# Written by `{printable(command)}`.",
        "# Merge it into a spec with `mlorg assess SPEC --with THIS_FILE`.",
    ]
    lines += [f"# note: {printable(note).replace(chr(10), ' ')}" for note in fragment.notes]
    lines.append(f"version: {SPEC_VERSION}")
    organization: dict[str, Any] = {"name": f"Imported from {fragment.system}", "headcount": fragment.headcount}
    lines.append(f"organization: {flow(organization)}")
    if fragment.lists is not None:
        lists = _plain(fragment.lists)
        if lists:
            lines.append(f"lists: {flow(lists)}")
    for section in SECTIONS:
        items: Sequence[BaseModel] = getattr(fragment, section)
        if not items:
            continue
        lines.append(f"{section}:")
        for item in sorted(items, key=lambda i: str(getattr(i, "id", ""))):
            lines.append(f"- {flow(_plain(item))}")
    if fragment.ties or fragment.reviews:
        lines.append("collaboration:")
    if fragment.ties:
        lines.append("  ties:")
        ordered = sorted(fragment.ties, key=lambda t: (t.a, t.b, t.channel or "", t.weight))
        lines += [f"  - {flow(_plain(tie))}" for tie in ordered]
    if fragment.reviews:
        lines.append("  reviews:")
        lines += [f"  - {flow(_plain(r))}" for r in sorted(fragment.reviews, key=lambda r: (r.author, r.team))]
    return "\n".join(lines) + "\n"
