from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diagnosis.definitions.loader import DefinitionError
from diagnosis.services.questionnaires import QuestionnaireImmutableError, questionnaire_load


class Command(BaseCommand):
    help = "Validate a questionnaire definition file and load it (idempotent)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="path to a definition YAML file")
        parser.add_argument("--publish", action="store_true", help="publish it if it is a draft")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = questionnaire_load(path=options["file"], publish=options["publish"])
        except DefinitionError as error:
            raise CommandError(f"invalid definition:\n{error}") from None
        except (QuestionnaireImmutableError, OSError) as error:
            raise CommandError(str(error)) from None
        version = result.version
        if result.created:
            what = "loaded"
        elif result.changed:
            what = "replaced the draft of"
        else:
            what = "unchanged:"
        self.stdout.write(f"{what} {version} ({version.status})")
