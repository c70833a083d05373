"""Quartiles of a value per group, for the whole selection and for subsets of it, in one
statement whatever the number of rows.

PostgreSQL computes them itself (percentile_cont, an ordered-set aggregate, with FILTER for
each subset). SQLite has no percentile function: the values come from the database sorted
by group and value, one row at a time, and are interpolated here exactly as
percentile_cont does (linear between the two nearest ranks), so both give the same figures.
"""

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)

FRACTIONS = {"q1": 0.25, "median": 0.5, "q3": 0.75}
VALUE = "statistic_value"


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class SecondsBetween(Func):
    """Seconds from one datetime column to another, as a float, on either database."""

    output_field = FloatField()

    def __init__(self, start: str, end: str) -> None:
        super().__init__(F(start), F(end))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(compiler, "EXTRACT(EPOCH FROM ({end} - {start}))::float8")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._between(compiler, "((julianday({end}) - julianday({start})) * 86400.0)")

    def _between(self, compiler: Any, template: str) -> tuple[str, list[Any]]:
        start, end = (compiler.compile(expression) for expression in self.get_source_expressions())
        sql = template.format(start=start[0], end=end[0])
        return sql, [*start[1], *end[1]]


@dataclass(frozen=True)
class Quartiles:
    count: int
    q1: float | None
    median: float | None
    q3: float | None

    def at_least(self, minimum: int) -> "Quartiles | None":
        """Itself if it covers at least `minimum` values, else None (nothing is shown)."""
        return self if self.count >= max(minimum, 1) else None


def percentile_cont(ordered: Sequence[float], fraction: float) -> float | None:
    """The value at `fraction` of sorted `ordered`, as PostgreSQL's percentile_cont."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower, upper = math.floor(position), math.ceil(position)
    if upper == lower:
        return ordered[lower]
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def quartiles_of(ordered: Sequence[float]) -> Quartiles:
    return Quartiles(len(ordered), *(percentile_cont(ordered, f) for f in FRACTIONS.values()))


def quartiles_of_counts(counts: Sequence[tuple[float, int]]) -> Quartiles:
    """The quartiles of the values that `counts` holds as (value, how many) in ascending
    order of value: what percentile_cont gives on the values written out one by one."""
    total = sum(number for _value, number in counts)
    if not total:
        return Quartiles(0, None, None, None)
    return Quartiles(total, *(_at_fraction(counts, total, f) for f in FRACTIONS.values()))


def _at_fraction(counts: Sequence[tuple[float, int]], total: int, fraction: float) -> float:
    position = fraction * (total - 1)
    lower, upper = math.floor(position), math.ceil(position)
    low, high = _at_rank(counts, lower), _at_rank(counts, upper)
    return low if upper == lower else low + (high - low) * (position - lower)


def _at_rank(counts: Sequence[tuple[float, int]], rank: int) -> float:
    """The value at 0-based `rank` among the values written out in order."""
    seen = 0
    for value, number in counts:
        seen += number
        if rank < seen:
            return value
    raise IndexError(rank)


type Key = tuple[Any, ...]


def grouped_quartiles(
    queryset: QuerySet[Any],
    group_by: Sequence[str],
    value: Expression | F,
    subsets: dict[str, Q | None],
) -> dict[Key, dict[str, Quartiles]]:
    """Quartiles of `value` over the rows of `queryset` per `group_by` key, for each subset
    (None: every row): {key: {subset: Quartiles}}. Rows whose value is null are left out.
    One statement."""
    rows = queryset.annotate(**{VALUE: value}).filter(**{f"{VALUE}__isnull": False}).order_by()
    if connection.vendor == "postgresql":
        return _in_database(rows, group_by, subsets)
    return _in_python(rows, group_by, subsets)


def _in_database(
    rows: QuerySet[Any], group_by: Sequence[str], subsets: dict[str, Q | None]
) -> dict[Key, dict[str, Quartiles]]:
    aggregates: dict[str, Aggregate] = {}
    for name, condition in subsets.items():
        aggregates[f"{name}__count"] = Count(VALUE, filter=condition)
        for statistic, fraction in FRACTIONS.items():
            aggregates[f"{name}__{statistic}"] = PercentileCont(VALUE, fraction, filter=condition)
    found: dict[Key, dict[str, Quartiles]] = {}
    for row in rows.values(*group_by).annotate(**aggregates):
        key = tuple(row[field] for field in group_by)
        found[key] = {
            name: Quartiles(row[f"{name}__count"], *(row[f"{name}__{s}"] for s in FRACTIONS))
            for name in subsets
        }
    return found


def _in_python(
    rows: QuerySet[Any], group_by: Sequence[str], subsets: dict[str, Q | None]
) -> dict[Key, dict[str, Quartiles]]:
    flags = {
        f"in_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in subsets.items()
        if condition is not None
    }
    ordered: Iterator[tuple[Any, ...]] = (
        rows.annotate(**flags)
        .order_by(*group_by, VALUE)
        .values_list(*group_by, VALUE, *flags)
        .iterator(chunk_size=5000)
    )
    width = len(group_by)
    found: dict[Key, dict[str, Quartiles]] = {}
    for key, group in groupby(ordered, key=lambda row: tuple(row[:width])):
        values: dict[str, list[float]] = {name: [] for name in subsets}
        for row in group:
            value, *marks = row[width:]
            in_subset = dict(zip(flags, marks, strict=True))
            for name, condition in subsets.items():
                if condition is None or in_subset[f"in_{name}"]:
                    values[name].append(value)
        found[key] = {name: quartiles_of(values[name]) for name in subsets}
    return found
