from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand

from zio.screening.services import screening_limits, screening_spec
from zio.screening.spec import SCALE_0_3, SCALE_YES_NO
from zio.screening.template import template_csv, template_xlsx

from ._organisation import organisation_by_slug


class Command(BaseCommand):
    help = "Write the screening template of an organisation (its signal catalogue) to a file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--scale", choices=[SCALE_YES_NO, SCALE_0_3], default=SCALE_YES_NO)
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args: object, **options: str) -> None:
        organisation = organisation_by_slug(options["organisation"])
        spec = screening_spec(organisation, scale=options["scale"])
        data = (
            template_xlsx(spec, organisation.name, screening_limits())
            if options["format"] == "xlsx"
            else template_csv(spec)
        )
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            f"Sjabloon met {len(spec.signals)} signalen geschreven naar {options['output']}"
        )
