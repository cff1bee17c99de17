"""Reads for the export pages, always scoped to an organisation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zio.organisations.models import Organisation
from zio.personas.models import Persona, PersonaItem

from .models import ExportJob


def exportable_personas(organisation: Organisation) -> QuerySet[Persona]:
    """The organisation's active persona's, the ones the export page offers."""
    return Persona.objects.for_organisation(organisation).filter(archived_at__isnull=True)


def personas_for_export(organisation: Organisation, ids: Iterable[int]) -> list[Persona]:
    """The persona's with these ids that belong to the organisation, in the order of the ids.
    Ids of other organisations are silently absent; the form refuses them before this is
    called (it offers active persona's only). One archived while a background export waits is
    still exported; one deleted meanwhile is skipped, and the export says so."""
    wanted = [int(i) for i in ids]
    personas = (
        Persona.objects.for_organisation(organisation)
        .filter(pk__in=wanted)
        .select_related("organisation", "source_group")
        .prefetch_related(Prefetch("items", PersonaItem.objects.order_by("position", "pk")))
    )
    by_id = {p.pk: p for p in personas}
    return [by_id[i] for i in wanted if i in by_id]


def export_cutoff() -> datetime:
    """Exports made before this moment are no longer offered (and are removed)."""
    return timezone.now() - timedelta(days=settings.EXPORT_KEEP_DAYS)


def recent_exports(organisation: Organisation, limit: int = 10) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(
        organisation=organisation, created_at__gte=export_cutoff()
    ).select_related("created_by")[:limit]


def export_for_organisation(organisation: Organisation, job_id: UUID | str) -> ExportJob:
    """Raises ExportJob.DoesNotExist for another organisation's export, or an expired one."""
    return ExportJob.objects.get(
        organisation=organisation, pk=job_id, created_at__gte=export_cutoff()
    )
