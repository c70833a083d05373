"""Reading one value or mapping of a definition: typed readers that record, never raise."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any

from diagnosis.definitions.errors import Problems
from diagnosis.scoring.definition import (
    LANGUAGES,
    Better,
    Effort,
    Horizon,
    QuestionType,
    Role,
    Severity,
    Text,
)

LEVEL_VALUES = (0, 1, 2, 3, 4, 5)


# A reader checks one raw value: it returns the value converted, or None after recording why not.
type Reader[T] = Callable[[Problems, object, str], T | None]


ABSENT = object()


class Node:
    """One mapping of the definition: its keys are checked on creation, its values as read.

    Problems are recorded, never raised. ``failed`` tells whether any problem was recorded
    since the node was created, including in the values and mappings read through it.
    """

    def __init__(
        self,
        errors: Problems,
        value: object,
        path: str,
        *,
        required: Sequence[str] = (),
        optional: Sequence[str] = (),
        misplaced: Mapping[str, str] | None = None,
    ) -> None:
        self.errors = errors
        self.path = path
        self.data: dict[Any, Any] = value if isinstance(value, dict) else {}
        self.is_mapping = isinstance(value, dict)
        self._required = tuple(required)
        self._misplaced = misplaced or {}
        self._invalid: set[str] = set()
        self._start = len(errors)
        if self.is_mapping:
            self._check_keys((*required, *optional))
        elif value is not ABSENT:
            errors.add(path, "must be a mapping")

    def _check_keys(self, allowed: Sequence[str]) -> None:
        """Record unknown, misplaced and missing required keys."""
        for key in self.data:
            if key in self._misplaced:
                self.errors.add(self.at(key), self._misplaced[key])
            elif key not in allowed:
                self.errors.add(self.at(key), f"unknown key; expected one of: {', '.join(allowed)}")
        for key in self._required:
            if key not in self.data:
                self.errors.add(self.at(key), "is required")

    @property
    def failed(self) -> bool:
        return len(self.errors) > self._start

    def at(self, key: object) -> str:
        """Return the path of the value under key."""
        return f"{self.path}.{key}" if self.path else str(key)

    def has(self, key: str) -> bool:
        return key in self.data and key not in self._misplaced

    def is_list(self, key: str) -> bool:
        return isinstance(self.data.get(key), list)

    def valid(self, *keys: str) -> bool:
        """Return True if every key is present and its value was read without a problem."""
        return all(self.has(key) and key not in self._invalid for key in keys)

    def invalidate(self, key: str) -> None:
        self._invalid.add(key)

    def read[T, F](self, key: str, reader: Reader[T], fallback: F) -> T | F:
        """Return the value under key checked by reader, or fallback if absent or invalid."""
        if not self.has(key):
            self._invalid.add(key)
            return fallback
        value = reader(self.errors, self.data[key], self.at(key))
        if value is None:
            self._invalid.add(key)
            return fallback
        return value

    def child(self, key: str, *, required: Sequence[str], optional: Sequence[str] = ()) -> Node:
        """Return the mapping under key as a node (an empty one if the key is absent)."""
        value = self.data[key] if self.has(key) else ABSENT
        return Node(self.errors, value, self.at(key), required=required, optional=optional)

    def items(self, key: str, *, nonempty: bool = True) -> list[tuple[str, object]]:
        """Return (path, value) for each element of the list under key ([] if absent or invalid)."""
        if not self.has(key):
            return []
        value = self.data[key]
        if not isinstance(value, list):
            self.errors.add(self.at(key), "must be a list")
            self._invalid.add(key)
            return []
        if nonempty and not value:
            self.errors.add(self.at(key), "must not be empty")
        return [(f"{self.at(key)}[{index}]", element) for index, element in enumerate(value)]


def as_number(value: object) -> float | None:
    """Return value as a finite float, or None if it is not a number (booleans are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def read_number(errors: Problems, value: object, path: str) -> float | None:
    number = as_number(value)
    if number is None:
        errors.add(path, "must be a number")
    return number


def read_positive(errors: Problems, value: object, path: str) -> float | None:
    number = as_number(value)
    if number is None or number <= 0:
        errors.add(path, "must be a positive number")
        return None
    return number


def read_non_negative(errors: Problems, value: object, path: str) -> float | None:
    number = as_number(value)
    if number is None or number < 0:
        errors.add(path, "must be a number not below 0")
        return None
    return number


def read_score(errors: Problems, value: object, path: str) -> float | None:
    number = as_number(value)
    if number is None or not 0 <= number <= 100:
        errors.add(path, "must be a number from 0 to 100")
        return None
    return number


def read_positive_integer(errors: Problems, value: object, path: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.add(path, "must be a positive integer")
        return None
    return value


def read_level_value(errors: Problems, value: object, path: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVEL_VALUES:
        errors.add(path, "must be an integer from 0 to 5")
        return None
    return value


def read_boolean(errors: Problems, value: object, path: str) -> bool | None:
    if not isinstance(value, bool):
        errors.add(path, "must be true or false")
        return None
    return value


def read_string(errors: Problems, value: object, path: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add(path, f"must be a non-empty string{quote_hint(value)}")
        return None
    return value


def read_option_value(errors: Problems, value: object, path: str) -> int | str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        problem = "must be an option value: an integer (level) or a string (choice)"
        errors.add(path, problem + quote_hint(value))
        return None
    return value


def quote_hint(value: object) -> str:
    """Return advice for a boolean found where a string belongs (an unquoted yes or no)."""
    if isinstance(value, bool):
        return (
            f" (got {str(value).lower()}: quote yes, no, on and off, which YAML reads as booleans)"
        )
    return ""


def read_text(errors: Problems, value: object, path: str) -> Text | None:
    """Return the bilingual text, or None if it lacks a translation or has another language."""
    if not isinstance(value, dict):
        errors.add(path, "must be a mapping with the keys zh-hans and en")
        return None
    start = len(errors)
    for language in value:
        if language not in LANGUAGES:
            errors.add(f"{path}.{language}", "unknown language; expected zh-hans and en")
    for language in LANGUAGES:
        if language not in value:
            errors.add(f"{path}.{language}", "translation is missing")
        elif not isinstance(value[language], str) or not value[language].strip():
            errors.add(f"{path}.{language}", "translation must be a non-empty string")
    if len(errors) > start:
        return None
    return Text(zh_hans=value["zh-hans"], en=value["en"])


def code_reader(pattern: str, description: str) -> Reader[str]:
    """Return a reader of codes matching pattern.

    A string with bad characters is reported but still returned, so that references to it
    resolve and the mistake is reported once.
    """
    compiled = re.compile(pattern)

    def read(errors: Problems, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            errors.add(path, f"must be a string of {description}{quote_hint(value)}")
            return None
        if not compiled.fullmatch(value):
            errors.add(path, f"must be {description} (got {value!r})")
        return value

    return read


def one_of_reader[E: StrEnum](enum: type[E]) -> Reader[E]:
    """Return a reader accepting exactly the values of enum."""
    values = [member.value for member in enum]

    def read(errors: Problems, value: object, path: str) -> E | None:
        if not isinstance(value, str) or value not in values:
            errors.add(path, f"must be one of: {', '.join(values)}")
            return None
        return enum(value)

    return read


SLUG = code_reader(
    r"[a-z0-9]+(?:[-_][a-z0-9]+)*", "lower-case letters, digits, hyphens, underscores"
)


DIMENSION_CODE = code_reader(
    r"[A-Z][A-Z0-9]*", "upper-case letters and digits, starting with a letter"
)


# A dimension's comparison key (`compares_as`): stored in a column of 20 characters.
COMPARISON_KEY = code_reader(
    r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*",
    "upper-case letters, digits and hyphens, starting with a letter, like SEC-2",
)
COMPARISON_KEY_LENGTH = 20


QUESTION_CODE = code_reader(
    r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", "upper-case letters, digits and hyphens, like STR-01"
)


ITEM_OR_RULE_CODE = code_reader(
    r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*", "letters, digits, hyphens, underscores"
)


FRAMEWORK_ITEM_CODE = code_reader(
    r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*", "letters, digits, dots, hyphens, underscores"
)


QUESTION_TYPE = one_of_reader(QuestionType)


ROLE = one_of_reader(Role)


SEVERITY = one_of_reader(Severity)


BETTER = one_of_reader(Better)


HORIZON = one_of_reader(Horizon)


EFFORT = one_of_reader(Effort)


NO_TEXT = Text(zh_hans="", en="")


def present[T](values: Iterable[T | None]) -> tuple[T, ...]:
    """Return the values that were read without a problem, in order."""
    return tuple(value for value in values if value is not None)


def neighbours[T](values: Sequence[T | None]) -> Iterator[tuple[int, T, T]]:
    """Yield (index, previous, current) for each adjacent pair where both were read cleanly."""
    for index in range(1, len(values)):
        previous, current = values[index - 1], values[index]
        if previous is not None and current is not None:
            yield index, previous, current


def register(errors: Problems, registry: dict[Any, str], key: object, path: str, what: str) -> None:
    """Record key as defined at path, or report it as a duplicate of an earlier one."""
    if key in registry:
        errors.add(path, f"duplicate {what} {key!r} (first at {registry[key]})")
    else:
        registry[key] = path


def read_option_values(node: Node, key: str) -> tuple[int | str, ...]:
    """Return the option values listed under key; the key is invalid if any is not one."""
    values = [read_option_value(node.errors, raw, path) for path, raw in node.items(key)]
    if None in values:
        node.invalidate(key)
    return present(values)
