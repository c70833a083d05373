from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diagnosis.definitions.coverage import coverage, coverage_markdown
from diagnosis.definitions.frameworks import FRAMEWORKS_FILE, frameworks_beside
from diagnosis.definitions.loader import BUNDLED_DIR, DefinitionError, load_definition

DEFAULT_DEFINITION = BUNDLED_DIR / "smart-manufacturing-v2.yaml"
DEFAULT_OUTPUT = Path("docs/coverage-v2.md")  # relative to the repository (BASE_DIR)


class Command(BaseCommand):
    help = (
        "Write the coverage table of a definition file (which questions cover each item of "
        "the frameworks in frameworks.yaml) as Markdown; --check only compares."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--definition", type=Path, default=DEFAULT_DEFINITION, help="a definition YAML file"
        )
        parser.add_argument(
            "--output", type=Path, default=None, help=f"the Markdown file ({DEFAULT_OUTPUT})"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail when the file differs from what would be written",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        definition_path: Path = options["definition"]
        output: Path = options["output"] or Path(settings.BASE_DIR) / DEFAULT_OUTPUT
        text, uncovered = self._generate(definition_path)
        for problem in uncovered:
            self.stderr.write(f"warning: {problem}")
        if options["check"]:
            self._check(output, text)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {output}")

    def _generate(self, path: Path) -> tuple[str, list[str]]:
        """Return the document and one line per framework with items no question covers."""
        if not path.is_file():
            raise CommandError(f"no definition file at {path}")
        try:
            frameworks = frameworks_beside(path)
            definition = load_definition(path)
        except DefinitionError as error:
            raise CommandError(f"invalid definition:\n{error}") from None
        if frameworks is None:
            raise CommandError(f"no {FRAMEWORKS_FILE} next to {path}")
        tables = coverage(definition, frameworks)
        uncovered = [
            f"no question covers {table.framework.code} {', '.join(table.uncovered)}"
            for table in tables
            if table.uncovered
        ]
        return coverage_markdown(definition, tables, source=_shown(path)), uncovered

    def _check(self, output: Path, text: str) -> None:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            what = "is missing" if current is None else "is out of date"
            raise CommandError(
                f"{output} {what}: run `python manage.py coverage_table` and commit the result"
            )
        self.stdout.write(f"{output} is up to date")


def _shown(path: Path) -> str:
    """The definition's path relative to the repository, or its name when outside it."""
    try:
        return path.resolve().relative_to(Path(settings.BASE_DIR).resolve()).as_posix()
    except ValueError:
        return path.name
