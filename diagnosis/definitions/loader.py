"""Read and validate questionnaire definition files (the format is described in FORMAT.md).

Pure Python (standard library and PyYAML, no Django): the management command, the models and
the tests all get either a complete, consistent ``Definition`` or a ``DefinitionError`` that
lists every problem found, each as ``"<source>: <path>: <problem>"``.

Reading works in one pass that never stops at the first problem: every value is checked and
recorded problems make the object holding them (and its parents) come out as ``None``.
Cross-references are checked against codes seen anywhere in the file, so one mistake does
not echo as many.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from diagnosis.scoring.definition import (
    LANGUAGES,
    ChecklistItem,
    Condition,
    ConsistencyRule,
    Definition,
    Dependency,
    Dimension,
    Effort,
    Gate,
    Horizon,
    KpiBand,
    Level,
    Option,
    Question,
    QuestionType,
    Recommendation,
    Text,
)

BUNDLED_DIR = Path(__file__).resolve().parent

TOP_LEVEL = "(top level)"
LEVEL_VALUES = (0, 1, 2, 3, 4, 5)


class DefinitionError(Exception):
    """A definition is invalid; ``errors`` lists every problem as "<source>: <path>: <problem>"."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


# --------------------------------------------------------------------------- public API


def load_definition(path: str | Path) -> Definition:
    """Return the definition in the YAML file at path; raises DefinitionError if it is invalid."""
    path = Path(path)
    return parse_definition(read_definition_data(path), source=path.name)


def read_definition_data(path: str | Path) -> dict[str, Any]:
    """Return the file's raw mapping, as stored in the database snapshot.

    Raises DefinitionError (naming line and column) if the file cannot be read or parsed, or
    does not hold a mapping. The content is not validated: use parse_definition for that.
    """
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DefinitionError([f"{path.name}: {TOP_LEVEL}: must be a mapping"])
    return data


def definition_checksum(data: Mapping[str, Any]) -> str:
    """Return the sha256 hex digest of data as canonical JSON (equal content, equal checksum)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_definition(data: object, source: str) -> Definition:
    """Return the Definition described by data (a file's mapping or its JSON snapshot).

    Raises DefinitionError listing every problem found, each prefixed with source.
    """
    context = _Context(_Errors(source))
    top = _Node(context.errors, data, "", required=_TOP_REQUIRED, optional=("consistency",))
    definition = _definition(context, top)
    if definition is None or context.errors.messages:
        raise DefinitionError(context.errors.messages)
    return definition


# --------------------------------------------------------------------------- YAML


class _StrictYamlLoader(yaml.SafeLoader):
    """A SafeLoader that rejects duplicate keys (not keeping the last) and reads dates as text."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        _reject_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)


def _reject_duplicate_keys(node: yaml.MappingNode) -> None:
    """Raise a ConstructorError (with the duplicate's position) if a key occurs twice."""
    seen: set[str] = set()
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
            continue
        if key_node.value in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key_node.value!r}",
                key_node.start_mark,
            )
        seen.add(key_node.value)


# YAML 1.1 reads 2024-01-01 as a date: keep it a string so the snapshot is plain JSON.
# (yes/no/on/off stay booleans, as FORMAT.md says; the errors then suggest quoting them.)
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_StrictYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> object:
    """Return the parsed YAML document; raises DefinitionError for unreadable or invalid YAML."""
    try:
        with path.open("rb") as stream:
            return yaml.load(stream, Loader=_StrictYamlLoader)  # noqa: S506 (a SafeLoader)
    except OSError as error:
        raise DefinitionError([f"{path.name}: {TOP_LEVEL}: cannot be read ({error})"]) from error
    except yaml.YAMLError as error:
        raise DefinitionError([f"{path.name}: {_yaml_problem(error)}"]) from error


def _yaml_problem(error: yaml.YAMLError) -> str:
    """Return "<line, column>: invalid YAML: <what>" for a parser error."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return f"{TOP_LEVEL}: invalid YAML: {error}"
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else TOP_LEVEL
    what = "; ".join(part for part in (error.context, error.problem) if part)
    return f"{where}: invalid YAML: {what}"


# --------------------------------------------------------------------------- reading values


class _Errors:
    """Collects problems as "<source>: <path>: <problem>" lines, in the order found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.messages.append(f"{self.source}: {path or TOP_LEVEL}: {problem}")

    def __len__(self) -> int:
        return len(self.messages)


# A reader checks one raw value: it returns the value converted, or None after recording why not.
type _Reader[T] = Callable[[_Errors, object, str], T | None]

_ABSENT = object()


class _Node:
    """One mapping of the definition: its keys are checked on creation, its values as read.

    Problems are recorded, never raised. ``failed`` tells whether any problem was recorded
    since the node was created, including in the values and mappings read through it.
    """

    def __init__(
        self,
        errors: _Errors,
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
        elif value is not _ABSENT:
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

    def read[T, F](self, key: str, reader: _Reader[T], fallback: F) -> T | F:
        """Return the value under key checked by reader, or fallback if absent or invalid."""
        if not self.has(key):
            self._invalid.add(key)
            return fallback
        value = reader(self.errors, self.data[key], self.at(key))
        if value is None:
            self._invalid.add(key)
            return fallback
        return value

    def child(self, key: str, *, required: Sequence[str], optional: Sequence[str] = ()) -> _Node:
        """Return the mapping under key as a node (an empty one if the key is absent)."""
        value = self.data[key] if self.has(key) else _ABSENT
        return _Node(self.errors, value, self.at(key), required=required, optional=optional)

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


def _as_number(value: object) -> float | None:
    """Return value as a finite float, or None if it is not a number (booleans are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _number(errors: _Errors, value: object, path: str) -> float | None:
    number = _as_number(value)
    if number is None:
        errors.add(path, "must be a number")
    return number


def _positive(errors: _Errors, value: object, path: str) -> float | None:
    number = _as_number(value)
    if number is None or number <= 0:
        errors.add(path, "must be a positive number")
        return None
    return number


def _score(errors: _Errors, value: object, path: str) -> float | None:
    number = _as_number(value)
    if number is None or not 0 <= number <= 100:
        errors.add(path, "must be a number from 0 to 100")
        return None
    return number


def _positive_integer(errors: _Errors, value: object, path: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        errors.add(path, "must be a positive integer")
        return None
    return value


def _level_value(errors: _Errors, value: object, path: str) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVEL_VALUES:
        errors.add(path, "must be an integer from 0 to 5")
        return None
    return value


def _boolean(errors: _Errors, value: object, path: str) -> bool | None:
    if not isinstance(value, bool):
        errors.add(path, "must be true or false")
        return None
    return value


def _string(errors: _Errors, value: object, path: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add(path, f"must be a non-empty string{_quote_hint(value)}")
        return None
    return value


def _option_value(errors: _Errors, value: object, path: str) -> int | str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        problem = "must be an option value: an integer (level) or a string (choice)"
        errors.add(path, problem + _quote_hint(value))
        return None
    return value


def _quote_hint(value: object) -> str:
    """Return advice for a boolean found where a string belongs (an unquoted yes or no)."""
    if isinstance(value, bool):
        return (
            f" (got {str(value).lower()}: quote yes, no, on and off, which YAML reads as booleans)"
        )
    return ""


def _text(errors: _Errors, value: object, path: str) -> Text | None:
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


def _code(pattern: str, description: str) -> _Reader[str]:
    """Return a reader of codes matching pattern.

    A string with bad characters is reported but still returned, so that references to it
    resolve and the mistake is reported once.
    """
    compiled = re.compile(pattern)

    def read(errors: _Errors, value: object, path: str) -> str | None:
        if not isinstance(value, str):
            errors.add(path, f"must be a string of {description}{_quote_hint(value)}")
            return None
        if not compiled.fullmatch(value):
            errors.add(path, f"must be {description} (got {value!r})")
        return value

    return read


def _one_of[E: StrEnum](enum: type[E]) -> _Reader[E]:
    """Return a reader accepting exactly the values of enum."""
    values = [member.value for member in enum]

    def read(errors: _Errors, value: object, path: str) -> E | None:
        if not isinstance(value, str) or value not in values:
            errors.add(path, f"must be one of: {', '.join(values)}")
            return None
        return enum(value)

    return read


_SLUG = _code(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", "lower-case letters, digits, hyphens, underscores")
_DIMENSION_CODE = _code(r"[A-Z][A-Z0-9]*", "upper-case letters and digits, starting with a letter")
_QUESTION_CODE = _code(
    r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*", "upper-case letters, digits and hyphens, like STR-01"
)
_ITEM_OR_RULE_CODE = _code(
    r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*", "letters, digits, hyphens, underscores"
)
_QUESTION_TYPE = _one_of(QuestionType)
_HORIZON = _one_of(Horizon)
_EFFORT = _one_of(Effort)
_NO_TEXT = Text(zh_hans="", en="")


def _present[T](values: Iterable[T | None]) -> tuple[T, ...]:
    """Return the values that were read without a problem, in order."""
    return tuple(value for value in values if value is not None)


def _neighbours[T](values: Sequence[T | None]) -> Iterator[tuple[int, T, T]]:
    """Yield (index, previous, current) for each adjacent pair where both were read cleanly."""
    for index in range(1, len(values)):
        previous, current = values[index - 1], values[index]
        if previous is not None and current is not None:
            yield index, previous, current


def _register(errors: _Errors, registry: dict[Any, str], key: object, path: str, what: str) -> None:
    """Record key as defined at path, or report it as a duplicate of an earlier one."""
    if key in registry:
        errors.add(path, f"duplicate {what} {key!r} (first at {registry[key]})")
    else:
        registry[key] = path


# --------------------------------------------------------------------------- the definition

_TOP_REQUIRED = ("questionnaire", "levels", "dimensions", "recommendations")


class _Seen(NamedTuple):
    position: int
    path: str


@dataclass(frozen=True, slots=True)
class _PendingDependency:
    path: str
    position: int
    dependency: Dependency


@dataclass
class _Context:
    """What has been read so far, for checking references between parts of the file."""

    errors: _Errors
    question_count: int = 0
    questions_seen: dict[str, _Seen] = field(default_factory=dict)  # every code, file order
    questions: dict[str, Question] = field(default_factory=dict)  # those read cleanly
    dependencies: list[_PendingDependency] = field(default_factory=list)
    # None when the section is missing or not a list: references to it are then not checked.
    dimension_codes: dict[str, str] | None = None
    level_numbers: set[int] | None = None
    covered: set[tuple[str, int]] = field(default_factory=set)


def _definition(context: _Context, node: _Node) -> Definition | None:
    """Return the whole definition, or None if any part of it has a problem."""
    header = node.child("questionnaire", required=("code", "version", "title", "description"))
    code = header.read("code", _SLUG, "")
    version = header.read("version", _positive_integer, 0)
    title = header.read("title", _text, _NO_TEXT)
    description = header.read("description", _text, _NO_TEXT)
    dimensions = _dimensions(context, node)
    _check_dependencies(context)
    levels = _levels(context, node)
    definition = Definition(
        code=code,
        version=version,
        title=title,
        description=description,
        levels=levels,
        dimensions=dimensions,
        recommendations=_recommendations(context, node),
        consistency=_consistency_rules(context, node),
    )
    return None if node.failed else definition


# --------------------------------------------------------------------------- dimensions


def _dimensions(context: _Context, node: _Node) -> tuple[Dimension, ...]:
    """Return the dimensions read cleanly; registers every dimension and question code."""
    if node.is_list("dimensions"):
        context.dimension_codes = {}
    return _present(_dimension(context, path, raw) for path, raw in node.items("dimensions"))


def _dimension(context: _Context, path: str, raw: object) -> Dimension | None:
    """Return the dimension, or None if it or one of its questions has a problem."""
    required = ("code", "weight", "name", "description", "questions")
    node = _Node(context.errors, raw, path, required=required, optional=("critical",))
    code = node.read("code", _DIMENSION_CODE, "")
    if node.valid("code") and context.dimension_codes is not None:
        _register(context.errors, context.dimension_codes, code, node.at("code"), "dimension code")
    weight = node.read("weight", _positive, 0.0)
    critical = node.read("critical", _boolean, False)
    name = node.read("name", _text, _NO_TEXT)
    description = node.read("description", _text, _NO_TEXT)
    questions = [_question(context, code, path, raw) for path, raw in node.items("questions")]
    dimension = Dimension(
        code=code,
        weight=weight,
        critical=critical,
        name=name,
        description=description,
        questions=_present(questions),
    )
    return None if node.failed else dimension


# --------------------------------------------------------------------------- questions

_QUESTION_REQUIRED = ("code", "type", "text")
_QUESTION_OPTIONAL = ("help", "allow_na", "depends_on")
_TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.LEVEL: ("weight", "options"),
    QuestionType.CHOICE: ("weight", "options"),
    QuestionType.CHECKLIST: ("weight", "items"),
    QuestionType.KPI: ("weight", "unit", "min", "max", "bands"),
    QuestionType.TEXT: (),
}
_TYPE_NAMES = frozenset(kind.value for kind in QuestionType)
_ALL_TYPE_KEYS = tuple(dict.fromkeys(key for keys in _TYPE_KEYS.values() for key in keys))


def _question(context: _Context, dimension: str, path: str, raw: object) -> Question | None:
    """Return the question, or None if it has a problem; its code is registered either way."""
    node, kind = _question_node(context.errors, path, raw)
    code = node.read("code", _QUESTION_CODE, "")
    position = _register_question(context, node, code)
    question = Question(
        code=code,
        dimension=dimension,
        type=node.read("type", _QUESTION_TYPE, QuestionType.TEXT),
        weight=node.read("weight", _positive, 0.0),
        text=node.read("text", _text, _NO_TEXT),
        help=node.read("help", _text, None),
        allow_na=node.read("allow_na", _boolean, False),
        depends_on=_dependency(context, node, position),
        **(_TYPE_FIELDS[kind](node) if kind else {}),
    )
    if node.failed:
        return None
    context.questions[code] = question
    return question


def _question_node(errors: _Errors, path: str, raw: object) -> tuple[_Node, QuestionType | None]:
    """Return the question's node, its keys checked for its type, and the type if valid."""
    kind = _peek_type(raw)
    if kind is None:  # check what can be checked without knowing the type
        optional = (*_QUESTION_OPTIONAL, *_ALL_TYPE_KEYS)
        return _Node(errors, raw, path, required=_QUESTION_REQUIRED, optional=optional), None
    own = _TYPE_KEYS[kind]
    misplaced = {
        key: f"not allowed on a {kind} question" for key in _ALL_TYPE_KEYS if key not in own
    }
    required = (*_QUESTION_REQUIRED, *own)
    node = _Node(
        errors, raw, path, required=required, optional=_QUESTION_OPTIONAL, misplaced=misplaced
    )
    return node, kind


def _peek_type(raw: object) -> QuestionType | None:
    """Return the question type named in raw, or None if there is no valid one."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    return QuestionType(kind) if isinstance(kind, str) and kind in _TYPE_NAMES else None


def _register_question(context: _Context, node: _Node, code: str) -> int:
    """Return the question's position in the file; reports a code used before."""
    position = context.question_count
    context.question_count += 1
    if not node.valid("code"):
        return position
    seen = context.questions_seen.get(code)
    if seen is not None:
        node.errors.add(node.at("code"), f"duplicate question code {code!r} (first at {seen.path})")
    else:
        context.questions_seen[code] = _Seen(position, node.at("code"))
    return position


def _dependency(context: _Context, node: _Node, position: int) -> Dependency | None:
    """Return the question's depends_on, queued to be checked once all questions are known."""
    if not node.has("depends_on"):
        return None
    child = node.child("depends_on", required=("question", "values"))
    dependency = Dependency(
        question=child.read("question", _string, ""), values=_option_values(child, "values")
    )
    if not child.failed:
        context.dependencies.append(_PendingDependency(child.path, position, dependency))
    return dependency


def _option_values(node: _Node, key: str) -> tuple[int | str, ...]:
    """Return the option values listed under key; the key is invalid if any is not one."""
    values = [_option_value(node.errors, raw, path) for path, raw in node.items(key)]
    if None in values:
        node.invalidate(key)
    return _present(values)


def _check_dependencies(context: _Context) -> None:
    """Report each depends_on naming an unknown or later question, or values it cannot have."""
    for pending in context.dependencies:
        path, code = f"{pending.path}.question", pending.dependency.question
        seen = context.questions_seen.get(code)
        if seen is None:
            context.errors.add(path, f"unknown question {code!r}")
        elif seen.position >= pending.position:
            context.errors.add(path, f"must name an earlier question; {code!r} is not before it")
        elif (target := context.questions.get(code)) is not None:
            _check_dependency_target(context.errors, pending, target)


def _check_dependency_target(
    errors: _Errors, pending: _PendingDependency, target: Question
) -> None:
    """Report a depends_on target of the wrong type or values it cannot have."""
    if target.type not in (QuestionType.LEVEL, QuestionType.CHOICE):
        problem = f"{target.code!r} is a {target.type} question; use a level or choice question"
        errors.add(f"{pending.path}.question", problem)
        return
    _check_option_values(errors, f"{pending.path}.values", pending.dependency.values, target)


def _check_option_values(
    errors: _Errors, path: str, values: Sequence[int | str], question: Question
) -> None:
    """Report each value that is not among the question's option values."""
    allowed = [option.value for option in question.options]
    listed = ", ".join(str(value) for value in allowed)
    for index, value in enumerate(values):
        if value not in allowed:
            errors.add(
                f"{path}[{index}]", f"{value!r} is not an option of {question.code} ({listed})"
            )


# --------------------------------------------------------------------------- answer types


def _level_fields(node: _Node) -> dict[str, Any]:
    """Return the options of a level question: values 0–5 in order, scores not decreasing."""
    paths, options = _options(node, level=True)
    if options and None not in options:
        found = ", ".join(str(option.value) for option in _present(options))
        if tuple(option.value for option in _present(options)) != LEVEL_VALUES:
            problem = f"must list exactly the values 0, 1, 2, 3, 4, 5 in order (found {found})"
            node.errors.add(node.at("options"), problem)
    for index, previous, option in _neighbours(options):
        if option.score < previous.score:
            problem = (
                f"must not be lower than the score for value {previous.value} ({previous.score:g})"
            )
            node.errors.add(f"{paths[index]}.score", problem)
    return {"options": _present(options)}


def _choice_fields(node: _Node) -> dict[str, Any]:
    """Return the options of a choice question: at least two, with unique slug values."""
    paths, options = _options(node, level=False)
    if len(paths) == 1:
        node.errors.add(node.at("options"), "a choice question needs at least two options")
    return {"options": _present(options)}


def _options(node: _Node, *, level: bool) -> tuple[list[str], list[Option | None]]:
    """Return the paths and options (None where invalid); reports duplicate values."""
    items = node.items("options")
    options = [_option(node.errors, path, raw, level=level) for path, raw in items]
    registry: dict[Any, str] = {}
    for (path, _), option in zip(items, options, strict=True):
        if option is not None:
            _register(node.errors, registry, option.value, f"{path}.value", "option value")
    return [path for path, _ in items], options


def _option(errors: _Errors, path: str, raw: object, *, level: bool) -> Option | None:
    """Return the option (descriptor required on level options), or None if invalid."""
    descriptor = ("descriptor",)  # required on level options, optional on choice options
    required = ("value", "score", "label", *(descriptor if level else ()))
    node = _Node(errors, raw, path, required=required, optional=() if level else descriptor)
    option = Option(
        value=node.read("value", _level_value if level else _SLUG, 0),
        score=node.read("score", _score, 0.0),
        label=node.read("label", _text, _NO_TEXT),
        descriptor=node.read("descriptor", _text, None),
    )
    return None if node.failed else option


def _checklist_fields(node: _Node) -> dict[str, Any]:
    """Return the items of a checklist question, with codes unique within it."""
    registry: dict[Any, str] = {}
    items = [_checklist_item(node.errors, registry, path, raw) for path, raw in node.items("items")]
    return {"items": _present(items)}


def _checklist_item(
    errors: _Errors, registry: dict[Any, str], path: str, raw: object
) -> ChecklistItem | None:
    """Return the item, or None if invalid; reports a code used before in the question."""
    node = _Node(errors, raw, path, required=("code", "weight", "label"))
    code = node.read("code", _ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        _register(errors, registry, code, node.at("code"), "item code")
    item = ChecklistItem(
        code=code,
        weight=node.read("weight", _positive, 0.0),
        label=node.read("label", _text, _NO_TEXT),
    )
    return None if node.failed else item


def _kpi_fields(node: _Node) -> dict[str, Any]:
    """Return unit, range and bands of a KPI question; min is below max."""
    minimum = node.read("min", _number, None)
    maximum = node.read("max", _number, None)
    if minimum is not None and maximum is not None and minimum >= maximum:
        node.errors.add(node.at("max"), f"must be greater than min ({minimum:g})")
    return {
        "unit": node.read("unit", _text, _NO_TEXT),
        "minimum": minimum,
        "maximum": maximum,
        "bands": _bands(node, minimum, maximum),
    }


def _bands(node: _Node, minimum: float | None, maximum: float | None) -> tuple[KpiBand, ...]:
    """Return the bands: the first starts at min, each later one higher, none above max."""
    items = node.items("bands")
    bands = [_band(node.errors, path, raw) for path, raw in items]
    paths = [f"{path}.from" for path, _ in items]
    if bands and bands[0] is not None and minimum is not None and bands[0].start != minimum:
        node.errors.add(paths[0], f"must equal min ({minimum:g})")
    for index, previous, band in _neighbours(bands):
        if band.start <= previous.start:
            node.errors.add(
                paths[index], f"must be greater than the previous from ({previous.start:g})"
            )
    for path, band in zip(paths, bands, strict=True):
        if band is not None and maximum is not None and band.start > maximum:
            node.errors.add(path, f"must not be greater than max ({maximum:g})")
    return _present(bands)


def _band(errors: _Errors, path: str, raw: object) -> KpiBand | None:
    """Return the band (YAML `from` becomes `start`), or None if invalid."""
    node = _Node(errors, raw, path, required=("from", "score"))
    band = KpiBand(start=node.read("from", _number, 0.0), score=node.read("score", _score, 0.0))
    return None if node.failed else band


def _no_fields(node: _Node) -> dict[str, Any]:
    return {}


_TYPE_FIELDS: dict[QuestionType, Callable[[_Node], dict[str, Any]]] = {
    QuestionType.LEVEL: _level_fields,
    QuestionType.CHOICE: _choice_fields,
    QuestionType.CHECKLIST: _checklist_fields,
    QuestionType.KPI: _kpi_fields,
    QuestionType.TEXT: _no_fields,
}


# --------------------------------------------------------------------------- levels


def _levels(context: _Context, node: _Node) -> tuple[Level, ...]:
    """Return the levels: numbered 1, 2, …; min_score from 0 rising; critical_floor not falling."""
    if node.is_list("levels"):
        context.level_numbers = set()
    items = node.items("levels")
    levels = [_level(context, path, raw) for path, raw in items]
    paths = [path for path, _ in items]
    if levels and levels[0] is not None:
        _check_first_level(context.errors, paths[0], levels[0])
    for index, previous, level in _neighbours(levels):
        _check_level_step(context.errors, paths[index], previous, level)
    return _present(levels)


def _level(context: _Context, path: str, raw: object) -> Level | None:
    """Return the level, or None if invalid; registers its number for references."""
    required = ("number", "name", "description", "min_score")
    node = _Node(context.errors, raw, path, required=required, optional=("critical_floor", "gates"))
    number = node.read("number", _positive_integer, 0)
    if node.valid("number") and context.level_numbers is not None:
        context.level_numbers.add(number)
    level = Level(
        number=number,
        name=node.read("name", _text, _NO_TEXT),
        description=node.read("description", _text, _NO_TEXT),
        min_score=node.read("min_score", _score, 0.0),
        critical_floor=node.read("critical_floor", _score, 0.0),
        gates=_present(
            _gate(context, path, raw) for path, raw in node.items("gates", nonempty=False)
        ),
    )
    return None if node.failed else level


def _check_first_level(errors: _Errors, path: str, level: Level) -> None:
    """Report a first level not numbered 1 or not starting at min_score 0."""
    if level.number != 1:
        errors.add(f"{path}.number", "must be 1: levels are numbered 1, 2, 3, … in order")
    if level.min_score != 0:
        errors.add(f"{path}.min_score", "must be 0 for the first level")


def _check_level_step(errors: _Errors, path: str, previous: Level, level: Level) -> None:
    """Report a level that does not follow on from the previous one."""
    if level.number != previous.number + 1:
        errors.add(f"{path}.number", f"must be {previous.number + 1}: levels are consecutive")
    if level.min_score <= previous.min_score:
        problem = f"must be greater than the previous level's ({previous.min_score:g})"
        errors.add(f"{path}.min_score", problem)
    if level.critical_floor < previous.critical_floor:
        problem = f"must not be lower than the previous level's ({previous.critical_floor:g})"
        errors.add(f"{path}.critical_floor", problem)


def _gate(context: _Context, path: str, raw: object) -> Gate | None:
    """Return the gate: a floor on exactly one known dimension or scored question."""
    node = _Node(
        context.errors, raw, path, required=("min_score",), optional=("dimension", "question")
    )
    if node.is_mapping and node.has("dimension") == node.has("question"):
        node.errors.add(path, "needs exactly one of dimension or question")
    question = _question_reference(context, node)
    target = context.questions.get(question) if question else None
    if target is not None and not target.scored:
        node.errors.add(node.at("question"), f"{question!r} is a text question and has no score")
    gate = Gate(
        min_score=node.read("min_score", _score, 0.0),
        dimension=_dimension_reference(context, node),
        question=question,
    )
    return None if node.failed else gate


def _dimension_reference(context: _Context, node: _Node) -> str | None:
    """Return the code under `dimension` (None if absent or invalid); reports an unknown one."""
    code = node.read("dimension", _string, None)
    known = context.dimension_codes
    if code is not None and known is not None and code not in known:
        node.errors.add(node.at("dimension"), f"unknown dimension {code!r}")
    return code


def _question_reference(context: _Context, node: _Node) -> str | None:
    """Return the code under `question` (None if absent or invalid); reports an unknown one."""
    code = node.read("question", _string, None)
    questions_known = context.dimension_codes is not None
    if code is not None and questions_known and code not in context.questions_seen:
        node.errors.add(node.at("question"), f"unknown question {code!r}")
    return code


# --------------------------------------------------------------------------- recommendations

_RECOMMENDATION_KEYS = ("dimension", "levels", "horizon", "effort", "title", "text")


def _recommendations(context: _Context, node: _Node) -> tuple[Recommendation, ...]:
    """Return the recommendations; reports each dimension × level that none covers."""
    items = node.items("recommendations")
    recommendations = [_recommendation(context, path, raw) for path, raw in items]
    if node.is_list("recommendations"):
        _check_coverage(context, node.at("recommendations"))
    return _present(recommendations)


def _recommendation(context: _Context, path: str, raw: object) -> Recommendation | None:
    """Return the recommendation, or None if invalid; records what it covers."""
    node = _Node(context.errors, raw, path, required=_RECOMMENDATION_KEYS)
    dimension = _dimension_reference(context, node)
    levels = _level_references(context, node)
    if dimension is not None:
        context.covered.update((dimension, level) for level in levels)
    recommendation = Recommendation(
        dimension=dimension or "",
        levels=levels,
        horizon=node.read("horizon", _HORIZON, Horizon.NOW),
        effort=node.read("effort", _EFFORT, Effort.LOW),
        title=node.read("title", _text, _NO_TEXT),
        text=node.read("text", _text, _NO_TEXT),
    )
    return None if node.failed else recommendation


def _level_references(context: _Context, node: _Node) -> tuple[int, ...]:
    """Return the level numbers under `levels`; reports those no level has."""
    numbers = []
    for path, raw in node.items("levels"):
        number = _positive_integer(context.errors, raw, path)
        if number is None:
            continue
        if context.level_numbers is not None and number not in context.level_numbers:
            context.errors.add(path, f"unknown level {number}")
        numbers.append(number)
    return tuple(numbers)


def _check_coverage(context: _Context, path: str) -> None:
    """Report every dimension × level that no recommendation applies to."""
    if context.dimension_codes is None or context.level_numbers is None:
        return
    for dimension in context.dimension_codes:
        for level in sorted(context.level_numbers):
            if (dimension, level) not in context.covered:
                problem = f"no recommendation for dimension {dimension!r} at level {level}"
                context.errors.add(path, problem)


# --------------------------------------------------------------------------- consistency

_COMPARISON_FIELDS = {
    "in": "in_",
    "not_in": "not_in",
    "min": "min",
    "max": "max",
    "includes": "includes",
    "excludes": "excludes",
}
_OPTION_TYPES = (QuestionType.LEVEL, QuestionType.CHOICE)
_BOUND_TYPES = (QuestionType.LEVEL, QuestionType.KPI)
_ITEM_TYPES = (QuestionType.CHECKLIST,)
_COMPARISON_TYPES: dict[str, tuple[QuestionType, ...]] = {
    "in": _OPTION_TYPES,
    "not_in": _OPTION_TYPES,
    "min": _BOUND_TYPES,
    "max": _BOUND_TYPES,
    "includes": _ITEM_TYPES,
    "excludes": _ITEM_TYPES,
}


def _consistency_rules(context: _Context, node: _Node) -> tuple[ConsistencyRule, ...]:
    """Return the consistency rules, with codes unique in the file."""
    codes: dict[Any, str] = {}
    items = node.items("consistency", nonempty=False)
    return _present(_consistency_rule(context, codes, path, raw) for path, raw in items)


def _consistency_rule(
    context: _Context, codes: dict[Any, str], path: str, raw: object
) -> ConsistencyRule | None:
    """Return the rule, or None if invalid; reports a code used before."""
    node = _Node(context.errors, raw, path, required=("code", "message", "when"))
    code = node.read("code", _ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        _register(context.errors, codes, code, node.at("code"), "rule code")
    conditions = [
        _condition(context, path, raw) for path, raw in node.items("when", nonempty=False)
    ]
    if node.is_list("when") and len(conditions) < 2:
        node.errors.add(node.at("when"), "a rule needs at least two conditions")
    rule = ConsistencyRule(
        code=code, message=node.read("message", _text, _NO_TEXT), when=_present(conditions)
    )
    return None if node.failed else rule


def _condition(context: _Context, path: str, raw: object) -> Condition | None:
    """Return the condition: a known question and exactly one comparison valid for its type."""
    node = _Node(
        context.errors, raw, path, required=("question",), optional=tuple(_COMPARISON_FIELDS)
    )
    code = _question_reference(context, node)
    question = context.questions.get(code) if code else None
    comparisons = {
        _COMPARISON_FIELDS[key]: _comparison(node, key, question) for key in _comparison_keys(node)
    }
    condition = Condition(question=code or "", **comparisons)
    return None if node.failed else condition


def _comparison_keys(node: _Node) -> list[str]:
    """Return the comparison keys present; reports a condition without exactly one."""
    keys = [key for key in _COMPARISON_FIELDS if node.has(key)]
    if node.is_mapping and not keys:
        node.errors.add(node.path, f"needs one of: {', '.join(_COMPARISON_FIELDS)}")
    elif len(keys) > 1:
        node.errors.add(node.path, f"has several comparisons ({', '.join(keys)}); use exactly one")
    return keys


def _comparison(node: _Node, key: str, question: Question | None) -> Any:
    """Return the comparison's value, checked against the question when that is known."""
    value = _COMPARISON_READERS[key](node, key)
    if question is None or not node.valid(key):
        return value
    types = _COMPARISON_TYPES[key]
    if question.type not in types:
        allowed = " or ".join(types)
        problem = f"does not apply to {question.code}, a {question.type} question ({allowed} only)"
        node.errors.add(node.at(key), problem)
    else:
        _COMPARISON_CHECKS[key](node.errors, node.at(key), value, question)
    return value


def _read_bound(node: _Node, key: str) -> float:
    return node.read(key, _number, 0.0)


def _read_item(node: _Node, key: str) -> str:
    return node.read(key, _string, "")


def _check_bound(errors: _Errors, path: str, bound: float, question: Question) -> None:
    """Report a bound outside the question's range (0–5 for levels, min–max for KPIs)."""
    if question.type is QuestionType.LEVEL:
        low, high = 0.0, 5.0
    else:
        low, high = question.minimum, question.maximum
    if low is not None and high is not None and not low <= bound <= high:
        errors.add(path, f"must be between {low:g} and {high:g}, the range of {question.code}")


def _check_item(errors: _Errors, path: str, code: str, question: Question) -> None:
    """Report an item code that the checklist question does not have."""
    codes = [item.code for item in question.items]
    if code not in codes:
        errors.add(path, f"{code!r} is not an item of {question.code} ({', '.join(codes)})")


_COMPARISON_READERS: dict[str, Callable[[_Node, str], Any]] = {
    "in": _option_values,
    "not_in": _option_values,
    "min": _read_bound,
    "max": _read_bound,
    "includes": _read_item,
    "excludes": _read_item,
}
_COMPARISON_CHECKS: dict[str, Callable[[_Errors, str, Any, Question], None]] = {
    "in": _check_option_values,
    "not_in": _check_option_values,
    "min": _check_bound,
    "max": _check_bound,
    "includes": _check_item,
    "excludes": _check_item,
}
