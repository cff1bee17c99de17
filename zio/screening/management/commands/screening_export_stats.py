import json
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from zio.screening.selectors import current_screening, population, statistics_as_dict

from ._organisation import organisation_by_slug


class Command(BaseCommand):
    help = (
        "Print the population statistics of an organisation's current screening, with the "
        "same small-cell suppression as the web page."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--school-year", default="", help="e.g. 2026-2027 (default: newest)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: object, **options: str) -> None:
        organisation = organisation_by_slug(options["organisation"])
        screening = current_screening(organisation, options["school_year"])
        if screening is None:
            raise CommandError(f"{organisation.name} heeft (voor dit schooljaar) geen screening.")
        data = statistics_as_dict(screening, population(screening))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
