"""Writing many rows fast, for generated data (manage.py generate_city).

PostgreSQL: COPY … FROM STDIN through psycopg 3's `cursor.copy`, rows adapted by psycopg.
SQLite: executemany of INSERTs in batches, values adapted as Django adapts them.
bulk_create is not used on purpose: it stamps `auto_now_add` fields with the current time,
and a synthetic city needs assessments started years ago.

Callers give rows as tuples in the order of `columns`, with JSON already as text (both
backends store it as given) and datetimes aware.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model

BATCH = 5000


def table_columns(model: type[Model], columns: Sequence[str]) -> tuple[str, str]:
    """The model's quoted table name and its quoted column list."""
    quote = connection.ops.quote_name
    fields = {field.name: str(field.column) for field in model._meta.concrete_fields}
    names = ", ".join(quote(fields[name]) for name in columns)
    return quote(model._meta.db_table), names


def write_rows(model: type[Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert `rows` into the model's table; returns how many."""
    table, names = table_columns(model, columns)
    if connection.vendor == "postgresql":
        return _copy(table, names, rows)
    return _insert(table, names, len(columns), rows)


def _copy(table: str, names: str, rows: Iterable[tuple[Any, ...]]) -> int:
    count = 0
    statement = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _insert(table: str, names: str, width: int, rows: Iterable[tuple[Any, ...]]) -> int:
    marks = ", ".join(["%s"] * width)
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from models
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(_adapt(value) for value in row))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def next_id(model: type[Model]) -> int:
    """The first id after the table's highest (ids are given explicitly, then the sequence
    is moved past them by reset_sequences)."""
    highest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (highest or 0) + 1


def reset_sequences(models: Sequence[type[Model]]) -> None:
    """Move PostgreSQL's id sequences past the ids written (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
