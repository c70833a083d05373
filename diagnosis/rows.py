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
from typing import Any, cast

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model


@dataclass(frozen=True)
class Part:
    """One model's columns in a statement's select list; `exclude` fields stay deferred.

    An `optional` part comes from an outer join: a row without it (a null primary key)
    gives None in its place."""

    model: type[Model]
    alias: str
    exclude: tuple[str, ...] = ()
    optional: bool = False

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
        self._by_position: dict[str, dict[int, tuple[list, Any]]] = {}

    def fetch(self, params: Sequence[Any], *, using: str = "default") -> tuple | None:
        """The first row as (instance of each part, …, extra value, …), or None.

        None too for an integer parameter no database column can hold (an id from a URL)."""
        rows = self.raw(params, using=using, first=True)
        return self.build(rows[0], using=using) if rows else None

    def fetch_all(self, params: Sequence[Any], *, using: str = "default") -> list[tuple]:
        """Every row, each as `fetch` gives the first."""
        return [self.build(row, using=using) for row in self.raw(params, using=using)]

    def raw(
        self, params: Sequence[Any], *, using: str = "default", first: bool = False
    ) -> list[tuple]:
        """The rows as the database gives them, for a caller that builds only some of them
        (`build`) and reads single values of the others (`value`)."""
        if not _in_range(params):
            return []
        connection = connections[using]
        sql, _converters = self._prepare(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if first:
                row = cursor.fetchone()
                return [] if row is None else [row]
            return cursor.fetchall()

    def position(self, alias: str, attname: str) -> int:
        """Where a part's column (by attribute name) sits in a raw row."""
        start = 0
        for part, names in zip(self.parts, self._names, strict=True):
            if part.alias == alias:
                return start + names.index(attname)
            start += len(names)
        raise KeyError(alias)

    def value(self, row: tuple, position: int, *, using: str = "default") -> Any:
        """One column of a raw row, converted as the ORM would convert it."""
        connection = connections[using]
        value = row[position]
        found = self._converters_at(connection).get(position)
        if found is not None:
            functions, expression = found
            for function in functions:
                value = function(value, expression, connection)
        return value

    def build(self, row: tuple, *, using: str = "default") -> tuple:
        """A raw row as (instance of each part, …, extra value, …)."""
        connection = connections[using]
        values = list(row)
        for position, functions, expression in self._prepare(connection)[1]:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        result: list[Any] = []
        start = 0
        for part, names, pk in zip(self.parts, self._names, self._pk_positions, strict=True):
            end = start + len(names)
            if part.optional and values[start + pk] is None:
                result.append(None)
            else:
                result.append(part.model.from_db(using, names, values[start:end]))
            start = end
        return (*result, *values[start:])

    def _converters_at(self, connection: BaseDatabaseWrapper) -> dict[int, tuple[list, Any]]:
        found = self._by_position.get(connection.alias)
        if found is None:
            converters = self._prepare(connection)[1]
            found = self._by_position[connection.alias] = {
                position: (functions, expression) for position, functions, expression in converters
            }
        return found

    @cached_property
    def _pk_positions(self) -> list[int]:
        return [
            [field.primary_key for field in part.fields].index(True) if part.optional else 0
            for part in self.parts
        ]

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


class RowUpdate:
    """UPDATE of one model's `fields` WHERE each of `where` equals a value: one statement
    written once, its values prepared by each field as the ORM's update() prepares them
    (None is SQL NULL), for the write made on every autosave."""

    def __init__(self, model: type[Model], fields: Sequence[str], where: Sequence[str]) -> None:
        self.model = model
        self.fields = [cast(Field, model._meta.get_field(name)) for name in fields]
        self.where = [cast(Field, model._meta.get_field(name)) for name in where]
        self._sql: dict[str, str] = {}

    def execute(self, instance: Model, where: Sequence[Any], *, using: str = "default") -> int:
        """Write the instance's values of `fields` where the row matches; the rows changed."""
        connection = connections[using]
        sql = self._sql.get(connection.alias)
        if sql is None:
            quote = connection.ops.quote_name
            sets = ", ".join(f"{quote(str(f.column))} = %s" for f in self.fields)
            matches = " AND ".join(f"{quote(str(f.column))} = %s" for f in self.where)
            table = quote(self.model._meta.db_table)
            sql = f"UPDATE {table} SET {sets} WHERE {matches}"  # noqa: S608 - quoted names only
            self._sql[connection.alias] = sql
        params = [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in self.fields]
        params += [
            f.get_db_prep_value(value, connection)
            for f, value in zip(self.where, where, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount
