"""The reference frameworks that question ``covers`` codes point into (``frameworks.yaml``).

The file lives next to the definition files; the loader reads it with the definition and
reports every ``covers``, ``scenario`` and ``cmmm`` code it does not list. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from diagnosis.definitions.errors import DefinitionError, Problems
from diagnosis.definitions.values import (
    FRAMEWORK_ITEM_CODE,
    ITEM_OR_RULE_CODE,
    NO_TEXT,
    Node,
    present,
    read_boolean,
    read_text,
    register,
)
from diagnosis.definitions.yaml_source import read_definition_data
from diagnosis.scoring.definition import Text

FRAMEWORKS_FILE = "frameworks.yaml"
FRAMEWORK_CODES = ("miit", "scenario", "cmmm", "siri", "dma")


@dataclass(frozen=True, slots=True)
class FrameworkItem:
    code: str
    name: Text
    constraint: bool = False  # scenario items only: a MIIT constraint scenario


@dataclass(frozen=True, slots=True)
class Framework:
    code: str
    name: Text
    items: tuple[FrameworkItem, ...]


@dataclass(frozen=True, slots=True)
class Frameworks:
    """The frameworks by code. ``unchecked`` accepts every code: for re-reading a definition
    that was validated against its frameworks file when it was loaded (the stored snapshot)."""

    frameworks: tuple[Framework, ...] = ()
    unchecked: bool = False
    _codes: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for framework in self.frameworks:
            self._codes[framework.code] = frozenset(item.code for item in framework.items)

    def knows(self, framework: str, code: str) -> bool:
        return self.unchecked or code in self._codes.get(framework, frozenset())

    def framework(self, code: str) -> Framework:
        return next(framework for framework in self.frameworks if framework.code == code)


UNCHECKED = Frameworks(unchecked=True)


def frameworks_beside(path: Path) -> Frameworks | None:
    """Return the frameworks file in path's folder, None when there is none.

    Raises DefinitionError (naming frameworks.yaml) when it exists but is invalid.
    """
    candidate = path.parent / FRAMEWORKS_FILE
    if not candidate.is_file():
        return None
    stat = candidate.stat()
    return _frameworks_read(candidate, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _frameworks_read(path: Path, mtime_ns: int, size: int) -> Frameworks:
    """load_frameworks, once per version of the file: every questionnaire stored (each `make
    db`, each test that stores one) checks its covers codes against it, and reading it cost
    about as much as validating the questionnaire. A changed file has a new mtime or size and
    is read again; an invalid one raises every time (exceptions are not cached)."""
    return load_frameworks(path)


def load_frameworks(path: Path) -> Frameworks:
    """Return the frameworks in the file; raises DefinitionError listing every problem."""
    errors = Problems(path.name)
    top = Node(errors, read_definition_data(path), "", required=("frameworks",))
    codes: dict[object, str] = {}
    frameworks = present(_framework(errors, codes, p, raw) for p, raw in top.items("frameworks"))
    if errors.messages:
        raise DefinitionError(errors.messages)
    return Frameworks(frameworks)


def _framework(
    errors: Problems, codes: dict[object, str], path: str, raw: object
) -> Framework | None:
    node = Node(errors, raw, path, required=("code", "name", "items"))
    code = node.read("code", ITEM_OR_RULE_CODE, "")
    if node.valid("code"):
        if code not in FRAMEWORK_CODES:
            errors.add(node.at("code"), f"must be one of: {', '.join(FRAMEWORK_CODES)}")
        register(errors, codes, code, node.at("code"), "framework code")
    item_codes: dict[object, str] = {}
    items = [_item(errors, item_codes, code, p, raw) for p, raw in node.items("items")]
    framework = Framework(
        code=code, name=node.read("name", read_text, NO_TEXT), items=present(items)
    )
    return None if node.failed else framework


def _item(
    errors: Problems, codes: dict[object, str], framework: str, path: str, raw: object
) -> FrameworkItem | None:
    optional = ("constraint",) if framework == "scenario" else ()
    node = Node(errors, raw, path, required=("code", "name"), optional=optional)
    code = node.read("code", FRAMEWORK_ITEM_CODE, "")
    if node.valid("code"):
        register(errors, codes, code, node.at("code"), "item code")
    item = FrameworkItem(
        code=code,
        name=node.read("name", read_text, NO_TEXT),
        constraint=node.read("constraint", read_boolean, False),
    )
    return None if node.failed else item
