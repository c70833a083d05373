"""Fill the database with a synthetic city for benchmarks and demos (README "Scale")."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from diagnosis.management.city import generate_city
from diagnosis.services.result_figures import refresh_result_figures


class Command(BaseCommand):
    help = (
        "Add a synthetic city: FIRMS registered firms (and population entries of firms not "
        "registered yet), providers and consultants, and ASSESSMENTS assessments in every "
        "status with stored scores, written in bulk (COPY on PostgreSQL)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--firms", type=int, required=True)
        parser.add_argument("--assessments", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--cards",
            type=int,
            default=1000,
            help="firms whose results keep the full score card, so their reports open",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["firms"] < 1 or options["assessments"] < 0 or options["cards"] < 0:
            raise CommandError(
                "--firms must be at least 1; --assessments and --cards not negative."
            )
        started = time.perf_counter()
        try:
            city = generate_city(
                firms=options["firms"],
                assessments=options["assessments"],
                seed=options["seed"],
                cards=options["cards"],
                progress=lambda text: self.stdout.write(
                    f"  {text} ({time.perf_counter() - started:.0f} s)"
                ),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        figures = time.perf_counter()
        refresh_result_figures()
        self.stdout.write(f"  result figures refreshed in {time.perf_counter() - figures:.1f} s")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"City in the database: {city.firms} firms, {city.population} population entries, "
            f"{city.consultants} consultants, {city.assessments} assessments "
            f"({', '.join(f'{k} {v}' for k, v in sorted(city.statuses.items()))}), "
            f"{city.results} score results, {city.dimension_scores} dimension scores. "
            f"Generated in {seconds:.1f} s."
        )
