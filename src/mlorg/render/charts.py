"""The report's charts as inline SVG: pygal where it has the chart type, hand-composed otherwise.

Each function takes plain data (never the assessment: the report's section builders decide what
to plot) and returns a :class:`Chart` whose SVG has a fixed id, an accessible title and
description, and no script: pygal's JavaScript and tooltips are disabled and stripped, its
random ids replaced by the chart's slug, and its dated comment removed, so the same data gives
the same bytes.
"""

from __future__ import annotations

import copy
import math
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import pygal  # type: ignore[import-untyped]
from pygal.etree import etree as pygal_etree  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from mlorg.render.svg import Canvas, finish, label, num, wrap
from mlorg.render.words import count

FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, GREY, INK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#9CA3AF",
    "#1F2933",
)
SEVERITY_COLORS = {
    "critical": "#7F1D1D",
    "high": VERMILLION,
    "medium": ORANGE,
    "low": SKY,
    "info": GREY,
}
TYPOLOGY_COLORS = {"power_oriented": VERMILLION, "rule_oriented": ORANGE, "performance_oriented": GREEN}
FORUM_COLORS = {
    "integration_point": ORANGE,
    "community_of_practice": GREEN,
    "leadership_review": BLUE,
    "training": PURPLE,
}
STAR_POINTS = ("strategy", "structure", "processes", "rewards", "people")
T = TypeVar("T")


@dataclass(frozen=True)
class Chart:
    """A finished chart: ``svg`` is safe to inline; ``title``/``description`` say what it shows."""

    id: str
    title: str
    description: str
    svg: str


class Drawn(Generic[T]):
    """The charts (or drawings) one function made last, keyed by the data they were drawn from.

    Drawing a chart with pygal takes milliseconds; the survey dashboard draws its charts again
    after every new answer, and most answers leave a chart's data as it was. A key holds every
    value the chart is drawn from with its type (``3`` and ``3.0`` are equal but need not draw
    the same), so a chart taken from here is the chart the same call would draw.
    """

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._charts: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.drawn = 0  # charts drawn rather than taken from here (the tests read it)

    def get(self, key: Hashable, draw: Callable[[], T]) -> T:
        with self._lock:
            chart = self._charts.get(key)
            if chart is not None:
                self._charts.move_to_end(key)
                return chart
        chart = draw()  # outside the lock: two threads may draw the same chart, and both get it right
        with self._lock:
            self.drawn += 1
            self._charts[key] = chart
            while len(self._charts) > self.size:
                self._charts.popitem(last=False)
        return chart


def typed(*values: object) -> tuple[tuple[type, object], ...]:
    """``values`` with their types, for a key of :class:`Drawn`."""
    return tuple((type(v), v) for v in values)


def _style(colors: Sequence[str], opacity: str = ".75") -> Style:
    return Style(
        font_family=FONT,
        background="transparent",
        plot_background="#FFFFFF",
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle="#6B7280",
        opacity=opacity,
        opacity_hover=".9",
        transition="0ms",
        colors=tuple(colors),
        label_font_size=13,
        major_label_font_size=13,
        value_font_size=13,
        value_label_font_size=12,
        legend_font_size=13,
        title_font_size=15,
        tooltip_font_size=12,
    )


@contextmanager
def _stdlib_etree() -> Iterator[None]:
    """Build pygal trees with the standard library's ElementTree, whether or not lxml is installed.

    The serialisation then does not depend on the environment (lxml writes differently).
    """
    was_lxml = pygal_etree.lxml  # public switch and methods only: no private state is touched
    pygal_etree.to_etree()
    try:
        yield
    finally:
        if was_lxml:
            pygal_etree.to_lxml()


def pygal_chart(kind: Callable[..., Any], slug: str, colors: Sequence[str], opacity: str = ".75", **config: Any) -> Any:
    chart = kind(
        js=[],
        disable_xml_declaration=True,
        style=_style(colors, opacity),
        explicit_size=False,
        pretty_print=False,
        tooltip_border_radius=0,
        **config,
    )
    chart.uuid = slug  # pygal scopes its CSS under #chart-<uuid>; a fixed slug keeps bytes stable
    return chart


def finish_pygal(chart: Any, slug: str, title: str, description: str) -> Chart:
    return finish_drawing(draw_pygal(chart), slug, title, description)


def draw_pygal(chart: Any) -> ET.Element:
    """The chart drawn by pygal, before :func:`finish_drawing` gives it its id, title and description."""
    with _stdlib_etree():
        root: ET.Element = chart.render_tree()
    for parent in list(root.iter()):  # pygal's hover labels of its guides: raw positions such as 0.0833333
        for child in [c for c in parent if isinstance(c.tag, str) and c.tag.endswith("title")]:
            parent.remove(child)
    return root


def finish_drawing(root: ET.Element, slug: str, title: str, description: str) -> Chart:
    """``root`` finished as a chart (``root`` is changed; finish a copy of a drawing that is kept)."""
    chart_id = f"chart-{slug}"
    return Chart(chart_id, title, description, finish(root, chart_id, title, description))


def finish_canvas(canvas: Canvas, slug: str, title: str, description: str) -> Chart:
    chart_id = f"chart-{slug}"
    return Chart(chart_id, title, description, finish(canvas.root, chart_id, title, description))


# --- maturity ladder (hand-composed: no charting library draws a staircase of gated stages) -----


def maturity_ladder(
    stages: Sequence[str], current: str, next_stage: str | None, missing: Sequence[str], *, slug: str = "maturity"
) -> Chart:
    """Five rising steps; the current one filled, the next outlined, with what it still needs."""
    shown = list(missing[:8])
    lines: list[str] = []
    for item in shown:
        parts = wrap(label(item), 88)
        lines.extend(["• " + parts[0], *["  " + p for p in parts[1:]]])
    if len(missing) > len(shown):
        lines.append(f"… and {len(missing) - len(shown)} more (listed below)")
    step_w, base_y, top = 136.0, 230.0, 40.0
    height = base_y + 40 + (28 + 20 * len(lines) if next_stage else 0)
    c = Canvas(720, height)
    at = stages.index(current) if current in stages else -1
    for i, stage in enumerate(stages):
        h = 40 + i * (base_y - top - 40) / max(len(stages) - 1, 1)
        x, y = 8 + i * (step_w + 6), base_y - h
        if i == at:
            fill, stroke, dash, color = BLUE, BLUE, None, "#FFFFFF"
        elif i < at:
            fill, stroke, dash, color = "#BFDBFE", "#93C5FD", None, INK
        elif stage == next_stage:
            fill, stroke, dash, color = "#FFFFFF", ORANGE, "6 4", INK
        else:
            fill, stroke, dash, color = "#F3F4F6", "#D1D5DB", None, "#6B7280"
        g = c.add("g", class_="step")
        c.add("title", g, text=_stage_state(i, at, stage, next_stage))
        c.add(
            "rect",
            g,
            x=float(x),
            y=y,
            width=step_w,
            height=h,
            rx=4,
            fill=fill,
            stroke=stroke,
            stroke_width=2,
            stroke_dasharray=dash,
        )
        c.add(
            "text",
            g,
            text=stage.replace("_", " "),
            x=x + step_w / 2,
            y=base_y + 22,
            text_anchor="middle",
            font_size=14,
            font_family=FONT,
            fill=INK,
            font_weight="bold" if i == at else None,
        )
        marker = ("you are here", color) if i == at else ("next", ORANGE) if stage == next_stage else None
        if marker is not None:
            c.add(
                "text",
                g,
                text=marker[0],
                x=x + step_w / 2,
                y=y + 24,
                text_anchor="middle",
                font_size=13,
                font_family=FONT,
                fill=marker[1],
            )
    if next_stage:
        y0 = base_y + 56
        heading = (
            f"Still needed to reach {next_stage.replace('_', ' ')}:"
            if lines
            else (f"Nothing listed as missing for {next_stage.replace('_', ' ')}.")
        )
        c.add("text", text=heading, x=8.0, y=y0, font_size=14, font_weight="bold", font_family=FONT, fill=INK)
        if lines:
            c.text_lines(lines, 8.0, y0 + 22, 20, font_size=13, font_family=FONT, fill=INK)
    where = current.replace("_", " ")
    desc = f"Current stage: {where}." + (
        f" Next: {next_stage.replace('_', ' ')}, still missing {count(len(missing), 'item')}." if next_stage else ""
    )
    return finish_canvas(c, slug, "Maturity ladder", desc)


def _stage_state(i: int, at: int, stage: str, next_stage: str | None) -> str:
    name = stage.replace("_", " ")
    if i == at:
        return f"{name}: current stage"
    if i < at:
        return f"{name}: reached"
    return f"{name}: next stage" if stage == next_stage else f"{name}: later"


# --- Star Model radar ---------------------------------------------------------------------------


STAR_RADARS: Drawn[Chart] = Drawn()


def star_radar(series: Sequence[tuple[str, Mapping[str, int | None]]], *, slug: str = "star") -> Chart:
    """One polygon per series over the five Star Model points (1 = works against ML, 5 = supports it)."""
    drawn = tuple((name, {p: scores.get(p) for p in STAR_POINTS}) for name, scores in series)
    key = (slug, tuple((typed(name), typed(*scores.values())) for name, scores in drawn))
    return STAR_RADARS.get(key, lambda: _star_radar(drawn, slug))


def _star_radar(series: Sequence[tuple[str, Mapping[str, int | None]]], slug: str) -> Chart:
    chart = pygal_chart(
        pygal.Radar,
        slug,
        [BLUE, ORANGE, GREEN],
        opacity=".4",
        width=560,
        height=440,
        range=(0, 5),
        fill=True,
        dots_size=4,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        y_labels=[1, 2, 3, 4, 5],
    )
    chart.x_labels = list(STAR_POINTS)
    for name, scores in series:
        chart.add(label(name, 40), [scores.get(p) for p in STAR_POINTS])
    parts = [
        f"{label(name)}: "
        + ", ".join(f"{p} {scores.get(p) if scores.get(p) is not None else 'unknown'}" for p in STAR_POINTS)
        for name, scores in series
    ]
    return finish_pygal(chart, slug, "Star Model alignment (scores 1 to 5)", "; ".join(parts) + ".")


# --- value/cost matrix --------------------------------------------------------------------------

HIGH_FROM = 3  # default of the portfolio thresholds: value or cost 3 of 5 and up counts as high
QUADRANTS = {
    (True, False): "Quick wins",  # (high value, high cost)
    (True, True): "Big bets",
    (False, False): "Fill-ins",
    (False, True): "Money pits",
}


@dataclass(frozen=True)
class MatrixPoint:
    key: str
    name: str
    value: float
    cost: float
    first: bool = False
    quadrant: str = ""


def quadrant_of(value: float, cost: float, value_from: int = HIGH_FROM, cost_from: int = HIGH_FROM) -> str:
    """Quadrant name with the portfolio analysis' rule: "high" means at least the threshold."""
    return QUADRANTS[(value >= value_from, cost >= cost_from)]


def value_cost_matrix(
    points: Sequence[MatrixPoint],
    *,
    value_from: int = HIGH_FROM,
    cost_from: int = HIGH_FROM,
    slug: str = "portfolio",
) -> Chart:
    """Initiatives by expected cost (x) and value (y), the four quadrants labelled, the first project marked.

    The dashed lines sit half a step below the thresholds, so every whole-number score falls clearly
    on one side; a point's quadrant is the one the analysis gave it.
    """
    x_split, y_split = cost_from - 0.5, value_from - 0.5
    chart = pygal_chart(
        pygal.XY,
        slug,
        [GREY, BLUE, VERMILLION],
        width=640,
        height=480,
        range=(0.5, 5.5),
        xrange=(0.5, 5.5),
        show_legend=False,
        print_labels=True,
        stroke=False,
        x_title="expected cost (1 cheap … 5 expensive)",
        y_title="expected value (1 little … 5 large)",
        x_labels=[1, 2, 3, 4, 5],
        y_labels=[1, 2, 3, 4, 5],
        show_x_guides=False,
        show_y_guides=False,
        margin_right=120,  # room for the labels of the most expensive initiatives
    )
    named = len(points) <= 12
    placed = _spread(points)
    low_x, high_x = (0.5 + x_split) / 2, (x_split + 5.5) / 2
    chart.add(
        "quadrants",
        [
            {"value": (low_x, 5.45), "label": "Quick wins"},
            {"value": (high_x, 5.45), "label": "Big bets"},
            {"value": (low_x, 0.6), "label": "Fill-ins"},
            {"value": (high_x, 0.6), "label": "Money pits"},
        ],
        dots_size=0,
    )
    rest = [(p, xy) for p, xy in placed if not p.first]
    first = [(p, xy) for p, xy in placed if p.first]
    chart.add(
        "initiatives",
        [{"value": xy, "label": label(p.name, 22) if named else str(i)} for i, (p, xy) in enumerate(rest, 1)],
        dots_size=7,
    )
    chart.add(
        "first project",
        [{"value": xy, "label": "★ " + label(p.name, 22)} for p, xy in first],
        dots_size=11,
    )
    chart.add(
        "split",
        [(x_split, 0.5), (x_split, 5.5), None, (0.5, y_split), (5.5, y_split)],
        stroke=True,
        show_dots=False,
        allow_interruptions=True,
        stroke_style={"width": 1.5, "dasharray": "6,4"},
    )
    desc = "; ".join(
        f"{label(p.name)}: value {num(p.value)}, cost {num(p.cost)} "
        f"({label(p.quadrant) or quadrant_of(p.value, p.cost, value_from, cost_from)})"
        + (", the pick" if p.first else "")
        for p in points
    )
    return finish_pygal(chart, slug, "Value/cost matrix of the ML initiatives", desc or "No initiative to place.")


def _spread(points: Sequence[MatrixPoint]) -> list[tuple[MatrixPoint, tuple[float, float]]]:
    """Nudge initiatives that share a cell onto a small circle so none hides another (deterministic)."""
    by_cell: dict[tuple[float, float], list[MatrixPoint]] = {}
    for p in points:
        by_cell.setdefault((p.cost, p.value), []).append(p)
    out = []
    for p in points:
        group = by_cell[(p.cost, p.value)]
        if len(group) == 1:
            out.append((p, (p.cost, p.value)))
            continue
        angle = 2 * math.pi * group.index(p) / len(group)
        out.append((p, (round(p.cost + 0.18 * math.cos(angle), 3), round(p.value + 0.18 * math.sin(angle), 3))))
    return out


# --- role coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleBar:
    role: str
    count: int
    status: str


STATUS_COLORS = {"covered": GREEN, "combined": ORANGE, "partial": ORANGE, "missing": VERMILLION, "unknown": GREY}


def _status_color(status: str) -> str:
    """Colour of a role-coverage status (the roles analysis' statuses; anything else is blue)."""
    return STATUS_COLORS.get(status, SKY)


def role_coverage(bars: Sequence[RoleBar], stage: str, *, slug: str = "roles") -> Chart:
    """People per role, each bar coloured by whether that covers what the stage needs (legend in the text)."""
    chart = pygal_chart(
        pygal.HorizontalBar,
        slug,
        [SKY],
        width=640,
        height=max(200, 60 + 30 * len(bars)),
        show_legend=False,
        print_values=True,
        y_labels=_count_ticks(max((b.count for b in bars), default=0)),
    )
    shown = list(reversed(bars))  # pygal draws the first label at the bottom; read top-down in given order
    chart.x_labels = [label(f"{human_token(b.role)} ({human_token(b.status)})", 44) for b in shown]
    chart.add("people", [{"value": b.count, "color": _status_color(b.status)} for b in shown])
    desc = "; ".join(f"{label(b.role)}: {b.count} ({label(b.status)})" for b in bars)
    return finish_pygal(chart, slug, f"Role coverage against what the {human_token(stage)} stage needs", desc)


def _count_ticks(top: int) -> list[int]:
    """Whole-number ticks for a count axis (pygal would otherwise label 0.5 people)."""
    step = max(math.ceil(top / 8), 1)
    return list(range(0, max(top, 1) + step, step))


def human_token(token: str) -> str:
    return token.replace("_", " ")


# --- culture by team ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamCulture:
    name: str
    mean: float
    respondents: int
    typology: str


def above_privacy_floor(rows: Sequence[TeamCulture], floor: int) -> list[TeamCulture]:
    """Only teams with at least ``floor`` respondents may be shown, ever."""
    return [r for r in rows if r.respondents >= floor]


CULTURES: Drawn[Chart] = Drawn()
CULTURE_BARS: Drawn[ET.Element] = Drawn()


def culture_by_team(rows: Sequence[TeamCulture], floor: int, *, limit: int = 30, slug: str = "culture") -> Chart:
    """Team means on the 1-7 Westrum scale, lowest first, coloured by band; teams under the privacy floor left out."""
    rows = tuple(rows)
    key = (typed(floor, limit, slug), tuple(typed(r.name, r.mean, r.respondents, r.typology) for r in rows))
    return CULTURES.get(key, lambda: _culture_by_team(rows, floor, limit, slug))


def _culture_by_team(rows: Sequence[TeamCulture], floor: int, limit: int, slug: str) -> Chart:
    visible = sorted(above_privacy_floor(rows, floor), key=lambda r: (r.mean, r.name))[:limit]
    hidden = len(rows) - len(visible)
    desc = "; ".join(
        f"{label(r.name)}: {r.mean:.1f} from {r.respondents} respondents ({r.typology.replace('_', '-')})"
        for r in visible
    )
    if hidden:
        desc += f". {count(hidden, 'team')} not shown (fewer than {floor} respondents, or beyond the {limit} lowest)."
    # The bars depend on the teams' names, means and bands only; the counts of respondents are in the
    # description alone, so a new answer that leaves every mean as it was redraws nothing.
    key = (slug, tuple(typed(r.name, r.mean, r.typology) for r in visible))
    bars = CULTURE_BARS.get(key, lambda: _culture_bars(visible, slug))
    return finish_drawing(
        copy.deepcopy(bars), slug, "Culture by team (Westrum mean, 1 to 7)", desc or "No team to show."
    )


def _culture_bars(visible: Sequence[TeamCulture], slug: str) -> ET.Element:
    chart = pygal_chart(
        pygal.HorizontalBar,
        slug,
        [GREY],
        width=640,
        height=max(200, 70 + 28 * len(visible)),
        range=(1, 7),
        zero=1,  # bars start at the bottom of the 1-7 scale
        show_legend=False,
        print_values=True,
        value_formatter=lambda v: f"{v:.1f}",
    )
    shown = list(reversed(visible))  # pygal draws the first label at the bottom; the lowest mean goes on top
    chart.x_labels = [label(r.name, 30) for r in shown]
    chart.add("Westrum mean", [{"value": r.mean, "color": TYPOLOGY_COLORS.get(r.typology, GREY)} for r in shown])
    return draw_pygal(chart)


# --- change plan timeline (hand-composed: pygal has no timeline) --------------------------------


@dataclass(frozen=True)
class TimelineStep:
    order: int
    point: str
    change: str
    when: str | None = None
    start_week: int | None = None
    weeks: int | None = None


def change_timeline(steps: Sequence[TimelineStep], *, total_weeks: int = 0, slug: str = "change-plan") -> Chart:
    """The change plan's steps in order on a vertical line (reads top to bottom, also on a phone).

    When the steps carry weeks, each gets a bar on a shared week scale, so the sequence and the
    length of each step show at a glance.
    """
    total = max([total_weeks] + [(s.start_week or 0) + (s.weeks or 0) for s in steps])
    blocks = [(s, wrap(label(s.change), 70)) for s in steps]
    bar_h = 12.0 if total else 0.0
    height = 24 + sum(44 + bar_h + 20 * len(lines) for _, lines in blocks)
    c = Canvas(640, max(height, 80))
    left, right = 56.0, 620.0
    y = 30.0
    c.add("line", x1=28.0, y1=18.0, x2=28.0, y2=max(height, 80) - 18.0, stroke="#D1D5DB", stroke_width=3)
    for step, lines in blocks:
        color = BLUE if step.point in STAR_POINTS else GREY
        g = c.add("g", class_="step")
        c.add("circle", g, cx=28.0, cy=y, r=14.0, fill=color)
        c.add(
            "text",
            g,
            text=str(step.order),
            x=28.0,
            y=y + 5,
            text_anchor="middle",
            font_size=13,
            fill="#FFFFFF",
            font_family=FONT,
            font_weight="bold",
        )
        head = step.point.replace("_", " ") + (f" · {step.when}" if step.when else "")
        c.add("text", g, text=head, x=left, y=y + 5, font_size=14, font_weight="bold", font_family=FONT, fill=INK)
        if total and step.weeks:
            scale = (right - left) / total
            c.add("rect", g, x=left, y=y + 13, width=right - left, height=6.0, rx=3.0, fill="#E5E7EB")
            c.add(
                "rect",
                g,
                class_="weeks",
                x=left + scale * (step.start_week or 0),
                y=y + 13,
                width=max(scale * step.weeks, 4.0),
                height=6.0,
                rx=3.0,
                fill=color,
            )
        c.text_lines(lines, left, y + 27 + bar_h, 20, parent=g, font_size=13, font_family=FONT, fill=INK)
        y += 44 + bar_h + 20 * len(lines)
    desc = "; ".join(
        f"step {s.order}: {label(s.point)}" + (f" ({label(s.when)})" if s.when else "") + f": {label(s.change)}"
        for s in steps
    )
    if total:
        desc += f". {total} weeks in all."
    return finish_canvas(c, slug, "Change plan timeline", desc or "No step.")


def element_count(chart: Chart) -> int:
    """Number of SVG elements (tests use it to check a chart stays bounded)."""
    return sum(1 for _ in ET.fromstring(chart.svg).iter())
