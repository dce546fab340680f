"""Charts of observed collaboration: the team-level collaboration map and the E-I bars.

Both take only the team-level figures the privacy floor lets through (``assessment.collaboration``).
The map is bounded like the team map: at most :data:`MAX_NODES` teams (the largest) on a ring, and
the strongest links between them, each line as thick as its ties allow.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygal  # type: ignore[import-untyped]

from mlorg.analyses.collaboration import TeamCollaboration, TeamLink
from mlorg.render.charts import (
    BLUE,
    FONT,
    GREY,
    INK,
    ORANGE,
    VERMILLION,
    Chart,
    finish_canvas,
    finish_pygal,
    pygal_chart,
)
from mlorg.render.svg import Canvas, label
from mlorg.render.team_map_chart import ring_label
from mlorg.render.words import count

MAX_NODES = 40


def shown_teams(teams: Sequence[TeamCollaboration]) -> list[TeamCollaboration]:
    """The teams the map draws: the largest (people with ties), then by id, at most :data:`MAX_NODES`."""
    return sorted(sorted(teams, key=lambda t: (-t.people, t.team))[:MAX_NODES], key=lambda t: t.team)


def collaboration_map(
    teams: Sequence[TeamCollaboration], links: Sequence[TeamLink], insular_below: float, *, slug: str = "collab-map"
) -> Chart:
    """Teams on a ring sized by people with ties, lines by ties between them; ML teams orange, insular dashed."""
    nodes = shown_teams(teams)
    size, ring = 1000.0, 300.0
    cx = cy = size / 2
    n = max(len(nodes), 1)
    biggest = max((t.people for t in nodes), default=1) or 1
    r_max = max(min(34.0, math.pi * ring / n * 0.85), 6.0)
    r_min = max(r_max * 0.3, 4.0)
    c = Canvas(size, size + 60)
    c.add("rect", x=0.0, y=0.0, width=size, height=size + 60, fill="#FFFFFF")
    place: dict[str, tuple[float, float, float, float]] = {}
    for i, t in enumerate(nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = r_min + (r_max - r_min) * math.sqrt(t.people / biggest)
        place[t.team] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle), r, angle)
    drawn = [lk for lk in links if lk.a in place and lk.b in place]
    strongest = max((lk.ties for lk in drawn), default=1)
    g_links = c.add("g", class_="links", fill="none")
    for lk in drawn:
        x1, y1, _, _ = place[lk.a]
        x2, y2, _, _ = place[lk.b]
        line = c.add(
            "line",
            g_links,
            x1=x1,
            y1=y1,
            x2=x2,
            y2=y2,
            stroke=BLUE,
            stroke_width=round(1 + 7 * math.sqrt(lk.ties / strongest), 2),
            stroke_opacity=".45",
        )
        c.add("title", line, text=f"{lk.a} and {lk.b}: {count(lk.ties, 'tie')}")
    g_nodes = c.add("g", class_="teams")
    for t in nodes:
        x, y, r, angle = place[t.team]
        g = c.add("g", g_nodes, class_="team")
        insular = t.ml and t.ei_index is not None and t.ei_index < insular_below
        ei = "no ties" if t.ei_index is None else f"E-I index {t.ei_index:+.2f}"
        c.add("title", g, text=f"{t.team}: {count(t.people, 'person', 'people')} with ties; {ei}")
        fill = ORANGE if t.ml else ("#DCEAF5" if t.business else "#EEF0F3")
        stroke, dash, width = ("#9CA3AF", None, 1.5)
        if insular:
            stroke, dash, width = VERMILLION, "5 3", 3.0
        c.add("circle", g, cx=x, cy=y, r=r, fill=fill, stroke=stroke, stroke_width=width, stroke_dasharray=dash)
        ring_label(c, g, label(t.team, 24) + f" ({t.people})", angle, cx, cy, ring + r_max + 8)
    y = size + 24
    legend = c.add("g", class_="legend", font_family=FONT, font_size=13, fill=INK)
    for x, fill, stroke, dash, text in (
        (20.0, ORANGE, "#9CA3AF", None, "ML team"),
        (170.0, "#DCEAF5", "#9CA3AF", None, "product or business team"),
        (430.0, "#EEF0F3", "#9CA3AF", None, "other team"),
        (600.0, ORANGE, VERMILLION, "5 3", "insular ML team"),
    ):
        c.add("circle", legend, cx=x, cy=y, r=9.0, fill=fill, stroke=stroke, stroke_dasharray=dash)
        c.add("text", legend, text=text, x=x + 16, y=y + 5)
    hidden = len(teams) - len(nodes)
    desc = (
        f"{count(len(nodes), 'team')} and {count(len(drawn), 'link')} drawn."
        + (f" {count(hidden, 'smaller team')} not drawn." if hidden else "")
        + " Line width grows with the ties between two teams."
    )
    return finish_canvas(c, slug, "Collaboration map: who works with whom, by team", desc)


def ei_bars(teams: Sequence[TeamCollaboration], insular_below: float, *, slug: str = "collab-ei") -> Chart:
    """Each team's E-I index from -1 (all ties inside) to +1 (all outside), lowest first; ML teams orange."""
    rows = sorted((t for t in teams if t.ei_index is not None), key=lambda t: (t.ei_index, t.team))[:MAX_NODES]
    chart = pygal_chart(
        pygal.HorizontalBar,
        slug,
        [GREY],
        width=640,
        height=max(200, 70 + 28 * len(rows)),
        range=(-1, 1),
        show_legend=False,
        print_values=True,
        value_formatter=lambda v: f"{v:+.2f}",
    )
    shown = list(reversed(rows))
    chart.x_labels = [label(t.team, 30) for t in shown]
    chart.add(
        "E-I index",
        [
            {
                "value": t.ei_index,
                "color": VERMILLION if t.ml and (t.ei_index or 0) < insular_below else (ORANGE if t.ml else GREY),
            }
            for t in shown
        ],
    )
    desc = "; ".join(f"{label(t.team)}: {t.ei_index:+.2f}" for t in rows) or "No team to show."
    return finish_pygal(chart, slug, "E-I index by team (-1: every tie inside, +1: every tie outside)", desc)
