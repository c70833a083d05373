"""Small server-side SVG charts: the same markup works in the page and in the PDF.

No JavaScript and no inline style (presentation attributes only), so a strict
Content-Security-Policy holds. Every label is escaped.
"""

import math
from dataclasses import dataclass
from html import escape

PALETTE = {
    "current": "#0d6efd",
    "target": "#fd7e14",
    "previous": "#6c757d",
    "validated": "#198754",
    "peers": "#6f42c1",
}


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # 0–100 per axis; None = no value
    key: str = "current"  # colour key in PALETTE
    dashed: bool = False


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def radar_svg(labels: list[str], series: list[Series], *, size: int = 420) -> str:
    """A radar chart of 0–100 values on len(labels) axes, with a legend."""
    count = len(labels)
    if count < 3:
        return ""
    cx = cy = size / 2
    radius = size / 2 - 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-80 0 {size + 160} {size + 30}" '
        f'width="100%" role="img" class="chart chart-radar" font-family="sans-serif">'
    ]
    for ring in (20, 40, 60, 80, 100):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_point(cx, cy, radius * ring / 100, i, count) for i in range(count))
        )
        parts.append(f'<polygon points="{points}" fill="none" stroke="#dee2e6" stroke-width="1"/>')
        parts.append(
            f'<text x="{cx + 3:.1f}" y="{cy - radius * ring / 100 + 10:.1f}" font-size="9" '
            f'fill="#adb5bd">{ring}</text>'
        )
    for index, label in enumerate(labels):
        x, y = _point(cx, cy, radius, index, count)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        lx, ly = _point(cx, cy, radius + 30, index, count)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="11" text-anchor="{anchor}" '
            f'fill="#212529">{escape(label)}</text>'
        )
    for item in series:
        colour = PALETTE.get(item.key, "#000")
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (
                _point(cx, cy, radius * max(0.0, min(100.0, value or 0)) / 100, i, count)
                for i, value in enumerate(item.values)
            )
        )
        dash = ' stroke-dasharray="6 4"' if item.dashed else ""
        opacity = "0" if item.dashed else "0.15"
        parts.append(
            f'<polygon points="{points}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="2"{dash}><title>{escape(item.name)}</title></polygon>'
        )
    parts.append(_legend(series, y=size + 12, width=size, left=-70))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: list[Series], *, y: float, width: float, left: float = 10) -> str:
    step = width / max(len(series), 1)
    items = []
    for index, item in enumerate(series):
        x = left + index * step
        colour = PALETTE.get(item.key, "#000")
        dash = ' stroke-dasharray="4 3"' if item.dashed else ""
        items.append(
            f'<line x1="{x:.1f}" y1="{y}" x2="{x + 18:.1f}" y2="{y}" stroke="{colour}" '
            f'stroke-width="3"{dash}/><text x="{x + 22:.1f}" y="{y + 4}" font-size="11" '
            f'fill="#212529">{escape(item.name)}</text>'
        )
    return "".join(items)


def bar_svg(
    labels: list[str], series: list[Series], *, width: int = 640, row_height: int = 26
) -> str:
    """Horizontal bars (0–100) per label; several series are drawn as thinner bars."""
    label_width = 190
    bar_area = width - label_width - 50
    count = max(len(series), 1)
    height = len(labels) * row_height * count + 50
    thickness = max(6, (row_height - 6))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart chart-bar" font-family="sans-serif">'
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_width + bar_area * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 40}" stroke="#e9ecef"/>'
            f'<text x="{x:.1f}" y="{height - 26}" font-size="9" text-anchor="middle" '
            f'fill="#6c757d">{tick}</text>'
        )
    for row, label in enumerate(labels):
        top = row * row_height * count
        parts.append(
            f'<text x="{label_width - 8}" y="{top + row_height * count / 2 + 4:.1f}" '
            f'font-size="11" text-anchor="end" fill="#212529">{escape(label)}</text>'
        )
        for index, item in enumerate(series):
            value = item.values[row]
            y = top + index * row_height + 3
            if value is None:
                continue
            bar = bar_area * max(0.0, min(100.0, value)) / 100
            colour = PALETTE.get(item.key, "#000")
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{thickness}" '
                f'fill="{colour}"><title>{escape(item.name)}: {value:.1f}</title></rect>'
                f'<text x="{label_width + bar + 4:.1f}" y="{y + thickness - 5}" font-size="10" '
                f'fill="#212529">{value:.0f}</text>'
            )
    parts.append(_legend(series, y=height - 10, width=width))
    parts.append("</svg>")
    return "".join(parts)
