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


def fragment_data(fragment: Fragment) -> dict[str, Any]:
    """The fragment as the data its file holds: what a spec loader reads back from :func:`render`'s text."""
    organization: dict[str, Any] = {"name": f"Imported from {fragment.system}"}
    if fragment.headcount is not None:
        organization["headcount"] = fragment.headcount
    data: dict[str, Any] = {"version": SPEC_VERSION, "organization": organization}
    if fragment.lists is not None:
        lists = _plain(fragment.lists)
        if lists:
            data["lists"] = lists
    for section in SECTIONS:
        items: Sequence[BaseModel] = getattr(fragment, section)
        if items:
            data[section] = [_plain(item) for item in sorted(items, key=lambda i: str(getattr(i, "id", "")))]
    collaboration: dict[str, Any] = {}
    if fragment.ties:
        ordered = sorted(fragment.ties, key=lambda t: (t.a, t.b, t.channel or "", t.weight))
        collaboration["ties"] = [_plain(tie) for tie in ordered]
    if fragment.reviews:
        collaboration["reviews"] = [_plain(r) for r in sorted(fragment.reviews, key=lambda r: (r.author, r.team))]
    if collaboration:
        data["collaboration"] = collaboration
    return data


def render(fragment: Fragment, command: str, data: dict[str, Any] | None = None) -> str:
    """The fragment file's text: a header naming the command and the notes, then the spec sections.

    ``data`` is :func:`fragment_data`'s answer when the caller already has it (it is checked first).
    """
    from mlorg.render.escape import printable

    if data is None:
        data = fragment_data(fragment)
    lines = [
        f"# Written by `{printable(command)}`.",
        "# Merge it into a spec with `mlorg assess SPEC --with THIS_FILE`.",
    ]
    lines += [f"# note: {printable(note).replace(chr(10), ' ')}" for note in fragment.notes]
    lines.append(f"version: {data['version']}")
    lines.append(f"organization: {flow(data['organization'])}")
    if "lists" in data:
        lines.append(f"lists: {flow(data['lists'])}")
    for section in SECTIONS:
        if section in data:
            lines.append(f"{section}:")
            lines += [f"- {flow(item)}" for item in data[section]]
    if "collaboration" in data:
        lines.append("collaboration:")
        for key in ("ties", "reviews"):
            if key in data["collaboration"]:
                lines.append(f"  {key}:")
                lines += [f"  - {flow(entry)}" for entry in data["collaboration"][key]]
    return "\n".join(lines) + "\n"


def check(fragment: Fragment, data: dict[str, Any], label: str) -> None:
    """Prove the fragment is a valid spec on its own, as ``mlorg assess --with`` will load it.

    Its items are spec models already, validated as the source built them, so the whole is validated
    from those models, and ids, references and hierarchy cycles are checked on ``data``: the same
    checks as loading the written text, without parsing it back (which took about half of a 100,000-row
    HR import). That the text reads back as ``data`` is the writer's own guarantee (:mod:`mlorg.yaml_text`),
    tested on hostile values. A failure here is a bug in the source, raised as a located problem.
    """
    from pydantic import ValidationError

    from mlorg.errors import SpecError
    from mlorg.spec.loader import translate
    from mlorg.spec.models import Organization
    from mlorg.spec.references import check_references
    from mlorg.spec.source import SourceMap

    source = SourceMap(label)
    models: dict[str, Any] = {**data, **{s: getattr(fragment, s) for s in SECTIONS if s in data}}
    problems = []
    try:
        Organization.model_validate(models)
    except ValidationError as exc:
        problems.extend(translate(exc, source))
    problems.extend(check_references(data, source))
    if problems:
        raise SpecError(problems)
