"""How the loader reports problems: every one collected, then raised together."""

from __future__ import annotations

TOP_LEVEL = "(top level)"


class DefinitionError(Exception):
    """A definition is invalid; ``errors`` lists every problem as "<source>: <path>: <problem>"."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class Problems:
    """Collects problems as "<source>: <path>: <problem>" lines, in the order found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, path: str, problem: str) -> None:
        self.messages.append(f"{self.source}: {path or TOP_LEVEL}: {problem}")

    def __len__(self) -> int:
        return len(self.messages)
