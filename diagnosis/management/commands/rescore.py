from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from diagnosis.models import ScoreResult
from diagnosis.queries.assessments import assessment_state
from diagnosis.scoring import ScoreCard
from diagnosis.services.scoring import assessment_score, compute_card


class Command(BaseCommand):
    help = (
        "Recompute stored score cards with the current scoring engine and list what changed. "
        "With --dry-run nothing is written."
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
        changed = 0
        for result in results.iterator(chunk_size=200):
            state = assessment_state(result.assessment)
            card = compute_card(state, result.kind)
            differences = describe_changes(ScoreCard.from_dict(result.card), card)
            if not differences and result.scoring_version == card.scoring_version:
                continue
            changed += 1
            self.stdout.write(
                f"assessment {result.assessment_id} ({result.kind}): "
                + ("; ".join(differences) or f"scoring version → {card.scoring_version}")
            )
            if not options["dry_run"]:
                assessment_score(assessment=result.assessment, state=state, kind=result.kind)
        verb = "would change" if options["dry_run"] else "changed"
        self.stdout.write(f"{results.count()} results checked, {changed} {verb}.")

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


def describe_changes(before: ScoreCard, after: ScoreCard) -> list[str]:
    """Human-readable differences in overall index, level and dimension scores."""
    changes = []
    if before.overall != after.overall:
        changes.append(f"overall {before.overall} → {after.overall}")
    if before.level != after.level:
        changes.append(f"level {before.level} → {after.level}")
    old = {d.code: d.score for d in before.dimensions}
    for dimension in after.dimensions:
        if old.get(dimension.code) != dimension.score:
            changes.append(f"{dimension.code} {old.get(dimension.code)} → {dimension.score}")
    return changes
