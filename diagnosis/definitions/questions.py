"""Dimensions, questions and their answer types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from diagnosis.definitions.conditions import read_conditions
from diagnosis.definitions.errors import Problems
from diagnosis.definitions.frameworks import FRAMEWORK_CODES, FRAMEWORKS_FILE
from diagnosis.definitions.references import (
    Context,
    PendingDependency,
    PendingInputs,
    register_question,
)
from diagnosis.definitions.values import (
    BETTER,
    COMPARISON_KEY,
    COMPARISON_KEY_LENGTH,
    DIMENSION_CODE,
    FRAMEWORK_ITEM_CODE,
    ITEM_OR_RULE_CODE,
    LEVEL_VALUES,
    NO_TEXT,
    QUESTION_CODE,
    QUESTION_TYPE,
    ROLE,
    SLUG,
    Node,
    neighbours,
    present,
    read_boolean,
    read_level_value,
    read_number,
    read_option_values,
    read_positive,
    read_score,
    read_string,
    read_text,
    register,
)
from diagnosis.scoring.definition import (
    COMPUTED_TYPES,
    ChecklistItem,
    Condition,
    Dependency,
    DimensionSpec,
    KpiBand,
    OptionSpec,
    QuestionSpec,
    QuestionType,
    Scenario,
)


def read_dimensions(context: Context, node: Node) -> tuple[DimensionSpec, ...]:
    """Return the dimensions read cleanly; registers every dimension and question code."""
    if node.is_list("dimensions"):
        context.dimension_codes = {}
    dimensions = present(_dimension(context, path, raw) for path, raw in node.items("dimensions"))
    _check_comparison_keys(context)
    return dimensions


def _dimension(context: Context, path: str, raw: object) -> DimensionSpec | None:
    """Return the dimension, or None if it or one of its questions has a problem."""
    required = ("code", "weight", "name", "description", "questions")
    optional = ("critical", "banded", "compares_as")
    node = Node(context.errors, raw, path, required=required, optional=optional)
    code = node.read("code", DIMENSION_CODE, "")
    if node.valid("code") and context.dimension_codes is not None:
        register(context.errors, context.dimension_codes, code, node.at("code"), "dimension code")
    compares_as = _comparison_key(context, node, code)
    weight = node.read("weight", read_positive, 0.0)
    critical = node.read("critical", read_boolean, False)
    banded = node.read("banded", read_boolean, True)
    if not banded:
        context.unbanded.add(code)
    name = node.read("name", read_text, NO_TEXT)
    description = node.read("description", read_text, NO_TEXT)
    questions = [_question(context, code, path, raw) for path, raw in node.items("questions")]
    dimension = DimensionSpec(
        code=code,
        weight=weight,
        critical=critical,
        name=name,
        description=description,
        questions=present(questions),
        banded=banded,
        compares_as=compares_as,
    )
    return None if node.failed else dimension


def _comparison_key(context: Context, node: Node, code: str) -> str:
    """Return the dimension's `compares_as` ("" when absent: the code is its key), queued
    to be checked against every dimension's key once all dimensions are read."""
    key = node.read("compares_as", COMPARISON_KEY, "")
    if not key or not node.valid("compares_as"):
        return key
    path = node.at("compares_as")
    if len(key) > COMPARISON_KEY_LENGTH:
        problem = f"must be at most {COMPARISON_KEY_LENGTH} characters (got {len(key)})"
        node.errors.add(path, problem)
    elif key == code:
        node.errors.add(path, "is the dimension's own code, its key anyway: leave it out")
    else:
        context.comparison_keys.append((path, key, code))
    return key


def _check_comparison_keys(context: Context) -> None:
    """Report a `compares_as` that another dimension of the file has as its key too (its
    own `compares_as`, or its code when it has none): two dimensions of one version would
    then compare with the same dimension of another."""
    keyed = {code for _path, _key, code in context.comparison_keys}
    codes = {code: path for code, path in (context.dimension_codes or {}).items()}
    seen: dict[str, str] = {}
    for path, key, _code in context.comparison_keys:
        if key in codes and key not in keyed:
            problem = (
                f"{key!r} is the code, and so the comparison key, of the dimension at "
                f"{codes[key]}: each dimension needs its own key"
            )
            context.errors.add(path, problem)
        else:
            register(context.errors, seen, key, path, "comparison key")


_QUESTION_REQUIRED = ("code", "type", "text")


_QUESTION_OPTIONAL = (
    "help",
    "allow_na",
    "depends_on",
    "role",
    "evidence",
    "covers",
    "show_when",
    "na_default_when",
    "unscored",
    "scenario",
    "cmmm",
)


# The keys each type requires, then those it may have.
_TYPE_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.LEVEL: ("weight", "options"),
    QuestionType.CHOICE: ("weight", "options"),
    QuestionType.CHECKLIST: ("weight", "items"),
    QuestionType.KPI: ("weight", "unit", "min", "max", "bands"),
    QuestionType.TEXT: (),
    QuestionType.NUMBER: ("unit", "min", "max"),
    QuestionType.RATE: ("numerator", "denominator", "weight", "bands"),
    QuestionType.TREND: ("current", "previous", "better", "weight"),
}


_TYPE_OPTIONAL_KEYS: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.NUMBER: ("integer",),
    QuestionType.TREND: ("per_current", "per_previous"),
}


_ASKED = frozenset(QuestionType) - COMPUTED_TYPES


# Common keys that only some types may have.
_KEY_TYPES: dict[str, frozenset[QuestionType]] = {
    "unscored": frozenset(
        {QuestionType.LEVEL, QuestionType.CHOICE, QuestionType.CHECKLIST, QuestionType.NUMBER}
    ),
    "scenario": frozenset({QuestionType.LEVEL}),
    "cmmm": frozenset({QuestionType.LEVEL}),
    "allow_na": _ASKED,
    "na_default_when": _ASKED,
    "depends_on": _ASKED,
}


_TYPE_NAMES = frozenset(kind.value for kind in QuestionType)


_ALL_TYPE_KEYS = tuple(
    dict.fromkeys(
        key for keys in (*_TYPE_KEYS.values(), *_TYPE_OPTIONAL_KEYS.values()) for key in keys
    )
)


def _question(context: Context, dimension: str, path: str, raw: object) -> QuestionSpec | None:
    """Return the question, or None if it has a problem; its code is registered either way."""
    node, kind = _question_node(context.errors, path, raw)
    code = node.read("code", QUESTION_CODE, "")
    position = register_question(context, node, code)
    question = QuestionSpec(
        code=code,
        dimension=dimension,
        type=node.read("type", QUESTION_TYPE, QuestionType.TEXT),
        weight=node.read("weight", read_positive, 0.0),
        text=node.read("text", read_text, NO_TEXT),
        help=node.read("help", read_text, None),
        allow_na=node.read("allow_na", read_boolean, False),
        depends_on=_dependency(context, node, position),
        role=node.read("role", ROLE, None),
        evidence=node.read("evidence", read_text, None),
        covers=_covers(context, node),
        show_when=read_conditions(context, node, "show_when", minimum=1, answers=False),
        na_default_when=_na_default_when(context, node),
        unscored=node.read("unscored", read_boolean, False),
        scenario=_scenario(context, node),
        cmmm=_framework_codes(context, node, "cmmm", "cmmm"),
        **(_TYPE_FIELDS[kind](context, node, position) if kind else {}),
    )
    if node.failed:
        return None
    context.questions[code] = question
    return question


def _question_node(errors: Problems, path: str, raw: object) -> tuple[Node, QuestionType | None]:
    """Return the question's node, its keys checked for its type, and the type if valid."""
    kind = _peek_type(raw)
    if kind is None:  # check what can be checked without knowing the type
        optional = (*_QUESTION_OPTIONAL, *_ALL_TYPE_KEYS)
        return Node(errors, raw, path, required=_QUESTION_REQUIRED, optional=optional), None
    own = _TYPE_KEYS[kind]
    optional = _TYPE_OPTIONAL_KEYS.get(kind, ())
    misplaced = {
        key: f"not allowed on a {kind} question"
        for key in (*_ALL_TYPE_KEYS, *_KEY_TYPES)
        if key not in (*own, *optional) and kind not in _KEY_TYPES.get(key, frozenset())
    }
    if kind in _KEY_TYPES["unscored"] and isinstance(raw, dict) and raw.get("unscored") is True:
        own = tuple(key for key in own if key != "weight")
        misplaced["weight"] = "not allowed on an unscored question (it has no weight)"
    required = (*_QUESTION_REQUIRED, *own)
    node = Node(
        errors,
        raw,
        path,
        required=required,
        optional=(*_QUESTION_OPTIONAL, *optional),
        misplaced=misplaced,
    )
    return node, kind


def _peek_type(raw: object) -> QuestionType | None:
    """Return the question type named in raw, or None if there is no valid one."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    return QuestionType(kind) if isinstance(kind, str) and kind in _TYPE_NAMES else None


def _na_default_when(context: Context, node: Node) -> tuple[Condition, ...]:
    """Return the profile conditions under which no answer counts as "not applicable";
    only a question with ``allow_na: true`` may have them."""
    if node.has("na_default_when") and node.data.get("allow_na") is not True:
        problem = "allowed only on a question with allow_na: true (it presets 'not applicable')"
        node.errors.add(node.at("na_default_when"), problem)
    return read_conditions(context, node, "na_default_when", minimum=1, answers=False)


def _dependency(context: Context, node: Node, position: int) -> Dependency | None:
    """Return the question's depends_on, queued to be checked once all questions are known."""
    if not node.has("depends_on"):
        return None
    child = node.child("depends_on", required=("question", "values"))
    dependency = Dependency(
        question=child.read("question", read_string, ""), values=read_option_values(child, "values")
    )
    if not child.failed:
        context.dependencies.append(PendingDependency(child.path, position, dependency))
    return dependency


def _level_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return the options of a level question: values 0–5 in order, scores not decreasing."""
    paths, options = _options(node, level=True)
    if options and None not in options:
        found = ", ".join(str(option.value) for option in present(options))
        if tuple(option.value for option in present(options)) != LEVEL_VALUES:
            problem = f"must list exactly the values 0, 1, 2, 3, 4, 5 in order (found {found})"
            node.errors.add(node.at("options"), problem)
    for index, previous, option in neighbours(options):
        if option.score < previous.score:
            problem = (
                f"must not be lower than the score for value {previous.value} ({previous.score:g})"
            )
            node.errors.add(f"{paths[index]}.score", problem)
    return {"options": present(options)}


def _choice_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return the options of a choice question: at least two, with unique slug values."""
    paths, options = _options(node, level=False)
    if len(paths) == 1:
        node.errors.add(node.at("options"), "a choice question needs at least two options")
    return {"options": present(options)}


def _options(node: Node, *, level: bool) -> tuple[list[str], list[OptionSpec | None]]:
    """Return the paths and options (None where invalid); reports duplicate values."""
    items = node.items("options")
    options = [_option(node.errors, path, raw, level=level) for path, raw in items]
    registry: dict[Any, str] = {}
    for (path, _), option in zip(items, options, strict=True):
        if option is not None:
            register(node.errors, registry, option.value, f"{path}.value", "option value")
    return [path for path, _ in items], options


def _option(errors: Problems, path: str, raw: object, *, level: bool) -> OptionSpec | None:
    """Return the option (descriptor required on level options), or None if invalid."""
    descriptor = ("descriptor",)  # required on level options, optional on choice options
    required = ("value", "score", "label", *(descriptor if level else ()))
    node = Node(errors, raw, path, required=required, optional=() if level else descriptor)
    # Two calls: mypy cannot infer the value's type through one reader of two kinds.
    value = node.read("value", read_level_value, 0) if level else node.read("value", SLUG, 0)
    option = OptionSpec(
        value=value,
        score=node.read("score", read_score, 0.0),
        label=node.read("label", read_text, NO_TEXT),
        descriptor=node.read("descriptor", read_text, None),
    )
    return None if node.failed else option


def _checklist_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return the items of a checklist question, with codes unique within it."""
    registry: dict[Any, str] = {}
    items = [_checklist_item(node.errors, registry, path, raw) for path, raw in node.items("items")]
    return {"items": present(items)}


def _checklist_item(
    errors: Problems, registry: dict[Any, str], path: str, raw: object
) -> ChecklistItem | None:
    """Return the item, or None if invalid; reports a code used before in the question."""
    node = Node(errors, raw, path, required=("code", "weight", "label"))
    code = node.read("code", ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        register(errors, registry, code, node.at("code"), "item code")
    item = ChecklistItem(
        code=code,
        weight=node.read("weight", read_positive, 0.0),
        label=node.read("label", read_text, NO_TEXT),
    )
    return None if node.failed else item


def _kpi_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return unit, range and bands of a KPI question; min is below max."""
    minimum = node.read("min", read_number, None)
    maximum = node.read("max", read_number, None)
    if minimum is not None and maximum is not None and minimum >= maximum:
        node.errors.add(node.at("max"), f"must be greater than min ({minimum:g})")
    return {
        "unit": node.read("unit", read_text, NO_TEXT),
        "minimum": minimum,
        "maximum": maximum,
        "bands": _bands(node, minimum, maximum),
    }


def _bands(node: Node, minimum: float | None, maximum: float | None) -> tuple[KpiBand, ...]:
    """Return the bands: the first starts at min, each later one higher, none above max."""
    items = node.items("bands")
    bands = [_band(node.errors, path, raw) for path, raw in items]
    paths = [f"{path}.from" for path, _ in items]
    if bands and bands[0] is not None and minimum is not None and bands[0].start != minimum:
        node.errors.add(paths[0], f"must equal min ({minimum:g})")
    for index, previous, band in neighbours(bands):
        if band.start <= previous.start:
            node.errors.add(
                paths[index], f"must be greater than the previous from ({previous.start:g})"
            )
    for path, read in zip(paths, bands, strict=True):
        if read is not None and maximum is not None and read.start > maximum:
            node.errors.add(path, f"must not be greater than max ({maximum:g})")
    return present(bands)


def _band(errors: Problems, path: str, raw: object) -> KpiBand | None:
    """Return the band (YAML `from` becomes `start`), or None if invalid."""
    node = Node(errors, raw, path, required=("from", "score"))
    band = KpiBand(
        start=node.read("from", read_number, 0.0), score=node.read("score", read_score, 0.0)
    )
    return None if node.failed else band


def _no_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    return {}


def _number_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return unit, range and integer flag of a number question; min is below max."""
    minimum = node.read("min", read_number, None)
    maximum = node.read("max", read_number, None)
    if minimum is not None and maximum is not None and minimum >= maximum:
        node.errors.add(node.at("max"), f"must be greater than min ({minimum:g})")
    return {
        "unit": node.read("unit", read_text, NO_TEXT),
        "minimum": minimum,
        "maximum": maximum,
        "integer": node.read("integer", read_boolean, False),
    }


def _rate_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return the inputs and bands (on the percentage 0–100) of a rate question."""
    return {
        "numerator": _input(context, node, position, "numerator"),
        "denominator": _input(context, node, position, "denominator"),
        "bands": _bands(node, 0.0, 100.0),
    }


def _trend_fields(context: Context, node: Node, position: int) -> dict[str, Any]:
    """Return the inputs and direction of a trend question; per_* come both or neither."""
    if node.has("per_current") != node.has("per_previous"):
        node.errors.add(node.path, "needs both per_current and per_previous, or neither")
    return {
        "current": _input(context, node, position, "current"),
        "previous": _input(context, node, position, "previous"),
        "per_current": _input(context, node, position, "per_current"),
        "per_previous": _input(context, node, position, "per_previous"),
        "better": node.read("better", BETTER, None),
    }


def _input(context: Context, node: Node, position: int, key: str) -> str:
    """Return the code of a rate's or trend's input, queued to be checked as a number
    question earlier in the file; "" when absent or invalid."""
    code = node.read(key, QUESTION_CODE, "")
    if code:
        context.computed.append(PendingInputs(node.at(key), position, code))
    return code


def _covers(context: Context, node: Node) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the covers mapping as (framework, codes) pairs, in framework order."""
    if not node.has("covers"):
        return ()
    child = node.child("covers", required=(), optional=FRAMEWORK_CODES)
    if child.is_mapping and not child.data:
        node.errors.add(node.at("covers"), "must name at least one framework")
    pairs = [
        (framework, _framework_codes(context, child, framework, framework))
        for framework in FRAMEWORK_CODES
        if child.has(framework)
    ]
    return tuple(pairs)


def _framework_codes(context: Context, node: Node, key: str, framework: str) -> tuple[str, ...]:
    """Return the framework item codes listed under key; reports those frameworks.yaml lacks."""
    codes = []
    for path, raw in node.items(key):
        code = FRAMEWORK_ITEM_CODE(node.errors, raw, path)
        if code is not None and _known_code(context, path, framework, code):
            codes.append(code)
    return tuple(codes)


def _known_code(context: Context, path: str, framework: str, code: str) -> bool:
    """Return True when frameworks.yaml lists the code (reports a missing file once)."""
    if context.frameworks is None:
        if not context.frameworks_missing_reported:
            problem = f"needs {FRAMEWORKS_FILE} next to the definition file to check its codes"
            context.errors.add(path, problem)
            context.frameworks_missing_reported = True
        return False
    if not context.frameworks.knows(framework, code):
        context.errors.add(path, f"{code!r} is not an item of {framework} in {FRAMEWORKS_FILE}")
        return False
    return True


def _scenario(context: Context, node: Node) -> Scenario | None:
    """Return the MIIT scenario of a level question: a known code and 6 levels 0–4 rising."""
    if not node.has("scenario"):
        return None
    child = node.child("scenario", required=("code", "map"))
    code = child.read("code", FRAMEWORK_ITEM_CODE, "")
    if child.valid("code"):
        _known_code(context, child.at("code"), "scenario", code)
    raw = child.data.get("map")
    levels = raw if isinstance(raw, list) else None
    valid = levels is not None and len(levels) == len(LEVEL_VALUES)
    valid = valid and all(type(level) is int and 0 <= level <= 4 for level in levels or ())
    if child.has("map") and not valid:
        problem = "must list 6 integers from 0 to 4 (the scenario level of answers 0 to 5)"
        child.errors.add(child.at("map"), problem)
    elif valid and any(b < a for a, b in zip(levels or (), (levels or ())[1:], strict=False)):
        child.errors.add(child.at("map"), "must not decrease")
    if child.failed:
        return None
    return Scenario(code=code, levels=tuple(levels or ()))


_TYPE_FIELDS: dict[QuestionType, Callable[[Context, Node, int], dict[str, Any]]] = {
    QuestionType.LEVEL: _level_fields,
    QuestionType.CHOICE: _choice_fields,
    QuestionType.CHECKLIST: _checklist_fields,
    QuestionType.KPI: _kpi_fields,
    QuestionType.TEXT: _no_fields,
    QuestionType.NUMBER: _number_fields,
    QuestionType.RATE: _rate_fields,
    QuestionType.TREND: _trend_fields,
}
