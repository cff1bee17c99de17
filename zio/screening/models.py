"""A school's screening: the pupils of one school year, pseudonymised, stored column-wise.

The pupils are not rows in a table: the whole screening is one matrix (signals × pupils) with
keyed hashes instead of pupil codes. The product only ever needs the population as a whole
(statistics, grouping); a table of pupils would invite looking one up. See ADR 0010.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Organisation


class ScreeningQuerySet(models.QuerySet["Screening"]):
    def for_organisation(self, organisation: Organisation) -> ScreeningQuerySet:
        return self.filter(organisation=organisation)

    def current(self) -> ScreeningQuerySet:
        return self.filter(replaced_at__isnull=True)


class Screening(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="screenings",
        verbose_name=_("organisatie"),
    )
    school_year = models.CharField(_("schooljaar"), max_length=9)  # e.g. 2026-2027
    pupil_count = models.PositiveIntegerField(_("aantal leerlingen"))
    signal_ids = models.JSONField(_("signalen (kolommen)"), default=list)
    signal_names = models.JSONField(_("namen van de signalen bij het importeren"), default=list)
    support_names = models.JSONField(_("soorten ondersteuning"), default=list)
    # The pupils, column-wise and compressed (numpy .npz): see zio/screening/storage.py.
    data = models.BinaryField(_("gegevens"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geïmporteerd door"),
    )
    created_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)
    # The school's explicit choice to let organisations of its region group this screening
    # together with other schools' (pooled). Only the groups are shown, never the school's own.
    pooling_consent_at = models.DateTimeField(
        _("gedeeld voor regionaal groeperen op"), null=True, blank=True
    )
    pooling_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gedeeld door"),
    )

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-school_year", "-created_at"]
        constraints = [
            # One current screening per school year; replaced ones stay for history.
            models.UniqueConstraint(
                fields=["organisation", "school_year"],
                condition=models.Q(replaced_at__isnull=True),
                name="one_current_screening_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.school_year}"


class ImportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    FAILED = "afgekeurd", _("Afgekeurd")
    DONE = "klaar", _("Klaar")


class ScreeningImport(models.Model):
    """One attempt to import a file: its progress and, when refused, the report.

    The uploaded file itself lives only until the import ends (see services). The report never
    repeats values that may be personal data.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    school_year = models.CharField(_("schooljaar"), max_length=9)
    filename = models.CharField(_("bestand"), max_length=120)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus, default=ImportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang in procenten"), default=0)
    stage = models.CharField(_("stap"), max_length=120, blank=True)
    problems = models.JSONField(_("problemen"), default=list, blank=True)
    problem_total = models.PositiveIntegerField(_("aantal problemen"), default=0)
    screening = models.ForeignKey(
        Screening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screening"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import van een screening")
        verbose_name_plural = _("imports van screenings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.FAILED, ImportStatus.DONE}
