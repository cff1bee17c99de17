"""`manage.py export_organisation SLUG PATH.zip`: all of one organisation's data, the same ZIP
a beheerder downloads from "Alle gegevens downloaden" (see zio/organisations/archive.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zio.common.management.archive import new_private_zip
from zio.organisations import archive
from zio.organisations.models import Organisation


class Command(BaseCommand):
    help = "Write all data of one organisation (rows and files) to a ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the organisation's short name, e.g. sbo-de-regenboog")
        parser.add_argument("path", help="the ZIP file to write; it must not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["slug"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the short name {options['slug']!r}.")
        target = Path(options["path"])
        with new_private_zip(target, "export") as out:
            manifest = archive.write_export(organisation, out)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {organisation.name} to {target}: "
                f"{sum(manifest['counts'].values())} rows, {len(manifest['files'])} files."
            )
        )
