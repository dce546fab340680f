"""Safe, deterministic SVG for the report: build with ElementTree, finish every chart the same way.

Every chart, whether drawn by pygal or composed here, goes through :func:`finish`: it drops
scripts, comments and pygal's tooltip scaffolding, gives the root a fixed id, ``role="img"`` and
an accessible ``<title>``/``<desc>``, and serialises with ElementTree, which escapes all text.
Labels pass through :func:`label` first, so control characters never reach the markup.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping

from mlorg.render.escape import printable

SVG_NS = "http://www.w3.org/2000/svg"
_PYGAL_SCAFFOLD = {"tooltip-overlay", "tooltip"}


def label(text: object, limit: int = 0) -> str:
    """A chart label: control characters made visible, optionally shortened with an ellipsis."""
    out = printable(text).replace("\n", " ").replace("\r", " ")
    if limit and len(out) > limit:
        out = out[: max(limit - 1, 1)].rstrip() + "…"
    return out


def num(x: float) -> str:
    """Coordinates with one decimal and no trailing zeros: stable bytes for the same input."""
    out = f"{x:.1f}"
    return out[:-2] if out.endswith(".0") else out


def wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True, break_on_hyphens=False) or [""]


class Canvas:
    """A hand-composed SVG (for chart kinds no charting library offers, like the maturity ladder)."""

    def __init__(self, width: float, height: float) -> None:
        self.width = width
        self.height = height
        self.root = ET.Element("svg", {"xmlns": SVG_NS, "viewBox": f"0 0 {num(width)} {num(height)}"})

    def add(self, tag: str, parent: ET.Element | None = None, text: str | None = None, **attrs: object) -> ET.Element:
        """Append an element; attribute names use ``_`` for ``-`` (``stroke_width``), ``class_`` for ``class``."""
        return self.element(tag, parent, text, attrs)

    def element(self, tag: str, parent: ET.Element | None, text: str | None, attrs: Mapping[str, object]) -> ET.Element:
        clean = {
            k.rstrip("_").replace("_", "-"): (num(v) if isinstance(v, float) else str(v))
            for k, v in attrs.items()
            if v is not None
        }
        el = ET.SubElement(self.root if parent is None else parent, tag, clean)
        if text is not None:
            el.text = label(text)
        return el

    def text_lines(
        self,
        lines: list[str],
        x: float,
        y: float,
        line_height: float,
        parent: ET.Element | None = None,
        **attrs: object,
    ) -> ET.Element:
        """A ``<text>`` with one ``<tspan>`` per line (SVG has no automatic wrapping)."""
        el = self.element("text", parent, None, {"x": x, "y": y, **attrs})
        for i, line in enumerate(lines):
            span = ET.SubElement(el, "tspan", {"x": num(x), "dy": "0" if i == 0 else num(line_height)})
            span.text = label(line)
        return el


def _strip(parent: ET.Element) -> None:
    for child in list(parent):
        tag = child.tag
        classes = set((child.get("class") or "").split())
        if (
            not isinstance(tag, str)  # comments and processing instructions
            or tag.endswith("script")
            or (tag.endswith("g") and classes & _PYGAL_SCAFFOLD)
            or tag.endswith("desc")  # pygal's per-point tooltip data; finish() adds the chart's own
        ):
            parent.remove(child)
            continue
        for attr in [a for a in child.attrib if a.lower().startswith("on")]:
            del child.attrib[attr]
        _strip(child)


def finish(root: ET.Element, chart_id: str, title: str, description: str) -> str:
    """Make ``root`` a self-contained, script-free, accessible SVG string with a fixed id."""
    _strip(root)
    for old in [c for c in root if isinstance(c.tag, str) and c.tag in ("title", "desc")]:
        root.remove(old)
    root.set("id", chart_id)
    view = (root.get("viewBox") or "").split()
    if len(view) == 4 and "width" not in root.attrib:  # natural size; CSS max-width shrinks it on a phone
        root.set("width", view[2])
        root.set("height", view[3])
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title_el = ET.Element("title", {"id": f"{chart_id}-title"})
    title_el.text = label(title)
    desc_el = ET.Element("desc", {"id": f"{chart_id}-desc"})
    desc_el.text = label(description)
    root.insert(0, desc_el)
    root.insert(0, title_el)
    out = ET.tostring(root, encoding="unicode")
    if "<script" in out.lower():  # defence in depth: nothing executable ever leaves this module
        raise ValueError(f"chart {chart_id} contains a script element")
    return out


def iter_text(svg: str) -> Iterator[str]:
    """Every text node of a finished SVG (for tests and accessible fallbacks)."""
    for el in ET.fromstring(svg).iter():
        if el.text and el.text.strip():
            yield el.text
