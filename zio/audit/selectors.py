"""Reads of the audit log, always for one organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from .models import AuditEvent


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    action: str = ""
    object_type: str = ""
    actor_id: int | None = None


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_for_organisation(
    organisation_id: int, filters: Filters = Filters()
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.for_organisation(organisation_id)
    if filters.start:
        events = events.filter(at__gte=_midnight(filters.start))
    if filters.end:  # the whole end day counts
        events = events.filter(at__lt=_midnight(filters.end + timedelta(days=1)))
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    return events.order_by("-at", "-pk")


def actors_in_log(organisation_id: int) -> list[tuple[int, str]]:
    """Everyone who appears in the organisation's log (also former members), by the name
    they had most recently. Grouped in the database: a log holds hundreds of thousands of
    events but only a few dozen people."""
    rows = (
        AuditEvent.objects.for_organisation(organisation_id)
        .filter(actor_id__isnull=False)
        .values("actor_id", "actor_name")
        .annotate(last=Max("at"))
        .order_by()
    )
    newest: dict[int, tuple[datetime, str]] = {}
    for row in rows:
        actor_id, seen = row["actor_id"], (row["last"], row["actor_name"])
        if actor_id is None:
            continue
        if actor_id not in newest or seen > newest[actor_id]:
            newest[actor_id] = seen
    return sorted(
        ((actor_id, name) for actor_id, (_at, name) in newest.items()),
        key=lambda item: item[1].lower(),
    )
