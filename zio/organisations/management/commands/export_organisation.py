"""`manage.py export_organisation SLUG PATH.zip`: all of one organisation's data, the same ZIP
a beheerder downloads from "Alle gegevens downloaden" (see zio/organisations/archive.py)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        if target.suffix.lower() != ".zip":
            raise CommandError("The file's name must end in .zip.")
        if target.exists():
            raise CommandError(f"{target} already exists; choose a new name.")
        if not target.parent.is_dir():
            raise CommandError(f"The folder {target.parent} does not exist.")
        # As the backup does: owner-only from the first byte, renamed when finished.
        descriptor, partial = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        try:
            with os.fdopen(descriptor, "wb") as out:
                manifest = archive.write_export(organisation, out)
            if target.exists():
                raise CommandError(f"{target} appeared while the export was made; not replaced.")
            Path(partial).replace(target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {organisation.name} to {target}: "
                f"{sum(manifest['counts'].values())} rows, {len(manifest['files'])} files."
            )
        )
