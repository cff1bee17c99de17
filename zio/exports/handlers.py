"""Keep the export files in step with their records, however a record is deleted (one by one,
or with its organisation)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import ExportJob


@receiver(post_delete, sender=ExportJob, dispatch_uid="exports_delete_file")
def delete_export_file(sender: type[ExportJob], instance: ExportJob, **kwargs: Any) -> None:
    from .services import export_path

    path = export_path(instance)
    # Only once the deletion is committed: a rolled-back delete keeps its file.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
