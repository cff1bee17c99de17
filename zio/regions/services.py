"""Writes of the region view: sharing a persona with a region, and withdrawing it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zio.accounts.models import User
from zio.organisations.models import Region
from zio.personas.models import Persona

from .models import RegionShare

NOT_IN_REGION = _("Je organisatie hoort niet bij deze regio.")
ARCHIVED = _("Een gearchiveerde persona kun je niet delen.")


def persona_shares_set(*, persona: Persona, regions: list[Region], user: User | None) -> None:
    """Share the persona with exactly these regions of its organisation (withdrawing it from
    the others). Nothing changes when one region is not the organisation's."""
    allowed = set(persona.organisation.regions.values_list("pk", flat=True))
    if any(region.pk not in allowed for region in regions):
        raise ValidationError(NOT_IN_REGION)
    if regions and persona.archived_at is not None:
        raise ValidationError(ARCHIVED)
    wanted = {region.pk for region in regions}
    with transaction.atomic():
        RegionShare.objects.filter(persona=persona).exclude(region_id__in=wanted).delete()
        existing = set(
            RegionShare.objects.filter(persona=persona).values_list("region_id", flat=True)
        )
        RegionShare.objects.bulk_create(
            RegionShare(persona=persona, region_id=pk, shared_by=user)
            for pk in sorted(wanted - existing)
        )
