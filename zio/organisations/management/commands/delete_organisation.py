"""`manage.py delete_organisation SLUG [--yes]`: delete one organisation with everything that
belongs to it. Without --yes it only prints what would be deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zio.audit import services as audit
from zio.organisations import archive, services
from zio.organisations.models import Organisation


class Command(BaseCommand):
    help = "Delete an organisation and all its data (dry run unless --yes is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the organisation's short name, e.g. sbo-de-regenboog")
        parser.add_argument(
            "--yes", action="store_true", help="really delete (without it: only show what)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["slug"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation with the short name {options['slug']!r}.")
        summary = archive.summary(organisation)
        self.stdout.write(f"{organisation.name} ({organisation.slug}):")
        for line in [*summary.headline, *summary.other]:
            self.stdout.write(f"  {line.label}: {line.count}")
        self.stdout.write(f"  files: {summary.file_count}")
        self.stdout.write(
            f"  accounts without another organisation: {len(summary.leaving_users)}"
            + "".join(f"\n    {user.email}" for user in summary.leaving_users)
        )
        if summary.protected:
            self.stdout.write(
                self.style.WARNING(f"  blocked by {len(summary.protected)} protected rows")
            )
        if not options["yes"]:
            self.stdout.write("Nothing was deleted. Run again with --yes to delete all of this.")
            return
        try:
            # Logged as done by the system (platform staff at the command line).
            with audit.recording():
                result = services.delete_organisation(organisation, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Deleted {result.name}: {sum(result.counts.values())} rows, "
                f"{len(result.deleted_user_ids)} accounts, {result.file_count} files."
            )
        )
