"""Rules about mlorg's own settings: an exemption that has run out says so."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mlorg.results import Evidence
from mlorg.rules.context import RuleContext
from mlorg.rules.registry import Hit, Question, rule
from mlorg.spec.models import Suppression


@rule(
    "expired-exemption",
    severity="low",
    source="mlorg",
    summary="An exemption in `settings.ignore` has passed its `until` date; the finding it silenced is back.",
    flags="An `ignore` entry (in the spec or a `--config` file) whose `until` date lies before today.",
    why=(
        "An exemption is a decision to live with a risk for a while, for a stated reason. Past its date "
        "nobody has looked at that decision again: either the risk was dealt with and the entry is stale, "
        "or it was not and the reason may no longer hold."
    ),
    example="""
settings:
  ignore:
    - rule: no-written-strategy
      reason: strategy offsite planned
      until: 2020-01-31
""",
    remedy=(
        "Look at the finding that came back: fix it and delete the entry, or decide again and give the entry "
        "a new `until` date and the reason it still holds."
    ),
)
def expired_exemption(ctx: RuleContext) -> Iterator[Hit | Question]:
    spec_entries = ctx.spec.settings.ignore
    by_subject: dict[str, list[Suppression]] = defaultdict(list)
    for entry in ctx.expired:
        by_subject[entry.subject or "org"].append(entry)
    for subject, entries in sorted(by_subject.items()):
        parts = []
        evidence = []
        for entry in entries:
            reason = f" (reason given: {entry.reason.rstrip('.')})" if entry.reason else ""
            parts.append(f"'{entry.rule}' ran out on {entry.until}{reason}")
            where = next((i for i, e in enumerate(spec_entries) if e == entry), None)
            path = f"settings.ignore[{where}]" if where is not None else "settings.ignore"
            note = None if where is not None else "from the --config file"
            evidence.append(Evidence(path=path, value=entry.model_dump(mode="json", exclude_none=True), note=note))
        noun = "exemption" if len(parts) == 1 else "exemptions"
        yield Hit(
            subject,
            f"The {noun} from {'; '.join(parts)}; the finding is reported again.",
            tuple(evidence),
        )
