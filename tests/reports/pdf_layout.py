"""What is where in a rendered report PDF: the boxes WeasyPrint laid out on each page, and
the fonts the written file embeds.

WeasyPrint's document keeps each page's box tree (`Page._page_box`, the tree it draws the
PDF from); reading it tells exactly which text and which chart ended up on which page, at
what size. The fonts are read from the PDF file itself.
"""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

HEADINGS = {"h1", "h2", "h3", "h4"}
PX_TO_PT = 0.75


@dataclass(frozen=True)
class Leaf:
    """A piece of text or a chart on a page, with the elements it sits in."""

    kind: str  # "text" or "chart"
    text: str
    top: float
    bottom: float
    font_pt: float  # for a chart: its smallest text once scaled
    ancestors: tuple[str, ...]  # tags and classes, outermost first

    @property
    def in_heading(self) -> bool:
        return any(name in HEADINGS for name in self.ancestors)

    @property
    def in_chart(self) -> bool:
        return self.kind == "chart" or ".chart-box" in self.ancestors


def _names(box: boxes.Box) -> tuple[str, ...]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return ()
    classes = (element.get("class") or "").split()
    return (box.element_tag, *(f".{name}" for name in classes))


def _leaves(box: boxes.Box, ancestors: tuple[str, ...]) -> Iterator[Leaf]:
    names = ancestors + _names(box)
    if isinstance(box, boxes.MarginBox):
        return
    if isinstance(box, boxes.TextBox) and box.text.strip():
        yield Leaf(
            "text",
            box.text,
            box.position_y,
            box.position_y + box.height,
            box.style["font_size"] * PX_TO_PT,
            names,
        )
    elif isinstance(box, boxes.ReplacedBox) and ".chart" in names:
        yield Leaf(
            "chart",
            f"(chart {box.element.get('class')})",
            box.position_y,
            box.position_y + box.height,
            _chart_text_pt(box),
            names,
        )
    for child in getattr(box, "children", ()):
        yield from _leaves(child, names)


def _chart_text_pt(box: boxes.ReplacedBox) -> float:
    """The chart's smallest text as printed: its smallest font-size times the scale."""
    svg = box.element
    width = svg.get("width", "")
    natural = float(width) if width.replace(".", "").isdigit() else _view_box_width(svg)
    sizes = [float(node.get("font-size")) for node in svg.iter() if node.get("font-size")]
    return min(sizes, default=16.0) * box.width / natural * PX_TO_PT


def _view_box_width(svg) -> float:
    return float(svg.get("viewBox").split()[2])


def pages(document) -> list[list[Leaf]]:
    """Every page's text and charts, in document order (margin boxes left out)."""
    return [list(_leaves(page._page_box, ())) for page in document.pages]


def render(html: str):
    from django.conf import settings
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def font_families(pdf: bytes) -> set[str]:
    """The embedded fonts' family names: subset prefix and style suffix removed."""
    families = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for font in fonts.values():
            name = str(font.get_object().get("/BaseFont", ""))
            name = re.sub(r"^/([A-Z]{6}\+)?", "", name)
            families.add(re.sub(r"-(Bold|Italic|Oblique|Regular|Book)+$", "", name))
    return families
