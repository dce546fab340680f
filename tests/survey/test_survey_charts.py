"""The dashboard's copies of the report charts: no inline style left, every rule in the served stylesheet."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from mlorg.render import charts
from mlorg.render.svg import iter_text
from mlorg.web.charts import stylesheet, stylesheet_rules, without_inline_style

ROWS = [
    charts.TeamCulture(f"Team {i}", 1 + (i * 0.37) % 6, 5 + i, band)
    for i, band in enumerate(["power_oriented", "rule_oriented", "performance_oriented", "unbanded"] * 10)
]


@pytest.mark.parametrize(
    "chart",
    [
        charts.culture_by_team(ROWS, 5),
        charts.culture_by_team(ROWS[:1], 5),
        charts.culture_by_team([], 5),
        charts.star_radar([("score", dict.fromkeys(charts.STAR_POINTS))]),
        charts.star_radar([("score", {"strategy": 5, "people": 1})]),
    ],
    ids=["culture-40", "culture-1", "culture-none", "star-unknown", "star-partial"],
)
def test_every_rule_a_chart_needs_is_in_the_served_stylesheet(chart: charts.Chart) -> None:
    svg, rules = without_inline_style(chart)
    assert "<style" not in svg and " style=" not in svg and "<script" not in svg
    assert rules and set(rules) <= set(stylesheet_rules())
    assert re.match(rf'<svg id="{chart.id}"', svg) and svg.endswith("</svg>")
    assert without_inline_style(chart) == (svg, rules), "the same chart gives the same bytes"
    # the text a reader sees is untouched
    root = ET.fromstring(chart.svg)
    dropped = {"style", "title"}  # the style rules, pygal's hover titles (the chart's own title stays)
    kept = [
        el.text
        for el in root.iter()
        if el.text
        and el.text.strip()
        and (el.tag.rpartition("}")[2] not in dropped or el.get("id", "").endswith("-title"))
    ]
    assert list(iter_text(svg)) == kept
    assert svg.count("<title") == 1, "only the chart's own accessible title is left"


def test_the_stylesheet_has_each_band_colour_once() -> None:
    css = stylesheet()
    for colour in charts.TYPOLOGY_COLORS.values():
        assert len(re.findall(rf"\{{fill: {colour} !important; stroke: {colour} !important\}}", css)) == 1
    assert "&gt;" not in css and ".graph > .background" in css  # the style element's text, unescaped
