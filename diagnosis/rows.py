"""Model instances from one hand-written statement, for the lookups made on every request.

On a small server, compiling an ORM query costs 0.3–1 ms, several times what the
database needs to answer it (a RawQuerySet still costs about 0.15 ms). The session, the
user and a respondent's assessment are read on nearly every request, so those statements
are written here once. Their values pass through the converters the ORM would apply,
worked out once per process and database, so the instances are the ones the ORM builds.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


@dataclass(frozen=True)
class Part:
    """One model's columns in a statement's select list; `exclude` fields stay deferred."""

    model: type[Model]
    alias: str
    exclude: tuple[str, ...] = ()

    @property
    def fields(self) -> list[Field]:
        return [f for f in self.model._meta.concrete_fields if f.name not in self.exclude]


Converter = tuple[int, list, Any]

# Every backend we run on stores integer keys in at most 64 signed bits. SQLite refuses a
# larger Python int with OverflowError instead of finding nothing, as the ORM does.
BIGINT_RANGE = range(-(2**63), 2**63)


def _in_range(params: Sequence[Any]) -> bool:
    return all(not isinstance(p, int) or isinstance(p, bool) or p in BIGINT_RANGE for p in params)


class RowQuery:
    """A statement selecting the columns of `parts` in turn, then the `extra` expressions.

    `tail` is the SQL after the select list; `{alias}` in it and in `extra` stands for the
    quoted table of the part (or of `tables[alias]`) with that alias.
    """

    def __init__(
        self,
        parts: Sequence[Part],
        tail: str,
        *,
        extra: Sequence[str] = (),
        tables: Mapping[str, type[Model]] | None = None,
    ) -> None:
        self.parts = tuple(parts)
        self.tail = tail
        self.extra = tuple(extra)
        self.tables = {part.alias: part.model for part in self.parts} | dict(tables or {})
        self._prepared: dict[str, tuple[str, list[Converter]]] = {}

    def fetch(self, params: Sequence[Any], *, using: str = "default") -> tuple | None:
        """The first row as (instance of each part, …, extra value, …), or None.

        None too for an integer parameter no database column can hold (an id from a URL)."""
        if not _in_range(params):
            return None
        connection = connections[using]
        sql, converters = self._prepare(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        values = list(row)
        for position, functions, expression in converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        result, start = [], 0
        for part, names in zip(self.parts, self._names, strict=True):
            result.append(part.model.from_db(using, names, values[start : start + len(names)]))
            start += len(names)
        return (*result, *values[start:])

    @cached_property
    def _names(self) -> list[list[str]]:
        return [[field.attname for field in part.fields] for part in self.parts]

    def _prepare(self, connection: BaseDatabaseWrapper) -> tuple[str, list[Converter]]:
        if connection.alias not in self._prepared:
            quote = connection.ops.quote_name
            columns: list[str] = []
            converters: list[Converter] = []
            for part in self.parts:
                for field in part.fields:
                    column = field.get_col(part.alias)
                    functions = connection.ops.get_db_converters(column) + column.get_db_converters(
                        connection
                    )
                    if functions:
                        converters.append((len(columns), functions, column))
                    columns.append(f"{part.alias}.{quote(field.column)}")  # type: ignore[arg-type]
            tables = {alias: quote(model._meta.db_table) for alias, model in self.tables.items()}
            select = ", ".join([*columns, *(column.format(**tables) for column in self.extra)])
            self._prepared[connection.alias] = (
                f"SELECT {select} {self.tail.format(**tables)}",
                converters,
            )
        return self._prepared[connection.alias]
