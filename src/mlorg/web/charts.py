"""The report's charts on the dashboard, under the app's content security policy.

The report inlines each chart with the chart's own ``<style>`` element and pygal's ``style``
attributes; the app's policy (``style-src 'self'``) allows neither. So the dashboard shows the very
charts the report's section builders make, with every style moved into one stylesheet the app
serves itself: the ``<style>`` rules as they are (pygal scopes them under the chart's id), and each
``style`` attribute as a class whose rule is ``!important``, which wins over the chart's other rules
as an inline style would. The stylesheet is built once from the same chart functions, whatever the
data: the rules depend on the kind of chart, never on the figures.
"""

from __future__ import annotations

import hashlib
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache

from markupsafe import Markup

from mlorg.render.charts import Chart
from mlorg.render.report_blocks import Context, Figure

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
log = logging.getLogger("mlorg.web")


@dataclass(frozen=True)
class DashboardChart:
    """A chart ready for the dashboard: SVG without any inline style, and the report's caption."""

    id: str
    title: str
    caption: str
    svg: Markup
    rules: tuple[str, ...]


@lru_cache(maxsize=16)
def without_inline_style(chart: Chart) -> tuple[str, tuple[str, ...]]:
    """The chart's SVG with no ``<style>`` element or ``style`` attribute, and the CSS rules that replace them.

    The chart's own accessible title and description stay (pygal's hover titles never reach a chart).
    Kept for the last charts seen (a function of the chart's id and SVG only): the dashboard's charts
    are built again after each new answer, and most answers leave most charts as they were."""
    root = ET.fromstring(chart.svg)
    rules: list[str] = []
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}style":
                rules.extend(r for r in (child.text or "").splitlines() if r.strip())
                parent.remove(child)
    for el in root.iter():
        style = el.attrib.pop("style", None)
        if not style:
            continue
        name = "st-" + hashlib.sha256(style.encode()).hexdigest()[:10]
        el.set("class", f"{el.get('class', '')} {name}".strip())
        declarations = "; ".join(f"{d.strip()} !important" for d in style.split(";") if d.strip())
        rules.append(f"#{chart.id} .{name}{{{declarations}}}")
    return ET.tostring(_unqualified(root), encoding="unicode"), tuple(dict.fromkeys(rules))


def _unqualified(root: ET.Element) -> ET.Element:
    """Names without ElementTree's ``{namespace}`` form, as the charts are written (``xmlns`` on the root)."""
    prefixes = {SVG_NS: "", XLINK_NS: "xlink:"}
    used = set()
    for el in root.iter():
        ns, _, local = el.tag[1:].rpartition("}") if el.tag.startswith("{") else ("", "", el.tag)
        el.tag = local if ns in (SVG_NS, "") else el.tag
        for key in [k for k in el.attrib if k.startswith("{")]:
            ns, _, local = key[1:].rpartition("}")
            if ns in prefixes:
                el.set(prefixes[ns] + local, el.attrib.pop(key))
                used.add(ns)
    root.set("xmlns", SVG_NS)
    if XLINK_NS in used:
        root.set("xmlns:xlink", XLINK_NS)
    return root


def report_charts(ctx: Context) -> list[DashboardChart]:
    """The charts of the report's sections the survey feeds (culture by team, Star Model), from the
    report's own section builders, so they are the same charts with the same privacy floor."""
    from mlorg.render.report_sections import culture, star_model

    out = []
    for section in (culture(ctx), star_model(ctx)):
        for block in section.blocks:
            if isinstance(block, Figure):
                svg, rules = without_inline_style(block.chart)
                missing = set(rules) - set(stylesheet_rules())
                if missing:  # a chart kind or colour the stylesheet was not built with: drawn, but unstyled
                    log.warning("chart %s needs %d style rules the stylesheet lacks", block.chart.id, len(missing))
                out.append(DashboardChart(block.chart.id, block.chart.title, block.caption, Markup(svg), rules))
    return out


@cache
def stylesheet_rules() -> tuple[str, ...]:
    """Every rule the dashboard's charts can need: each chart kind drawn once, each bar colour used once."""
    from mlorg.render import charts

    colours = [*charts.TYPOLOGY_COLORS, "unbanded"]  # an unknown band is drawn grey
    samples = [
        charts.culture_by_team([charts.TeamCulture(t, 4.0, 99, t) for t in colours], 1),
        charts.star_radar([("score", dict.fromkeys(charts.STAR_POINTS, 3))]),
    ]
    rules: dict[str, None] = {}
    for chart in samples:
        rules.update(dict.fromkeys(without_inline_style(chart)[1]))
    return tuple(rules)


def stylesheet() -> str:
    return "/* The report's chart styles, served so the content security policy needs no inline style. */\n" + (
        "\n".join(stylesheet_rules()) + "\n"
    )
