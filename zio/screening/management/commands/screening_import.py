from argparse import ArgumentParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zio.screening.models import ImportStatus, ScreeningImport
from zio.screening.services import clean_school_year, screening_import_run

from ._organisation import organisation_by_slug


class Command(BaseCommand):
    help = (
        "Import a screening file (CSV or XLSX) for an organisation and school year, with the "
        "same checks as the web page. Exits with status 1 and the report when it is refused."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--school-year", required=True, help="e.g. 2026-2027")

    def handle(self, *args: object, **options: str) -> None:
        organisation = organisation_by_slug(options["organisation"])
        try:
            school_year = clean_school_year(options["school_year"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand niet gevonden: {path}")
        job = ScreeningImport.objects.create(
            organisation=organisation,
            school_year=school_year,
            filename=path.name[-120:],
            size=path.stat().st_size,
        )
        # The command always runs the import itself, whatever the file's size.
        job = screening_import_run(import_id=str(job.pk), data=path.read_bytes())
        if job.status == ImportStatus.DONE and job.screening is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Screening {school_year} van {organisation.name} opgeslagen: "
                    f"{job.screening.pupil_count} leerlingen."
                )
            )
            return
        for problem in job.problems:
            where = ", ".join(
                part
                for part in (
                    f"rij {problem['row']}" if problem.get("row") else "",
                    f"kolom {problem['column']}" if problem.get("column") else "",
                )
                if part
            )
            self.stderr.write(f"{where + ': ' if where else ''}{problem['message']}")
        raise CommandError(
            f"Niet opgeslagen: {job.problem_total} probleem/problemen. Er is niets veranderd.",
            returncode=1,
        )
