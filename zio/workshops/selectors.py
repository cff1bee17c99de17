"""Reads for the doen-sessie, scoped to an organisation or to a participant's table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, QuerySet

from zio.organisations.models import Organisation

from .constants import TOP, NoteKind
from .models import Action, Note, Workshop, WorkshopTable


def workshops_for_organisation(organisation: Organisation) -> QuerySet[Workshop]:
    return Workshop.objects.filter(organisation=organisation)


def workshop_for_organisation(organisation: Organisation, workshop_id: int) -> Workshop:
    """Raises Workshop.DoesNotExist for another organisation's workshop."""
    return Workshop.objects.get(organisation=organisation, pk=workshop_id)


def notes_since(table: WorkshopTable, after_id: int = 0) -> QuerySet[Note]:
    """The table's post-its newer than `after_id`: what a polling canvas still lacks."""
    return table.notes.filter(pk__gt=after_id).select_related("author")


@dataclass(frozen=True)
class TopProposal:
    """The most-voted post-its of one kind. `tied` holds the post-its that share the last
    place with those just outside the top: then the gespreksleider decides."""

    kind: NoteKind
    chosen: list[Note]
    tied: list[Note]

    @property
    def needs_decision(self) -> bool:
        return bool(self.tied)


def top_notes(table: WorkshopTable, kind: NoteKind) -> TopProposal:
    annotated = (
        table.notes.filter(kind=kind)
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "created_at", "pk")
    )
    counted: list[tuple[Note, int]] = [(n, n.vote_count) for n in annotated]
    notes = [n for n, _count in counted]
    if len(counted) <= TOP:
        return TopProposal(kind, notes, [])
    boundary = counted[TOP - 1][1]
    above = [n for n, count in counted if count > boundary]
    at = [n for n, count in counted if count == boundary]
    if len(above) + len(at) == TOP:
        return TopProposal(kind, above + at, [])
    return TopProposal(kind, above, at)


def actions_for_organisation(organisation: Organisation) -> QuerySet[Action]:
    return (
        Action.objects.filter(organisation=organisation)
        .select_related("next_step__table__workshop")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def action_for_organisation(organisation: Organisation, action_id: int) -> Action:
    """Raises Action.DoesNotExist for another organisation's action."""
    return Action.objects.get(organisation=organisation, pk=action_id)
