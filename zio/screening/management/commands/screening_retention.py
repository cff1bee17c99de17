"""`manage.py screening_retention [--years N] [--dry-run]`: delete screenings past retention."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zio.screening.services import screenings_delete_expired, screenings_expired_summary


class Command(BaseCommand):
    help = (
        "Delete the screenings of school years more than N school years before the current "
        "one (a school year starts on 1 August), with the finished imports of those years."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--years",
            type=int,
            default=None,
            help="school years kept before the current one (default: SCREENING_RETENTION_YEARS)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only list what would be deleted"
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="count from this date (YYYY-MM-DD) instead of today, e.g. to preview 1 August",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = settings.SCREENING_RETENTION_YEARS if options["years"] is None else options["years"]
        if years < 0:
            raise CommandError("--years kan niet negatief zijn.")
        today = options["today"] or timezone.localdate()
        if options["dry_run"]:
            summary = screenings_expired_summary(today=today, years=years)
            verb = "Zou verwijderen"
        else:
            summary = screenings_delete_expired(today=today, years=years)
            verb = "Verwijderd"
        for row in summary:
            self.stdout.write(
                f"{verb}: {row.organisation}, schooljaar {row.school_year}: "
                f"{row.screenings} screening(s)"
            )
        total = sum(row.screenings for row in summary)
        outcome = (
            "zou(den) worden verwijderd; er is niets verwijderd"
            if options["dry_run"]
            else "verwijderd"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Bewaard blijven het schooljaar van {today:%d-%m-%Y} en de {years} daarvoor. "
                f"{total} screening(s) {outcome}."
            )
        )
