from django.conf import settings
from django.core.management.base import BaseCommand

from zio.exports.services import exports_forget_expired


class Command(BaseCommand):
    help = (
        "Delete made export files (and their records) older than EXPORT_KEEP_DAYS, for every "
        "organisation. Run it daily, e.g. from cron."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = exports_forget_expired()
        self.stdout.write(
            f"{count} export(s) ouder dan {settings.EXPORT_KEEP_DAYS} dagen verwijderd."
        )
