"""The layers import only downwards (shared/style.md "Layers are tested").

- the scoring engine and the questionnaire definitions know nothing of Django;
- models import no services, views, forms or queries;
- queries import no forms or views;
- services import no views or forms.

Imports are read from the source (also those inside functions), so a lazy import
cannot slip past.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "diagnosis"

# layer (a sub-package of diagnosis) → module prefixes it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "scoring": ("django",),
    "definitions": ("django",),
    "models": (
        "diagnosis.services",
        "diagnosis.views",
        "diagnosis.forms",
        "diagnosis.queries",
    ),
    "queries": ("diagnosis.forms", "diagnosis.views"),
    "services": ("diagnosis.views", "diagnosis.forms"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> list[str]:
    """Every module the file imports, relative imports resolved, in source order."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names += [module] if node.module else [f"{module}.{a.name}" for a in node.names]
    return names


def violations(layer: str) -> list[str]:
    forbidden = FORBIDDEN[layer]
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imported_modules(path):
            if any(name == prefix or name.startswith(prefix + ".") for prefix in forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_it_keeps_each_layer_to_its_own_imports(layer: str) -> None:
    assert violations(layer) == []


def test_it_resolves_relative_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = PACKAGE / "scoring" / "engine.py"
    assert "diagnosis.scoring.card" in imported_modules(inner)


def test_it_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = PACKAGE / "models" / "questionnaire.py"
    # models/questionnaire.py parses definitions lazily, inside a property: still seen.
    assert "diagnosis.definitions.loader" in imported_modules(module)
