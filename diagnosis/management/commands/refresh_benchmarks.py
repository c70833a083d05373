"""Recompute the peer benchmarks: run nightly (README "Peer benchmarks" has a cron line and
a systemd timer), beside the debounced refreshes after each sign-off."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diagnosis.services.benchmarks import benchmark_refresh_task, refresh_benchmarks


class Command(BaseCommand):
    help = (
        "Recompute every peer benchmark cell now (one transaction: a failure keeps the "
        "previous cells and exits with an error). With --queue, leave it to the task worker."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue", action="store_true", help="queue the refresh for the worker instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["queue"]:
            result = benchmark_refresh_task.enqueue()
            self.stdout.write(f"Benchmark refresh queued (task {result.id}).")
            return
        outcome = refresh_benchmarks()
        if not outcome.succeeded:
            raise CommandError(f"Benchmark refresh failed, previous cells kept: {outcome.error}")
        self.stdout.write(f"{outcome.cells} benchmark cells written in {outcome.seconds:.1f} s.")
