"""Read and validate questionnaire definition files (the format is described in FORMAT.md).

Pure Python (standard library and PyYAML, no Django): the management command, the models and
the tests all get either a complete, consistent ``Definition`` or a ``DefinitionError`` that
lists every problem found, each as ``"<source>: <path>: <problem>"``.

Reading works in one pass that never stops at the first problem: every value is checked and
recorded problems make the object holding them (and its parents) come out as ``None``.
Cross-references are checked against codes seen anywhere in the file, so one mistake does
not echo as many.

This module holds the public API and the top of the file; the parts live beside it:
- ``yaml_source``: reading the file (strict YAML) and the checksum of its content;
- ``errors``: the problems collected and the DefinitionError raised with them;
- ``values``: the typed readers of single values and the ``Node`` for one mapping;
- ``questions``: dimensions, questions and their answer types;
- ``rules``: levels and gates, recommendations, consistency rules;
- ``references``: what has been read so far, and the checks of codes pointing elsewhere.
"""

from pathlib import Path

from diagnosis.definitions.errors import DefinitionError, Problems
from diagnosis.definitions.frameworks import UNCHECKED, Frameworks, frameworks_beside
from diagnosis.definitions.questions import read_dimensions
from diagnosis.definitions.references import Context, check_computed_inputs, check_dependencies
from diagnosis.definitions.rules import read_consistency_rules, read_levels, read_recommendations
from diagnosis.definitions.values import NO_TEXT, SLUG, Node, read_positive_integer, read_text
from diagnosis.definitions.yaml_source import definition_checksum, read_definition_data
from diagnosis.scoring.definition import Definition

__all__ = [
    "BUNDLED_DIR",
    "UNCHECKED",
    "DefinitionError",
    "Frameworks",
    "definition_checksum",
    "load_definition",
    "parse_definition",
    "read_definition_data",
]

BUNDLED_DIR = Path(__file__).resolve().parent


def load_definition(path: str | Path) -> Definition:
    """Return the definition in the YAML file at path, its ``covers`` codes checked against
    the frameworks.yaml beside it; raises DefinitionError if either is invalid."""
    path = Path(path)
    data = read_definition_data(path)
    return parse_definition(data, source=path.name, frameworks=frameworks_beside(path))


def parse_definition(data: object, source: str, frameworks: Frameworks | None = None) -> Definition:
    """Return the Definition described by data (a file's mapping or its JSON snapshot).

    ``frameworks`` lists the codes that ``covers``, ``scenario`` and ``cmmm`` may name;
    without it any such key is a problem (``UNCHECKED`` accepts every code: for a snapshot
    validated when it was loaded). Raises DefinitionError listing every problem found, each
    prefixed with source.
    """
    context = Context(Problems(source), frameworks=frameworks)
    top = Node(context.errors, data, "", required=_TOP_REQUIRED, optional=("consistency",))
    definition = _definition(context, top)
    if definition is None or context.errors.messages:
        raise DefinitionError(context.errors.messages)
    return definition


_TOP_REQUIRED = ("questionnaire", "levels", "dimensions", "recommendations")


def _definition(context: Context, node: Node) -> Definition | None:
    """Return the whole definition, or None if any part of it has a problem."""
    header = node.child("questionnaire", required=("code", "version", "title", "description"))
    code = header.read("code", SLUG, "")
    version = header.read("version", read_positive_integer, 0)
    title = header.read("title", read_text, NO_TEXT)
    description = header.read("description", read_text, NO_TEXT)
    dimensions = read_dimensions(context, node)
    check_dependencies(context)
    check_computed_inputs(context)
    levels = read_levels(context, node)
    definition = Definition(
        code=code,
        version=version,
        title=title,
        description=description,
        levels=levels,
        dimensions=dimensions,
        recommendations=read_recommendations(context, node),
        consistency=read_consistency_rules(context, node),
    )
    return None if node.failed else definition
