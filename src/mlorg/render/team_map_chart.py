"""The team map drawn as inline SVG: teams on a ring, forums as hubs, silos dashed.

Hand-composed because no charting library on PyPI draws this network layout as plain SVG; the
map's data (which teams, folded how far) comes from :mod:`mlorg.render.team_map`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from mlorg.render.charts import (
    FONT,
    FORUM_COLORS,
    GREY,
    INK,
    ORANGE,
    VERMILLION,
    Chart,
    finish_canvas,
)
from mlorg.render.svg import Canvas, label, num
from mlorg.render.team_map import TeamMap
from mlorg.render.words import count

# --- team map (hand-composed: a network layout, which pygal does not draw) -----------------------


def team_map(m: TeamMap, *, slug: str = "team-map") -> Chart:
    """Teams on a ring sized by headcount, ML share in orange, forums as hubs linking them; silos dashed."""
    size, ring = 1000.0, 280.0
    cx = cy = size / 2
    n = max(len(m.nodes), 1)
    biggest = max((node.headcount for node in m.nodes), default=0) or 1
    r_max = max(min(34.0, math.pi * ring / n * 0.85), 6.0)
    r_min = max(r_max * 0.3, 4.0)
    height = size + (124 if m.has_observed else 92)
    c = Canvas(size, height)
    c.add("rect", x=0.0, y=0.0, width=size, height=height, fill="#FFFFFF")
    place: dict[str, tuple[float, float, float, float]] = {}
    for i, node in enumerate(m.nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = r_min + (r_max - r_min) * math.sqrt(node.headcount / biggest)
        place[node.key] = (cx + ring * math.cos(angle), cy + ring * math.sin(angle), r, angle)

    if m.observed:
        _observed_links(c, m, place)
    links = c.add("g", class_="links", fill="none")
    hubs = c.add("g", class_="forums")
    for j, (forum, (hx, hy)) in enumerate(zip(m.forums, _hub_positions(m, place, cx, cy, ring), strict=True)):
        color = FORUM_COLORS.get(forum.kind, GREY)
        unused = forum.used is False
        for key in forum.nodes:
            x, y, r, _ = place[key]
            d = math.hypot(x - hx, y - hy) or 1
            c.add(
                "line",
                links,
                x1=hx,
                y1=hy,
                x2=x - (x - hx) * r / d,
                y2=y - (y - hy) * r / d,
                stroke=color,
                stroke_width=2,
                stroke_opacity=".7",
                stroke_dasharray="3 5" if unused else None,
            )
        g = c.add("g", hubs, class_="forum")
        c.add(
            "title",
            g,
            text=f"{forum.name} ({forum.kind.replace('_', ' ')}): links {len(forum.nodes)} "
            f"{'units' if m.folded else 'teams'}" + ("; the observed ties show nobody uses it" if unused else ""),
        )
        c.add(
            "rect",
            g,
            x=hx - 7,
            y=hy - 7,
            width=14.0,
            height=14.0,
            fill=color,
            transform=f"rotate(45 {num(hx)} {num(hy)})",
        )
        c.add(
            "text",
            g,
            text=label(forum.name, 22),
            x=hx,
            y=hy + 22 + (j % 2) * 12,
            text_anchor="middle",
            font_size=12,
            font_family=FONT,
            fill=INK,
        )

    nodes = c.add("g", class_="teams")
    for node in m.nodes:
        x, y, r, angle = place[node.key]
        g = c.add("g", nodes, class_="team")
        extra = f", {node.teams} teams folded in" if node.teams > 1 else ""
        if m.has_observed:
            state = (
                "ML staff with no used forum and no observed tie to another unit (silo)"
                if node.ml_silo
                else ("no used forum and no observed tie to another unit" if node.siloed else "linked")
            )
        else:
            state = (
                "ML staff in no shared forum (silo)"
                if node.ml_silo
                else ("shares no forum with another team" if node.siloed else "linked by a forum")
            )
        c.add("title", g, text=f"{node.name}: {node.headcount} people, {node.ml} in ML roles{extra}; {state}")
        stroke, dash, width = ("#9CA3AF", None, 1.5)
        if node.ml_silo:
            stroke, dash, width = VERMILLION, "5 3", 3.0
        elif node.siloed:
            stroke, dash, width = "#6B7280", "4 3", 1.5
        c.add("circle", g, cx=x, cy=y, r=r, fill="#DCEAF5", stroke=stroke, stroke_width=width, stroke_dasharray=dash)
        if node.ml:
            share = min(node.ml / node.headcount, 1.0) if node.headcount else 1.0
            c.add("circle", g, cx=x, cy=y, r=max(r * math.sqrt(share), 2.5), fill=ORANGE)
        ring_label(c, g, label(node.name, 24) + f" ({node.headcount})", angle, cx, cy, ring + r_max + 8)

    _map_legend(c, size, m.has_observed)
    folded = (
        f" Teams folded into their level-{m.folded_at_depth} ancestors to stay readable ({m.total_teams} teams)."
        if m.folded_at_depth is not None
        else ""
    )
    silos = [node.name for node in m.nodes if node.ml_silo]
    desc = (
        f"{len(m.nodes)} {'units' if m.folded else 'teams'} and {count(len(m.forums), 'forum')} drawn."
        + folded
        + (f" {count(m.hidden_forums, 'more forum')} not drawn." if m.hidden_forums else "")
        + (
            f" {count(len(m.observed), 'observed link')} drawn"
            + (f", {m.hidden_observed:,} weaker not drawn." if m.hidden_observed else ".")
            if m.has_observed
            else ""
        )
        + (f" ML silos: {', '.join(label(s) for s in silos)}." if silos else " No ML silo.")
    )
    return finish_canvas(c, slug, "Team map: teams, ML staff and the forums linking them", desc)


OBSERVED = "#0F766E"  # teal: observed ties, apart from every forum colour


def _observed_links(c: Canvas, m: TeamMap, place: Mapping[str, tuple[float, float, float, float]]) -> None:
    """Observed collaboration as chords between the nodes, wider for more ties (log scale), under the forums."""
    group = c.add("g", class_="observed", fill="none")
    most = max(link.ties for link in m.observed)
    names = {node.key: node.name for node in m.nodes}
    for link in m.observed:
        (xa, ya, ra, _), (xb, yb, rb, _) = place[link.a], place[link.b]
        d = math.hypot(xb - xa, yb - ya) or 1
        width = 1.0 + 5.0 * math.log1p(link.ties) / math.log1p(most)
        g = c.add("g", group, class_="observed-link")
        c.add("title", g, text=f"{names[link.a]} and {names[link.b]}: {count(link.ties, 'observed tie')}")
        c.add(
            "line",
            g,
            x1=xa + (xb - xa) * ra / d,
            y1=ya + (yb - ya) * ra / d,
            x2=xb - (xb - xa) * rb / d,
            y2=yb - (yb - ya) * rb / d,
            stroke=OBSERVED,
            stroke_width=round(width, 2),
            stroke_opacity=".45",
        )


def _hub_positions(
    m: TeamMap, place: Mapping[str, tuple[float, float, float, float]], cx: float, cy: float, ring: float
) -> list[tuple[float, float]]:
    """Forum hubs on an inner ring, in the order of their members' mean direction (fewer crossings)."""
    if len(m.forums) == 1:
        return [(cx, cy)]
    means = []
    for forum in m.forums:
        sx = sum(math.cos(place[k][3]) for k in forum.nodes)
        sy = sum(math.sin(place[k][3]) for k in forum.nodes)
        means.append((math.atan2(sy, sx) if (sx or sy) else 0.0, forum.key))
    order = sorted(range(len(m.forums)), key=lambda i: means[i])
    out: list[tuple[float, float]] = [(cx, cy)] * len(m.forums)
    for rank, i in enumerate(order):
        a = -math.pi / 2 + 2 * math.pi * rank / len(order)
        out[i] = (cx + 0.42 * ring * math.cos(a), cy + 0.42 * ring * math.sin(a))
    return out


def _map_legend(c: Canvas, size: float, observed: bool = False) -> None:
    y = size + 20
    g = c.add("g", class_="legend", font_family=FONT, font_size=13, fill=INK)
    c.add("circle", g, cx=20.0, cy=y, r=9.0, fill="#DCEAF5", stroke="#9CA3AF")
    c.add("text", g, text="size: headcount", x=36.0, y=y + 5)
    c.add("circle", g, cx=190.0, cy=y, r=9.0, fill="#DCEAF5", stroke="#9CA3AF")
    c.add("circle", g, cx=190.0, cy=y, r=5.0, fill=ORANGE)
    c.add("text", g, text="orange: ML staff share", x=206.0, y=y + 5)
    c.add("circle", g, cx=410.0, cy=y, r=9.0, fill="#DCEAF5", stroke=VERMILLION, stroke_width=3, stroke_dasharray="5 3")
    silo, alone = (
        ("ML silo (no link)", "no used forum, no tie") if observed else ("ML silo (no shared forum)", "no shared forum")
    )
    c.add("text", g, text=silo, x=426.0, y=y + 5)
    c.add("circle", g, cx=660.0, cy=y, r=9.0, fill="#DCEAF5", stroke="#6B7280", stroke_dasharray="4 3")
    c.add("text", g, text=alone, x=676.0, y=y + 5)
    y2 = y + 32
    x = 20.0
    for kind, color in FORUM_COLORS.items():
        c.add("line", g, x1=x - 8, y1=y2, x2=x + 14, y2=y2, stroke=color, stroke_width=3)
        c.add("text", g, text=kind.replace("_", " "), x=x + 20, y=y2 + 5)
        x += 215
    if observed:
        y3 = y2 + 32
        c.add("line", g, x1=12.0, y1=y3, x2=34.0, y2=y3, stroke=OBSERVED, stroke_width=4, stroke_opacity=".45")
        c.add("text", g, text="observed ties between units (wider: more)", x=40.0, y=y3 + 5)
        c.add("line", g, x1=412.0, y1=y3, x2=434.0, y2=y3, stroke=GREY, stroke_width=3, stroke_dasharray="3 5")
        c.add("text", g, text="forum the observed ties show nobody uses", x=440.0, y=y3 + 5)


def ring_label(c: Canvas, parent: ET.Element, text: str, angle: float, cx: float, cy: float, radius: float) -> None:
    """A node's name outside a ring layout, along its radius, turned so it never reads upside down."""
    deg = math.degrees(angle)
    flip = math.cos(angle) < -1e-9
    lx, ly = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
    c.add(
        "text",
        parent,
        text=text,
        x=lx,
        y=ly,
        font_size=12,
        font_family=FONT,
        fill=INK,
        dominant_baseline="middle",
        text_anchor="end" if flip else "start",
        transform=f"rotate({num(deg + 180 if flip else deg)} {num(lx)} {num(ly)})",
    )
