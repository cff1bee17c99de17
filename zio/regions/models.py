"""A school's explicit choice to share a persona with one of its regions, so that the
gemeenten, SWV's and zorgarrangeurs of that region see it in the region view. Withdrawing
deletes the share; the persona itself stays the school's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zio.organisations.models import Region
from zio.personas.models import Persona


class RegionShare(models.Model):
    persona = models.ForeignKey(
        Persona, on_delete=models.CASCADE, related_name="region_shares", verbose_name=_("persona")
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="shares", verbose_name=_("regio")
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    shared_at = models.DateTimeField(_("gedeeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("gedeelde persona")
        verbose_name_plural = _("gedeelde persona's")
        constraints = [
            models.UniqueConstraint(fields=["persona", "region"], name="share_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.persona} → {self.region}"
