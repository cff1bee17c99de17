from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zio.audit.models import AuditEvent
from zio.audit.services import purge_expired, retention_cutoff


class Command(BaseCommand):
    help = (
        "Delete audit events older than AUDIT_RETENTION_DAYS (or --days). "
        "Run it daily, beside screening_retention."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, help="Keep this many days instead of the setting.")
        parser.add_argument("--dry-run", action="store_true", help="Only count, delete nothing.")

    def handle(self, *args: Any, days: int | None, dry_run: bool, **options: Any) -> None:
        if days is not None and days < 1:
            self.stderr.write("--days must be 1 or more.")
            raise SystemExit(2)
        cutoff = retention_cutoff(days=days)
        if dry_run:
            count = AuditEvent.objects.filter(at__lt=cutoff).count()
            self.stdout.write(f"Would delete {count} audit events from before {cutoff:%Y-%m-%d}.")
            return
        deleted = purge_expired(days=days)
        self.stdout.write(f"Deleted {deleted} audit events from before {cutoff:%Y-%m-%d}.")
