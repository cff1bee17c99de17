"""An export that runs in the background (PDFs of many persona's) and its result file."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Organisation


class ExportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class ExportJob(models.Model):
    """One export of one or more persona's. The file is kept for `EXPORT_KEEP_DAYS` days in
    private storage and served only to members of the organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    format = models.CharField(_("formaat"), max_length=20)
    audience = models.CharField(_("voor wie"), max_length=20)
    persona_ids = models.JSONField(_("persona's"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=ExportStatus, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("persona's klaar"), default=0)
    total = models.PositiveIntegerField(_("persona's in totaal"), default=0)
    stage = models.CharField(_("stap"), max_length=120, blank=True)
    notes = models.JSONField(_("opmerkingen"), default=list, blank=True)
    filename = models.CharField(_("bestandsnaam"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("grootte in bytes"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.format} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def progress(self) -> int:
        """Percentage for the progress bar: collecting the persona's is the first half,
        making the file the second."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(95, int(50 * self.done / self.total))
