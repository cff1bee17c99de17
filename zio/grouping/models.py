"""Grouping runs (step 2): a latent class analysis of one or more screenings, its groups, and
what people changed afterwards (rename, merge, set aside)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Organisation
from zio.screening.models import Screening


class RunStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    FAILED = "mislukt", _("Mislukt")
    DONE = "klaar", _("Klaar")


class GroupingRunQuerySet(models.QuerySet["GroupingRun"]):
    def for_organisation(self, organisation: Organisation) -> GroupingRunQuerySet:
        return self.filter(organisation=organisation)


class GroupingRun(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisatie")
    )
    screenings = models.ManyToManyField(Screening, related_name="+", verbose_name=_("screenings"))
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("opnieuw gedaan van"),
    )
    signal_ids = models.JSONField(_("signalen (invoer)"), default=list)
    signal_names = models.JSONField(_("namen van de signalen"), default=list)
    parameters = models.JSONField(_("instellingen"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus, default=RunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("voortgang in procenten"), default=0)
    stage = models.CharField(_("stap"), max_length=120, blank=True)
    message = models.TextField(_("melding"), blank=True)
    pupil_count = models.PositiveIntegerField(_("aantal leerlingen"), default=0)
    fits = models.JSONField(_("modelkeuze per aantal groepen"), default=list)
    chosen_k = models.PositiveSmallIntegerField(_("gekozen aantal groepen"), null=True)
    relative_entropy = models.FloatField(_("relatieve entropie"), null=True)
    versions = models.JSONField(_("versies van de software"), default=dict)
    small_groups_merged = models.JSONField(_("samengevoegde kleine groepen"), default=list)
    # Assignment per pupil and the group profiles (numpy .npz, no pickles): see services.
    result = models.BinaryField(_("uitkomst"), null=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    objects = GroupingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("groepering")
        verbose_name_plural = _("groeperingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {RunStatus.DONE, RunStatus.FAILED}


class Group(models.Model):
    run = models.ForeignKey(
        GroupingRun, on_delete=models.CASCADE, related_name="groups", verbose_name=_("groepering")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("naam"), max_length=120)
    size = models.PositiveIntegerField(_("aantal leerlingen"))
    set_aside = models.BooleanField(_("opzijgezet"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("samengevoegd met"),
    )

    class Meta:
        verbose_name = _("groep")
        verbose_name_plural = _("groepen")
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="group_number_unique_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_active(self) -> bool:
        return self.merged_into_id is None


class GroupingEvent(models.Model):
    """What someone changed in a grouping, for its history."""

    run = models.ForeignKey(
        GroupingRun, on_delete=models.CASCADE, related_name="events", verbose_name=_("groepering")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("op"), auto_now_add=True)
    description = models.CharField(_("wat"), max_length=300)

    class Meta:
        verbose_name = _("wijziging van een groepering")
        verbose_name_plural = _("wijzigingen van groeperingen")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.description
