from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet
from django.tasks import TaskResultStatus

from diagnosis.models import ScoreResult
from diagnosis.services.scoring import rescore_results, result_rescore

CHUNK = 100  # results per task: a few seconds of work for a worker


class Command(BaseCommand):
    help = (
        "Recompute stored score cards with the current scoring engine. With --dry-run, list "
        "what would change and write nothing; without, queue the work as background tasks "
        "of CHUNK results (run at once by the immediate backend, which lists the changes; "
        "a worker logs them)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--questionnaire",
            metavar="VERSION",
            help="only results of this questionnaire: CODE@VERSION, CODE or a version number",
        )
        parser.add_argument("--dry-run", action="store_true", help="report changes, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        results = self._results(options["questionnaire"])
        if options["dry_run"]:
            self._check(results)
        else:
            self._queue(results)

    def _check(self, results: QuerySet[ScoreResult]) -> None:
        changed = 0
        for result in results.iterator(chunk_size=200):
            change = result_rescore(result=result, write=False)
            if change:
                changed += 1
                self.stdout.write(change)
        self.stdout.write(f"{results.count()} results checked, {changed} would change.")

    def _queue(self, results: QuerySet[ScoreResult]) -> None:
        """Queue the chunks (this command writes nothing itself, so there is no commit to
        wait for); print what tasks that already ran changed."""
        ids = list(results.values_list("pk", flat=True))
        changes: list[str] = []
        pending = 0
        for start in range(0, len(ids), CHUNK):
            task = rescore_results.enqueue(ids[start : start + CHUNK])
            if task.status == TaskResultStatus.FAILED:
                raise CommandError(f"re-scoring failed: {task.errors[-1].traceback}")
            if task.status == TaskResultStatus.SUCCESSFUL:
                changes += task.return_value
            else:
                pending += 1
        for change in changes:
            self.stdout.write(change)
        if pending:
            self.stdout.write(
                f"{len(ids)} results queued for re-scoring in {pending} tasks; "
                "the worker logs what changes."
            )
        else:
            self.stdout.write(f"{len(ids)} results checked, {len(changes)} changed.")

    def _results(self, selector: str | None) -> QuerySet[ScoreResult]:
        results = ScoreResult.objects.select_related(
            "assessment__questionnaire", "assessment__firm"
        ).order_by("pk")
        if not selector:
            return results
        code, _sep, version = selector.partition("@")
        if code.isdigit() and not version:
            code, version = "", code
        if version and not version.isdigit():
            raise CommandError(f"--questionnaire {selector!r}: the version must be a number")
        if code:
            results = results.filter(assessment__questionnaire__code=code)
        if version:
            results = results.filter(assessment__questionnaire__version=int(version))
        return results
