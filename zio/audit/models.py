"""The audit log: who did what with which data, when, from which organisation.

Append-only. Nothing in the product changes or deletes an event: there is no form, view or API
for it, the model refuses updates and deletes, and a database trigger refuses UPDATE as well.
Only the retention command removes events older than the retention period.

Events hold plain ids and names instead of foreign keys, so they outlive what they describe:
the log of a deleted persona (or a deleted organisation) still says who deleted it.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or delete audit events outside the retention command."""


class Action(models.TextChoices):
    VIEWED = "viewed", _("bekeken")
    CREATED = "created", _("aangemaakt")
    CHANGED = "changed", _("gewijzigd")
    DELETED = "deleted", _("verwijderd")
    EXPORTED = "exported", _("geëxporteerd")
    LOGGED_IN = "logged_in", _("ingelogd")
    LOGGED_OUT = "logged_out", _("uitgelogd")


class Via(models.TextChoices):
    WEB = "web", _("website")
    API = "api", _("API")
    SYSTEM = "system", _("systeem")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events are removed only by the retention command.")

    def for_organisation(self, organisation_id: int) -> AuditEventQuerySet:
        return self.filter(organisation_id=organisation_id)

    def purge_before(self, moment: Any) -> int:
        """Delete events older than `moment`: for the retention command only."""
        deleted, _per_model = models.QuerySet.delete(self.filter(at__lt=moment))
        return deleted


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    # Plain values, no foreign keys: see the module docstring.
    organisation_id = models.BigIntegerField(_("organisatie-id"), null=True, blank=True)
    organisation_name = models.CharField(_("organisatie"), max_length=200, blank=True)
    actor_id = models.BigIntegerField(_("gebruiker-id"), null=True, blank=True)
    actor_name = models.CharField(_("wie"), max_length=254, blank=True)
    via = models.CharField(_("via"), max_length=10, choices=Via, default=Via.WEB)
    action = models.CharField(_("wat"), max_length=20, choices=Action)
    object_type = models.CharField(_("soort gegevens"), max_length=30, blank=True)
    object_id = models.CharField(_("id"), max_length=64, blank=True)
    object_label = models.CharField(_("omschrijving"), max_length=200, blank=True)
    detail = models.CharField(_("toelichting"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("logboekregel")
        verbose_name_plural = _("logboek")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation_id", "-at"], name="audit_org_at"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events are removed only by the retention command.")
