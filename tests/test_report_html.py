"""The HTML report: every section, escaping, self-containment, determinism, bounded size, goldens."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import mlorg
from conftest import EXAMPLE, GOLDEN, ROOT
from mlorg.analyses.change_plan import ChangePlanResult
from mlorg.analyses.portfolio import PortfolioResult
from mlorg.render import html, report_view
from mlorg.results import Finding
from report_fixtures import rich_assessment, with_team_culture


def yarnit() -> tuple[mlorg.Organization, mlorg.Assessment]:
    spec = mlorg.load_spec(EXAMPLE, "examples/yarnit.yaml")
    return spec, mlorg.assess(spec)


class Tags(HTMLParser):
    """Collects start tags, attributes and text, the way a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    p = Tags()
    p.feed(page)
    return p


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"{path} is missing; regenerate with MLORG_UPDATE_GOLDEN=1 or --update-golden"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "golden", "now"))[:60]
        )
        pytest.fail(f"{name} differs from the golden file (MLORG_UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_golden_html(update_golden: bool) -> None:
    spec, a = yarnit()
    check_golden("yarnit.html", html.render(a, spec=spec), update_golden)


def test_golden_markdown(update_golden: bool) -> None:
    _, a = yarnit()
    check_golden("yarnit.md", mlorg.render(a, "markdown"), update_golden)


def test_cli_assess_html_matches_report_command(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli("assess", "--format", "html")
    assert res.code == 0
    out = tmp_path / "r.html"
    assert run_cli("report", "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8") == res.stdout
    spec, a = yarnit()
    assert res.stdout == html.render(a, spec=spec)


def test_same_input_gives_byte_identical_html() -> None:
    spec, a = yarnit()
    rich = rich_assessment(a)
    assert html.render(rich, spec=spec) == html.render(rich, spec=spec)


def test_output_does_not_depend_on_hash_seed() -> None:
    code = (
        "import sys, mlorg; from mlorg.render import html; "
        f"s = mlorg.load_spec({str(EXAMPLE)!r}, 'examples/yarnit.yaml'); "
        "sys.stdout.write(html.render(mlorg.assess(s), spec=s))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, check=True, env={"PYTHONHASHSEED": seed, "PATH": ""}
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_every_section_is_present_with_its_heading() -> None:
    spec, a = yarnit()
    rich = rich_assessment(a)
    page = html.render(rich, spec=spec)
    ids = {attrs.get("id") for tag, attrs in parse(page).tags if tag == "section"}
    expected = {
        "summary",
        "maturity",
        "archetype",
        "structure",
        "culture",
        "star_model",
        "roles",
        "portfolio",
        "data_readiness",
        "model_ops",
        "change_plan",
        "other",
        "open_questions",
        "about",
    }
    assert ids == expected


def test_executive_summary_leads_with_the_essentials() -> None:
    spec, a = yarnit()
    page = html.render(rich_assessment(a), spec=spec)
    summary = page[page.index('id="summary"') : page.index('id="maturity"')]
    for text in (
        "building (next: scaling)",
        "Embedded in products and business units",
        "decentralized → recommended decentralized",
        "Next project",
        "Suggestions on the add-to-cart confirmation page",
        "product manager",
        "data scientist",
        "Only two roles are due before the scaling stage",  # the next roles follow once these are filled
        "over 25 weeks. Start with strategy (weeks 2–7)",
    ):
        assert text in summary
    assert "QA engineer" not in summary  # only the next three hires
    assert "SRE ML" not in summary
    top = re.findall(r'<a href="#(rule-[a-z-]+)">', summary)
    assert len(top) == 5 and len(set(top)) == 5  # the five most serious *distinct* risks
    for anchor in top:  # every summary link lands on a rule's card
        assert '<article class="finding sev-' in page and f'id="{anchor}"' in page


def test_each_finding_shows_evidence_remedy_and_source() -> None:
    spec, a = yarnit()
    rich = rich_assessment(a)
    page = html.render(rich, spec=spec)
    for i, f in enumerate(rich.findings, 1):
        card = page[page.index(f'id="rule-{f.rule}"') :]
        card = card[: card.index("</article>")]
        assert f.rule in card and "Evidence" in card and "Remedy" in card and f.source in card
        group = [g for g in rich.findings if g.rule == f.rule]
        if len(group) > 1:  # every subject is one click away, in the card's details
            assert f'<tr id="finding-{i}">' in card
    # a rule the report does not place lands in "Other findings", not nowhere
    other = page[page.index('id="other"') :]
    assert "some-future-rule" in other[: other.index("</section>")]


def test_report_is_self_contained_and_script_free() -> None:
    spec, a = yarnit()
    page = html.render(rich_assessment(a), spec=spec)
    tags = parse(page)
    names = [t for t, _ in tags.tags]
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    for _, attrs in tags.tags:
        for key, value in attrs.items():
            assert not key.startswith("on"), key
            if key in ("src", "href") and value:
                assert value.startswith("#"), f"{key}={value}"
    assert "@import" not in page and "url(" not in page
    csp = [a for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", page), "a random uuid leaked into the output"
    assert "Generated with pygal" not in page


def test_charts_are_accessible() -> None:
    spec, _ = yarnit()
    spec = with_team_culture(spec)
    page = html.render(rich_assessment(mlorg.assess(spec)), spec=spec)
    svgs = [attrs for tag, attrs in parse(page).tags if tag == "svg"]
    assert len(svgs) == 7  # ladder, team map, culture, radar, roles, matrix, timeline
    for attrs in svgs:
        assert attrs["role"] == "img"
        title_id, desc_id = (attrs["aria-labelledby"] or "").split()
        assert f'<title id="{title_id}">' in page and f'<desc id="{desc_id}">' in page


def test_culture_by_team_respects_the_privacy_floor() -> None:
    spec, _ = yarnit()
    spec = with_team_culture(spec)
    page = html.render(mlorg.assess(spec), spec=spec)
    culture = page[page.index('id="culture"') :]
    culture = culture[: culture.index("</section>")]
    assert "Recommendations and discovery" in culture and "Storefront" in culture
    assert "Site search" not in culture  # 3 respondents, under the floor of 5
    assert "1 team with too few respondents not shown (privacy floor)." in culture
    chart = culture[culture.index('<svg xmlns="http://www.w3.org/2000/svg"') :]
    assert "Storefront" in chart[: chart.index("</svg>")], "the chart draws the teams the table lists"


def test_without_the_spec_the_report_degrades_gracefully() -> None:
    _, a = yarnit()
    page = html.render(a)  # from an assessment alone (e.g. a stored snapshot)
    assert "The team map needs the spec" in page
    assert 'id="chart-team-map"' not in page
    # everything else comes from the assessment: the matrix, the timeline, ids where names would be
    assert 'id="chart-portfolio"' in page and 'id="chart-change-plan"' in page
    assert "<td>underperformer-boost</td>" in page
    bare = a.model_copy(update={"change_plan": ChangePlanResult(), "portfolio": PortfolioResult()})
    page = html.render(bare)
    assert "No change plan steps." in page and 'id="chart-change-plan"' not in page
    assert "No open initiative to rank" in page and 'id="chart-portfolio"' not in page


def section_of(page: str, sid: str) -> str:
    part = page[page.index(f'<section id="{sid}"') :]
    return part[: part.index("</section>")]


def test_portfolio_places_ranked_initiatives_by_their_value_and_cost() -> None:
    spec, a = yarnit()
    page = html.render(rich_assessment(a), spec=spec)
    po = section_of(page, "portfolio")
    matrix = po[po.index('id="chart-portfolio"') : po.index("</svg>")]
    desc = matrix[matrix.index("<desc") : matrix.index("</desc>")]
    # value, cost and quadrant as the portfolio analysis gave them; the pick marked
    assert "Suggestions on the add-to-cart confirmation page: value 3, cost 2 (quick win), the pick" in desc
    assert "Rank search results by predicted purchase: value 5, cost 3 (big bet)" in desc
    assert "Yarn weight recommender" not in desc  # no estimates: listed, not placed
    assert "not on the matrix: Yarn weight recommender." in po
    assert "<td>5</td><td>Yarn weight recommender</td><td>-3</td><td>Unplaced</td>" in po
    assert "misses it on additive" in po and "unknown: one use case, <code>use_cases</code> not stated" in po


def test_data_readiness_and_model_operations_show_a_row_per_model_and_feature() -> None:
    spec, a = yarnit()
    page = html.render(rich_assessment(a), spec=spec)
    data = section_of(page, "data_readiness")
    assert "<td>yes: geo_location, user_agent</td>" in data  # together they can single out a shopper
    lifetime = data[data.index("<td>lifetime_purchase_count</td>") :]
    lifetime = lifetime[: lifetime.index("</tr>")]
    assert "<td>no</td><td>no</td><td>no</td>" in lifetime and "bounded 365-day window" in lifetime
    assert data.count("<td>Recommendations and discovery</td>") == 3  # never told of upstream changes
    # features with a problem first: product_category, second in the spec, has none and comes last
    assert data.index("<td>lifetime_purchase_count</td>") < data.index("<td>product_category</td>")
    ops = section_of(page, "model_ops")
    assert "Recommendations and discovery → IT operations (handed off, no ML skills there)" in ops
    assert "<td>model metrics only</td>" in ops


def test_change_plan_lays_out_each_step_with_weeks_reasons_and_actions() -> None:
    spec, a = yarnit()
    page = html.render(a, spec=spec)
    plan = section_of(page, "change_plan")
    steps = plan[plan.index('<ol class="steps">') :]
    assert [m for m in re.findall(r'<span class="when">([^<]+)</span>', steps)] == [
        "week 1",
        "weeks 2–7",
        "weeks 8–13",
        "weeks 14–19",
        "weeks 20–25",
    ]
    with_actions = [st for st in a.change_plan.steps if st.actions]
    assert with_actions and steps.count("<dt>What to do</dt>") == len(with_actions)
    assert steps.count("<dt>Why</dt>") == len(a.change_plan.steps)
    todo = [part[: part.index("</dd>")] for part in steps.split("<dt>What to do</dt>")[1:]]
    assert [t.count("<li>") for t in todo] == [len(st.actions) for st in with_actions]
    assert "Audit the data behind each listed opportunity" in todo[0]
    assert "<code>change.timescale_weeks</code>" in plan  # spec paths in backticks read as code
    assert "`" not in plan
    timeline = plan[plan.index('id="chart-change-plan"') :]
    assert timeline.count('class="weeks"') == len(a.change_plan.steps)


def test_structure_weak_points_say_which_mitigation_is_in_place() -> None:
    spec, a = yarnit()
    page = html.render(a, spec=spec)
    st = section_of(page, "structure")
    row = st[st.index("<td>Independent teams lose sight") :]
    assert row[: row.index("</tr>")].count("integration point (in place)") == 1
    row = st[st.index("<td>A single ML person in a team") :]
    assert "ML community (missing); reporting vs seating (missing)" in row[: row.index("</tr>")]


def test_role_coverage_links_functions_to_planned_hires() -> None:
    spec, a = yarnit()
    roles = section_of(html.render(a, spec=spec), "roles")
    assert "<td>ML engineer</td><td>1</td><td>covered</td><td></td><td>none</td>" in roles
    assert (
        "<td>Data engineer or data scientist</td><td>2</td><td>covered</td><td></td><td>data scientist (now)</td>"
        in roles
    )
    assert "<td>SRE for ML or MLOps</td><td>0</td><td>partial</td>" in roles
    assert "SRE for ML or MLOps (partial)" in roles  # the chart names the status, a zero bar is invisible
    assert "1 of 2 needed (1 still to find)" in roles


def test_long_finding_lists_are_capped() -> None:
    spec, a = yarnit()
    many = tuple(
        Finding(
            rule="model-without-owner",
            severity="high",
            subject=f"model:m{i}",
            message=f"Model m{i} has no owner.",
            remedy="Name one.",
            source="rml-ch13",
        )
        for i in range(5000)
    )
    page = html.render(a.model_copy(update={"findings": many}), spec=spec)
    cards = page.count('<article class="finding')
    assert cards == 1  # one entry per rule, however many subjects
    assert "(5,000 models)" in page
    assert page.count('<tr id="finding-') == report_view.SCREEN.subjects
    hidden = 5000 - report_view.SCREEN.subjects
    assert f"{hidden} more not listed here" in page
    assert len(page.encode()) < 1_000_000


def test_history_and_extra_sections_render_in_the_contents() -> None:
    from mlorg.history import row_from
    from mlorg.render import history

    _, a = yarnit()
    data = a.model_dump(mode="json")
    rows = [
        row_from(1, "base", "2025-01-01 10:00", "YarnIt", data),
        row_from(2, None, "2025-04-01 10:00", "YarnIt", rich_assessment(a).model_dump(mode="json")),
    ]
    page = html.render(a, extra=[history.section(rows, "YarnIt")])
    assert '<a href="#history">History</a>' in page
    for chart in ("chart-history-stage", "chart-history-findings", "chart-history-star"):
        assert f'id="{chart}"' in page
    assert "stage exploring → building" in page


def test_html_format_is_listed() -> None:
    from mlorg.render import FORMATS

    assert "html" in FORMATS
    assert (ROOT / "src" / "mlorg" / "render" / "templates" / "html" / "report.html.j2").exists()
