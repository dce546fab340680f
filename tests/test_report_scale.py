"""A generated 100,000-person organization gives a readable, bounded report (timings: benchmarks/)."""

from __future__ import annotations

import pytest

import mlorg
from mlorg.render import html, team_map
from mlorg.results import Finding
from mlorg.spec.index import SpecIndex
from orggen import generate_spec

MAX_BYTES = 3_000_000


@pytest.fixture(scope="module")
def big() -> tuple[mlorg.Organization, mlorg.Assessment]:
    spec = generate_spec(100_000)
    assert len(spec.people) == 100_000 and len(spec.teams) > 10_000
    return spec, mlorg.assess(spec)


def test_team_map_of_a_huge_org_aggregates(big) -> None:  # type: ignore[no-untyped-def]
    spec, _ = big
    m = team_map.build(SpecIndex(spec))
    assert m.folded and len(m.nodes) <= team_map.MAX_NODES
    assert m.total_teams == len(spec.teams)
    assert sum(n.teams for n in m.nodes) == len(spec.teams)
    assert sum(n.headcount for n in m.nodes) == 100_000


def test_huge_org_report_stays_bounded(big) -> None:  # type: ignore[no-untyped-def]
    spec, a = big
    page = html.render(a, spec=spec)
    assert len(page.encode()) < MAX_BYTES
    team_map_svg = page[page.index('id="chart-team-map"') :]
    team_map_svg = team_map_svg[: team_map_svg.index("</svg>")]
    assert team_map_svg.count('class="team"') <= team_map.MAX_NODES
    assert 'id="chart-culture"' in page  # per-team culture, capped to the lowest teams above the floor


def test_huge_org_report_with_tens_of_thousands_of_findings_stays_bounded(big) -> None:  # type: ignore[no-untyped-def]
    spec, a = big
    findings = tuple(
        Finding(
            rule=rule,
            severity="high" if i % 2 else "medium",
            subject=f"model:m{i}",
            message=f"Model m{i} needs attention ({rule}).",
            remedy="Fix it.",
            source="rml-ch13",
        )
        for rule in ("model-without-owner", "no-drift-escalation", "feature-too-stale", "handoff-to-it")
        for i in range(5000)
    )
    page = html.render(a.model_copy(update={"findings": findings}), spec=spec)
    assert len(page.encode()) < MAX_BYTES
    assert "mlorg assess --format json</code> has them all" in page
