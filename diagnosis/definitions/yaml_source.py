"""Reading a definition file: strict YAML (libyaml when available) and its checksum."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from diagnosis.definitions.errors import TOP_LEVEL, DefinitionError


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


class _DuplicateKeysRefused:
    """Rejects duplicate keys in a mapping instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        _reject_duplicate_keys(node)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictPythonLoader(_DuplicateKeysRefused, yaml.SafeLoader):
    """The Python SafeLoader, strict: no duplicate keys, and dates read as text."""


# libyaml's parser (several times faster) where PyYAML was built with it: the same
# constructor and resolver, so the same data. Its messages differ from the Python parser's,
# so a file that fails is read again by the Python one to report the problem as always.
if yaml.__with_libyaml__:

    class _StrictLoader(_DuplicateKeysRefused, yaml.CSafeLoader):
        """libyaml's SafeLoader, equally strict."""

else:  # pragma: no cover - PyYAML built without libyaml
    _StrictLoader = _StrictPythonLoader  # type: ignore[misc,assignment]


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
_StrictPythonLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_yaml(path: Path) -> object:
    """Return the parsed YAML document; raises DefinitionError for unreadable or invalid YAML."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise DefinitionError([f"{path.name}: {TOP_LEVEL}: cannot be read ({error})"]) from error
    try:
        return yaml.load(content, Loader=_StrictLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(content, Loader=_StrictPythonLoader)  # noqa: S506 (a SafeLoader)
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
