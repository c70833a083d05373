from argparse import ArgumentParser
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from diagnosis.queries.evidence import orphan_evidence
from diagnosis.services.evidence import evidence_files_delete


class Command(BaseCommand):
    help = (
        "Delete files in the evidence storage that no answer references (left by saves "
        "that failed or by a storage error). Files younger than --min-age-hours are kept: "
        "they may belong to a save in progress. With --dry-run nothing is deleted."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list orphans, delete nothing")
        parser.add_argument(
            "--min-age-hours",
            type=float,
            default=24.0,
            help="keep files modified less than this many hours ago (default 24)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        older_than = timezone.now() - timedelta(hours=options["min_age_hours"])
        orphans = list(orphan_evidence(older_than=older_than))
        for name in orphans:
            self.stdout.write(name)
        if options["dry_run"]:
            self.stdout.write(f"{len(orphans)} orphan files (dry run: nothing deleted)")
            return
        deleted = evidence_files_delete(orphans)
        self.stdout.write(f"{deleted} orphan files deleted")
