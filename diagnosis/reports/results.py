"""The results page's charts and rows, from queries/results.py's figures: dimension names
in the reader's language, levels as shares, suppressed figures drawn as missing ones."""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from diagnosis.firmdata import District, Industry, SizeClass
from diagnosis.queries.directory import DimensionColumn
from diagnosis.queries.quantiles import Quartiles
from diagnosis.queries.results import LEVELS, LevelDistribution, Results, WeakestRow
from diagnosis.reports.charts import Label, QuartileSeries, Series, bar_svg, quartile_svg

BREAKDOWN_CHOICES = {"district": District, "division": Industry, "size": SizeClass}


def dimension_name(column: DimensionColumn, language: str | None = None) -> str:
    """The name in the reader's language (`language`, else the active one); a dimension only
    an older questionnaire version has (or had with another meaning) says which version."""
    language = language or get_language() or ""
    name = column.name_en if language.startswith("en") else column.name_zh_hans
    if column.older_version is None:
        return name
    return _("%(name)s (questionnaire version %(version)s)") % {
        "name": name,
        "version": column.older_version,
    }


@dataclass(frozen=True)
class LevelRow:
    level: int
    reference: int | None
    reference_share: float | None
    segment: int | None
    segment_share: float | None


def level_rows(levels: LevelDistribution) -> list[LevelRow]:
    reference, segment = (
        LevelDistribution.share(levels.reference),
        LevelDistribution.share(levels.segment),
    )
    return [
        LevelRow(
            level=level,
            reference=levels.reference[level] if levels.reference else None,
            reference_share=reference[level] if reference else None,
            segment=levels.segment[level] if levels.segment else None,
            segment_share=segment[level] if segment else None,
        )
        for level in LEVELS
    ]


def level_chart(rows: list[LevelRow], names: list[str]) -> str:
    """Bars of the share of firms at each level: the reference set, and the segment when
    `names` has two entries. Nothing when no series has a figure."""
    values = [tuple(r.reference_share for r in rows), tuple(r.segment_share for r in rows)]
    series = [
        Series(name, tuple(None if v is None else 100 * v for v in shares), key=key)
        for name, shares, key in zip(names, values, ("current", "peers"), strict=False)
        if any(v is not None for v in shares)
    ]
    if not series:
        return ""
    labels = [_("Level %(level)s") % {"level": row.level} for row in rows]
    description = "; ".join(
        f"{item.name}: "
        + ", ".join(
            f"{label} {value:.0f}%"
            for label, value in zip(labels, item.values, strict=True)
            if value is not None
        )
        for item in series
    )
    title = _("Share of the firms at each maturity level")
    return bar_svg(labels, series, unit="%", label=Label(title, description))


def _box(quartiles: Quartiles | None) -> tuple[float, float, float] | None:
    if quartiles is None or quartiles.median is None:
        return None
    return (quartiles.q1 or 0, quartiles.median, quartiles.q3 or 0)


def quartile_chart(results: Results, names: list[str]) -> str:
    dimensions = results.dimensions
    boxes = [
        tuple(_box(d.reference) for d in dimensions),
        tuple(_box(d.segment) for d in dimensions),
    ]
    series = [
        QuartileSeries(name, values, key=key)
        for name, values, key in zip(names, boxes, ("current", "peers"), strict=False)
        if any(v is not None for v in values)
    ]
    if not series:
        return ""
    labels = [dimension_name(d.dimension) for d in dimensions]
    description = "; ".join(
        f"{label}, {item.name}: "
        + _("median %(median).0f, quartiles %(q1).0f to %(q3).0f")
        % {"median": box[1], "q1": box[0], "q3": box[2]}
        for item in series
        for label, box in zip(labels, item.values, strict=True)
        if box is not None
    )
    title = _("Dimension scores: median and quartiles")
    return quartile_svg(labels, series, label=Label(title, description))


@dataclass(frozen=True)
class WeakestLine:
    label: str
    firms: int
    weakest: list[tuple[str, float]]  # dimension name, median score


def weakest_rows(rows: list[WeakestRow], by: str) -> list[WeakestLine]:
    """The rows in the breakdown's own order (districts as listed, divisions by code), with
    names in the reader's language."""
    choices = BREAKDOWN_CHOICES[by]
    order = {str(value): index for index, value in enumerate(choices.values)}
    labels = {str(value): str(label) for value, label in choices.choices}
    ordered = sorted(rows, key=lambda row: order.get(row.key, len(order)))
    return [
        WeakestLine(
            label=labels.get(row.key, row.key),
            firms=row.firms,
            weakest=[(dimension_name(column), median) for column, median in row.weakest],
        )
        for row in ordered
    ]
