"""Exhaustive runs of the case library's two deletion properties, for a maintainer to run by hand.

The test suite tries a seeded sample of each case's deletions (``tests/test_case_library.py``) to stay
fast; this walks every one, which is how the property has found its bugs (a conclusion resting on a
field that was only unknown). It prints each deletion that added a finding or a hire, and exits 1 if
there was any.

    python tests/cases/explore.py                      # every case, both properties
    python tests/cases/explore.py fields CASE...       # every optional field of these cases
    python tests/cases/explore.py samples CASE...      # every item of a sample list
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import test_case_library as lib
from mlorg.errors import SpecError


def field_deletions(case: str) -> Iterator[str]:
    """Every optional field whose deletion adds a finding, with the findings it adds."""
    data = lib._spec_data(case)
    base = lib._findings(lib._assessed(case))
    for path in lib._field_paths(data):
        if path in lib.FIXED_PATHS or lib._widens(path, data):
            continue
        try:
            result = lib._assess_data(lib._without(data, path), f"{case}.yaml")
        except SpecError:
            continue  # required, or referred to: not optional
        added = sorted(lib._findings(result) - base)
        if added:
            yield f"{case}: deleting {lib._show(path)} added {added}"


def sample_deletions(case: str) -> Iterator[str]:
    """Every item of a sample list whose deletion adds a finding or a known-missing hire."""
    data = lib._spec_data(case)
    base = lib._assessed(case)
    findings, plan = lib._findings(base), lib._plan_status(base)
    for label, trimmed in lib._sample_deletions(data):
        try:
            result = lib._assess_data(trimmed, f"{case}.yaml")
        except SpecError:
            continue
        added = [f"finding {r} on {s}" for r, s in sorted(lib._findings(result) - findings)]
        now = lib._plan_status(result)
        added += [f"{role} became a hire" for role in sorted(now) if now[role] == "hire" and plan.get(role) != "hire"]
        if added:
            yield f"{case}: deleting {label} added {added}"


WALKS = {"fields": field_deletions, "samples": sample_deletions}


def main(argv: list[str]) -> int:
    walks = [argv.pop(0)] if argv and argv[0] in WALKS else list(WALKS)
    cases = argv or lib.CASES
    unknown = sorted(set(cases) - set(lib.CASES))
    if unknown:
        print(f"explore: no such case: {', '.join(unknown)}", file=sys.stderr)
        return 2
    found = 0
    for case in cases:
        for walk in walks:
            for line in WALKS[walk](case):
                print(line, flush=True)
                found += 1
    print(f"explore: {len(cases)} case(s), {found} deletion(s) that added something", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
