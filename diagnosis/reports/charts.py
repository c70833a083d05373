"""Small server-side SVG charts: the same markup works in the page and in the PDF.

No JavaScript and no inline style (presentation attributes only), so a strict
Content-Security-Policy holds. Every label is escaped.

Labels are never cut: long names are wrapped on word boundaries (anywhere between
Chinese characters), and the drawing's view box is computed from the space every label
takes, measured with generous character widths. The charts are drawn at one unit per
CSS pixel with all text at TEXT_SIZE, the body's small text (0.875 rem), and carry their
natural width and height, so a page shows them at that size unless the screen is
narrower. Their font is FONT_FAMILY, the PDF's own (WeasyPrint reads only the SVG's
attribute); in the page, CSS gives them the page's font instead.
"""

import hashlib
import math
import unicodedata
from dataclasses import dataclass
from html import escape

PALETTE = {
    "current": "#0d6efd",
    "target": "#b35c00",
    "previous": "#6c757d",
    "validated": "#198754",
    "peers": "#6f42c1",
}
TEXT_SIZE = 14  # = Bootstrap's .small at a 16 px root
FONT_FAMILY = "WenQuanYi Micro Hei, Noto Sans CJK SC, Noto Sans SC, sans-serif"
LINE_HEIGHT = 1.25  # of TEXT_SIZE
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#5c636a"  # 6:1 on white
RADAR_LABEL_EM = 10  # a label wraps beyond about this many Chinese characters
BAR_LABEL_EM = 13


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # 0–100 per axis; None = no value
    key: str = "current"  # colour key in PALETTE
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    """A band between two values per axis (the peers' 25th and 75th percentiles) with a
    middle line (their median), drawn behind the series."""

    name: str
    median_name: str
    lower: tuple[float, ...]
    median: tuple[float, ...]
    upper: tuple[float, ...]
    key: str = "peers"


@dataclass(frozen=True)
class _Entry:
    """A legend entry: a line (solid, dashed or dotted) or an area swatch."""

    name: str
    key: str
    style: str = "solid"

    @staticmethod
    def of(series: Series) -> "_Entry":
        return _Entry(series.name, series.key, "dashed" if series.dashed else "solid")


DASHES = {"dashed": "6 4", "dotted": "2 3"}
BAND_OPACITY = 0.18


def _char_em(char: str) -> float:
    """A generous width of one character, in em, for any sans-serif font."""
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0
    if char == " ":
        return 0.32
    if char in "il.,:;'|!()[]":
        return 0.34
    if char.isupper() or char in "mwMW%&@":
        return 0.78
    return 0.62


def text_width(text: str, size: float = TEXT_SIZE) -> float:
    """The estimated width of `text` at `size`, never less than the real one in practice."""
    return sum(_char_em(char) for char in text) * size


def wrap(text: str, max_em: float = RADAR_LABEL_EM) -> list[str]:
    """Lines of at most `max_em` (a longer single word keeps its own line), as even as
    possible: breaks at spaces, and anywhere between wide (Chinese) characters."""
    lines = _greedy(text, max_em)
    low, high = 1.0, max_em
    while high - low > 0.25:  # the narrowest width that still needs no more lines
        middle = (low + high) / 2
        if len(_greedy(text, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return _greedy(text, high)


def _greedy(text: str, max_em: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = (line + token) if line else token.lstrip()
        if line and sum(_char_em(c) for c in candidate.rstrip()) > max_em:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Words with their leading space, and single wide characters."""
    tokens: list[str] = []
    word = ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if char == " " or wide:
            if word:
                tokens.append(word)
            word = "" if wide else " "
            if wide:
                tokens.append(char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


@dataclass
class _Box:
    """The extent of everything drawn, to size the view box."""

    left: float = math.inf
    top: float = math.inf
    right: float = -math.inf
    bottom: float = -math.inf

    def add(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left, self.top = min(self.left, left), min(self.top, top)
        self.right, self.bottom = max(self.right, right), max(self.bottom, bottom)

    def svg(
        self, css_class: str, body: list[str], padding: float = 6, *, label: "Label | None" = None
    ) -> str:
        left, top = math.floor(self.left - padding), math.floor(self.top - padding)
        width = math.ceil(self.right + padding) - left
        height = math.ceil(self.bottom + padding) - top
        named = label.attributes() if label else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{left} {top} {width} {height}" '
            f'width="{width}" height="{height}" role="img" class="chart {css_class}"{named} '
            f'font-size="{TEXT_SIZE}" font-family="{FONT_FAMILY}">'
            + (label.elements() if label else "")
            + "".join(body)
            + "</svg>"
        )


@dataclass(frozen=True)
class Label:
    """What a chart shows, for screen readers: its <title> (the accessible name) and <desc>
    (a sentence or the figures in words), tied to the <svg> by ids made from the text."""

    title: str
    description: str = ""

    @property
    def chart_id(self) -> str:
        digest = hashlib.sha1(f"{self.title}\n{self.description}".encode(), usedforsecurity=False)
        return "chart-" + digest.hexdigest()[:10]

    def attributes(self) -> str:
        ids = f' aria-labelledby="{self.chart_id}-title"'
        if self.description:
            ids += f' aria-describedby="{self.chart_id}-desc"'
        return ids

    def elements(self) -> str:
        markup = f'<title id="{self.chart_id}-title">{escape(self.title)}</title>'
        if self.description:
            markup += f'<desc id="{self.chart_id}-desc">{escape(self.description)}</desc>'
        return markup


def _text_block(
    lines: list[str], x: float, top: float, anchor: str, *, colour: str = TEXT_COLOUR
) -> tuple[str, tuple[float, float, float, float]]:
    """A multi-line <text> whose first line's top is at `top`; returns it and its box."""
    step = TEXT_SIZE * LINE_HEIGHT
    baseline = top + TEXT_SIZE * 0.95
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{baseline + index * step:.1f}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    width = max(text_width(line) for line in lines)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    box = (left, top, left + width, top + step * len(lines))
    markup = f'<text text-anchor="{anchor}" fill="{colour}">{spans}</text>'
    return markup, box


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(
    labels: list[str], series: list[Series], *, radius: float = 150, band: Band | None = None
) -> str:
    """A radar chart of 0–100 values on len(labels) axes, with a legend; `band` (one value
    per axis) is drawn behind the series."""
    count = len(labels)
    if count < 3:
        return ""
    cx = cy = 0.0
    box = _Box()
    box.add(-radius, -radius, radius, radius)
    parts = []
    for ring in (20, 40, 60, 80, 100):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius * ring / 100, i, count) for i in range(count))
        )
        parts.append(f'<polygon points="{points}" fill="none" stroke="#dee2e6" stroke-width="1"/>')
    for ring in (50, 100):  # two scale marks are enough to read the rings
        parts.append(
            f'<text x="{cx + 4:.1f}" y="{cy - radius * ring / 100 + TEXT_SIZE:.1f}" '
            f'fill="{MUTED_COLOUR}">{ring}</text>'
        )
    for index, label in enumerate(labels):
        x, y = _point(cx, cy, radius, index, count)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        markup, extent = _axis_label(wrap(label), index, count, radius + 12)
        parts.append(markup)
        box.add(*extent)
    entries = [_Entry.of(item) for item in series]
    if band is not None:
        parts.append(_radar_band(band, count, radius))
        entries += [
            _Entry(band.name, band.key, "area"),
            _Entry(band.median_name, band.key, "dotted"),
        ]
    for item in series:
        parts.append(_radar_polygon(item, count, radius))
    legend, extent = _legend(
        entries, left=box.left, top=box.bottom + 14, width=box.right - box.left
    )
    parts.append(legend)
    box.add(*extent)
    return box.svg("chart-radar", parts)


def _axis_label(
    lines: list[str], index: int, count: int, distance: float
) -> tuple[str, tuple[float, float, float, float]]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = distance * cos, distance * sin
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    height = TEXT_SIZE * LINE_HEIGHT * len(lines)
    if sin < -0.3:
        top = y - height  # above the chart: the block ends at the axis
    elif sin > 0.3:
        top = y  # below: it starts there
    else:
        top = y - height / 2
    return _text_block(lines, x, top, anchor)


def _ring(values: tuple[float | None, ...], radius: float) -> list[tuple[float, float]]:
    count = len(values)
    return [
        _point(0, 0, radius * max(0.0, min(100.0, value or 0)) / 100, i, count)
        for i, value in enumerate(values)
    ]


def _radar_band(band: Band, count: int, radius: float) -> str:
    """The area between the lower and upper rings (even-odd fill: the inner ring is a hole)
    and the median ring, dotted."""
    colour = PALETTE.get(band.key, "#000")

    def path(points: list[tuple[float, float]]) -> str:
        return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points) + " Z"

    median = " ".join(f"{x:.1f},{y:.1f}" for x, y in _ring(band.median, radius))
    return (
        f'<path d="{path(_ring(band.upper, radius))} {path(_ring(band.lower, radius))}" '
        f'fill="{colour}" fill-opacity="{BAND_OPACITY}" fill-rule="evenodd" stroke="none">'
        f"<title>{escape(band.name)}</title></path>"
        f'<polygon points="{median}" fill="none" stroke="{colour}" stroke-width="1.5" '
        f'stroke-dasharray="{DASHES["dotted"]}"><title>{escape(band.median_name)}</title>'
        "</polygon>"
    )


def _radar_polygon(item: Series, count: int, radius: float) -> str:
    colour = PALETTE.get(item.key, "#000")
    points = " ".join(
        f"{x:.1f},{y:.1f}"
        for x, y in (
            _point(0, 0, radius * max(0.0, min(100.0, value or 0)) / 100, i, count)
            for i, value in enumerate(item.values)
        )
    )
    dash = ' stroke-dasharray="6 4"' if item.dashed else ""
    opacity = "0" if item.dashed else "0.15"
    return (
        f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity}" '
        f'stroke="{colour}" stroke-width="2"{dash}><title>{escape(item.name)}</title></polygon>'
    )


def _legend(
    entries: list[_Entry], *, left: float, top: float, width: float
) -> tuple[str, tuple[float, float, float, float]]:
    """Legend entries in rows that fit `width`; returns the markup and its box."""
    items = []
    x, y = left, top
    right = left
    step = TEXT_SIZE * LINE_HEIGHT + 4
    for item in entries:
        entry_width = 26 + text_width(item.name) + 18
        if x > left and x + entry_width > left + width:
            x, y = left, y + step
        items.append(
            _swatch(item, x, y)
            + f'<text x="{x + 26:.1f}" y="{y + TEXT_SIZE * 0.95:.1f}" fill="{TEXT_COLOUR}">'
            f"{escape(item.name)}</text>"
        )
        right = max(right, x + entry_width - 18)
        x += entry_width
    return "".join(items), (left, top, right, y + step)


def _swatch(entry: _Entry, x: float, y: float) -> str:
    colour = PALETTE.get(entry.key, "#000")
    if entry.style == "area":
        return (
            f'<rect x="{x:.1f}" y="{y + 2:.1f}" width="20" height="{TEXT_SIZE * 0.8:.1f}" '
            f'fill="{colour}" fill-opacity="{BAND_OPACITY * 2}"/>'
        )
    dash = f' stroke-dasharray="{"4 3" if entry.style == "dashed" else "2 3"}"'
    middle = y + TEXT_SIZE * 0.6
    return (
        f'<line x1="{x:.1f}" y1="{middle:.1f}" x2="{x + 20:.1f}" y2="{middle:.1f}" '
        f'stroke="{colour}" stroke-width="3"{dash if entry.style != "solid" else ""}/>'
    )


def _label_rows(
    labels: list[str], count: int, thickness: int, gap: int, bar_area: int
) -> tuple[float, list[tuple[float, float]], float, list[str], _Box]:
    """The frame bar_svg and quartile_svg share: labels wrapped on the left, one row per
    label tall enough for `count` bars, the 0–100 axis with its grid lines. Returns where
    the bars start, each row's (top, height), the axis's bottom, the markup and its extent
    so far."""
    wrapped = [wrap(text, BAR_LABEL_EM) for text in labels]
    label_width = max((text_width(line) for lines in wrapped for line in lines), default=0)
    origin = label_width + 12  # where the bars start
    parts: list[str] = []
    box = _Box()
    top = 0.0
    rows = []
    for lines in wrapped:
        height = max(TEXT_SIZE * LINE_HEIGHT * len(lines), count * (thickness + 3))
        rows.append((top, height))
        top += height + gap
    for tick in (0, 25, 50, 75, 100):
        x = origin + bar_area * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{top:.1f}" stroke="#e9ecef"/>'
            f'<text x="{x:.1f}" y="{top + TEXT_SIZE * 1.1:.1f}" text-anchor="middle" '
            f'fill="{MUTED_COLOUR}">{tick}</text>'
        )
    for (row_top, height), lines in zip(rows, wrapped, strict=True):
        block = TEXT_SIZE * LINE_HEIGHT * len(lines)
        markup, extent = _text_block(lines, origin - 8, row_top + (height - block) / 2, "end")
        parts.append(markup)
        box.add(*extent)
    return origin, rows, top, parts, box


def bar_svg(
    labels: list[str],
    series: list[Series],
    *,
    bar_area: int = 400,
    label: Label | None = None,
    unit: str = "",
) -> str:
    """Horizontal bars (0–100) per label, one bar per series, labels wrapped on the left;
    `label` names the chart for screen readers, `unit` follows each value ("%")."""
    count = max(len(series), 1)
    thickness = 16
    origin, rows, axis_bottom, parts, box = _label_rows(labels, count, thickness, 10, bar_area)
    box.add(0, 0, origin + bar_area + 40, 0)
    for index, item in enumerate(series):
        colour = PALETTE.get(item.key, "#000")
        for (row_top, height), value in zip(rows, item.values, strict=True):
            if value is None:
                continue
            bars_height = count * (thickness + 3)
            y = row_top + (height - bars_height) / 2 + index * (thickness + 3)
            bar = bar_area * max(0.0, min(100.0, value)) / 100
            parts.append(
                f'<rect x="{origin:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{thickness}" '
                f'fill="{colour}"><title>{escape(item.name)}: {value:.1f}{unit}</title></rect>'
                f'<text x="{origin + bar + 4:.1f}" y="{y + thickness - 2:.1f}" '
                f'fill="{TEXT_COLOUR}">{value:.0f}{unit}</text>'
            )
    box.add(0, 0, origin + bar_area + 4 + text_width("100" + unit), axis_bottom + TEXT_SIZE * 1.4)
    legend, extent = _legend(
        [_Entry.of(item) for item in series],
        left=0,
        top=axis_bottom + TEXT_SIZE * 2,
        width=origin + bar_area,
    )
    parts.append(legend)
    box.add(*extent)
    return box.svg("chart-bar", parts, label=label)


@dataclass(frozen=True)
class QuartileSeries:
    name: str
    values: tuple[tuple[float, float, float] | None, ...]  # (q1, median, q3) per label
    key: str = "current"


def quartile_svg(
    labels: list[str], series: list[QuartileSeries], *, label: Label, bar_area: int = 400
) -> str:
    """Per label and series a box from the first to the third quartile (0–100) with a
    mark at the median, whose value is written beside it; missing values draw nothing."""
    thickness = 14
    count = max(len(series), 1)
    origin, rows, top, parts, box = _label_rows(labels, count, thickness, 10, bar_area)
    box.add(0, 0, origin + bar_area + 4 + text_width("100"), 0)

    def x_of(value: float) -> float:
        return origin + bar_area * max(0.0, min(100.0, value)) / 100

    for index, item in enumerate(series):
        colour = PALETTE.get(item.key, "#000")
        for (row_top, height), values in zip(rows, item.values, strict=True):
            if values is None:
                continue
            q1, median, q3 = values
            y = row_top + (height - count * (thickness + 3)) / 2 + index * (thickness + 3)
            parts.append(
                f'<rect x="{x_of(q1):.1f}" y="{y:.1f}" width="{x_of(q3) - x_of(q1):.1f}" '
                f'height="{thickness}" fill="{colour}" fill-opacity="0.3" stroke="{colour}">'
                f"<title>{escape(item.name)}: {q1:.1f} – {median:.1f} – {q3:.1f}</title></rect>"
                f'<line x1="{x_of(median):.1f}" y1="{y:.1f}" x2="{x_of(median):.1f}" '
                f'y2="{y + thickness:.1f}" stroke="{colour}" stroke-width="3"/>'
                f'<text x="{x_of(q3) + 4:.1f}" y="{y + thickness - 2:.1f}" '
                f'fill="{TEXT_COLOUR}">{median:.0f}</text>'
            )
    box.add(0, 0, origin + bar_area + 4 + text_width("100"), top + TEXT_SIZE * 1.4)
    entries = [_Entry(item.name, item.key) for item in series]
    legend, extent = _legend(entries, left=0, top=top + TEXT_SIZE * 2, width=origin + bar_area)
    parts.append(legend)
    box.add(*extent)
    return box.svg("chart-quartiles", parts, label=label)
