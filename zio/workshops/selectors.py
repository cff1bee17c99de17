"""Reads for the doen-sessie, scoped to an organisation or to a participant's table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Prefetch, QuerySet
from django.utils import timezone

from zio.organisations.models import Organisation

from .constants import TOP, VOTES_PER_KIND, NoteKind, Round
from .models import (
    Action,
    Choice,
    ClosingAnswer,
    Introduction,
    NextStep,
    Note,
    Participant,
    Reaction,
    Vote,
    Workshop,
    WorkshopTable,
)


def workshops_for_organisation(organisation: Organisation) -> QuerySet[Workshop]:
    return Workshop.objects.filter(organisation=organisation).annotate(
        table_count=Count("tables", distinct=True),
        participant_count=Count("participants", distinct=True),
    )


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


def top_notes_ranked(table: WorkshopTable, kind: NoteKind) -> QuerySet[Note]:
    """The table's post-its of one kind, most votes first (the earliest first among equals)."""
    return (
        table.notes.filter(kind=kind)
        .annotate(vote_count=Count("votes"))
        .order_by("-vote_count", "created_at", "pk")
    )


def top_notes(table: WorkshopTable, kind: NoteKind) -> TopProposal:
    annotated = top_notes_ranked(table, kind)
    counted: list[tuple[Note, int]] = [(n, n.vote_count) for n in annotated]  # type: ignore[attr-defined]
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


# --- the canvas ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timer:
    """The round's timer: when it ends, and how much is left (never below zero)."""

    ends_at: datetime
    minutes: int

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.ends_at - timezone.now()).total_seconds()))

    @property
    def minutes_left(self) -> int:
        # Rounded up: "nog 1 minuut" until the very end.
        return -(-self.seconds_left // 60)

    @property
    def is_over(self) -> bool:
        return self.seconds_left == 0


def table_timer(table: WorkshopTable) -> Timer | None:
    if table.round_started_at is None or not table.round_minutes:
        return None
    return Timer(
        table.round_started_at + timedelta(minutes=table.round_minutes), table.round_minutes
    )


@dataclass(frozen=True)
class BoardNote:
    note: Note
    votes: int
    mine: bool  # the viewer voted on it
    chosen: bool  # in the table's top 3


@dataclass(frozen=True)
class PlanePoint:
    """A chosen actor or factor as drawn on the plane: x is haalbaarheid (feasibility), y runs
    down from draagvlak (support) 100 at the top; unplaced ones wait in a row under the plane."""

    choice: Choice
    label: str  # A1-A3 for actors, F1-F3 for factors
    x: int
    y: int
    placed: bool


TRAY_Y = 114  # the row under the plane (0-100) where unplaced choices wait


def plane_points(choices: list[Choice]) -> list[PlanePoint]:
    points = []
    waiting = 0
    for choice in choices:
        label = f"{'A' if choice.kind == NoteKind.ACTOR else 'F'}{choice.rank}"
        if choice.support is None or choice.feasibility is None:
            points.append(PlanePoint(choice, label, 8 + waiting * 16, TRAY_Y, False))
            waiting += 1
        else:
            points.append(PlanePoint(choice, label, choice.feasibility, 100 - choice.support, True))
    return points


@dataclass(frozen=True)
class Board:
    """Everything a table's canvas shows, for one viewer."""

    table: WorkshopTable
    actors: list[BoardNote]
    factors: list[BoardNote]
    votes_left: dict[str, int]  # per kind, for the viewer
    choices: dict[str, list[Choice]]  # per kind, by rank
    proposals: dict[str, TopProposal]
    next_steps: list[NextStep]
    people: list[Participant]  # seated at the table, with introduction and closing answer

    @property
    def all_chosen(self) -> bool:
        return all(len(self.choices[kind]) == TOP for kind in NoteKind.values)

    @property
    def points(self) -> list[PlanePoint]:
        return plane_points([c for kind in NoteKind.values for c in self.choices[kind]])


def table_board(table: WorkshopTable, viewer: Participant | None) -> Board:
    notes = list(
        table.notes.select_related("author")
        .annotate(vote_count=Count("votes"))
        .order_by("created_at", "pk")
    )
    mine = (
        set(
            Vote.objects.filter(participant=viewer, note__table=table).values_list(
                "note_id", flat=True
            )
        )
        if viewer is not None
        else set()
    )
    choices: dict[str, list[Choice]] = {kind: [] for kind in NoteKind.values}
    for choice in table.choices.select_related("note").order_by("kind", "rank"):
        choices[choice.kind].append(choice)
    chosen = {c.note_id for kind in choices.values() for c in kind}
    by_kind: dict[str, list[BoardNote]] = {kind: [] for kind in NoteKind.values}
    for note in notes:
        by_kind[note.kind].append(
            BoardNote(note, note.vote_count, note.pk in mine, note.pk in chosen)
        )
    used = {kind: sum(1 for n in by_kind[kind] if n.mine) for kind in NoteKind.values}
    proposals = (
        {kind: top_notes(table, NoteKind(kind)) for kind in NoteKind.values}
        if table.round == Round.CHOOSE
        else {}
    )
    people = list(
        table.participants.select_related("introduction", "closing").order_by("joined_at", "pk")
    )
    steps = list(
        table.next_steps.select_related("author").prefetch_related(
            Prefetch("reactions", queryset=Reaction.objects.select_related("participant"))
        )
    )
    return Board(
        table=table,
        actors=by_kind[NoteKind.ACTOR],
        factors=by_kind[NoteKind.FACTOR],
        votes_left={kind: max(0, VOTES_PER_KIND - used[kind]) for kind in NoteKind.values},
        choices=choices,
        proposals=proposals,
        next_steps=steps,
        people=people,
    )


def workshop_tables(workshop: Workshop) -> list[WorkshopTable]:
    return list(
        workshop.tables.select_related("facilitator").annotate(
            participant_count=Count("participants")
        )
    )


@dataclass(frozen=True)
class PlenaryTable:
    table: WorkshopTable
    next_steps: list[NextStep]


@dataclass(frozen=True)
class Plenary:
    introductions: list[Introduction]
    tables: list[PlenaryTable]
    closing: list[ClosingAnswer]


def plenary(workshop: Workshop) -> Plenary:
    """The organiser's projector view: everyone's introduction, and every table's next steps
    side by side with the reactions to them."""
    steps = Prefetch(
        "next_steps",
        queryset=NextStep.objects.prefetch_related(
            Prefetch("reactions", queryset=Reaction.objects.select_related("participant"))
        ),
    )
    tables = list(workshop.tables.prefetch_related(steps))
    return Plenary(
        introductions=list(
            Introduction.objects.filter(participant__workshop=workshop)
            .select_related("participant")
            .order_by("participant__joined_at", "pk")
        ),
        tables=[PlenaryTable(t, list(t.next_steps.all())) for t in tables],
        closing=list(
            ClosingAnswer.objects.filter(participant__workshop=workshop)
            .select_related("participant")
            .order_by("participant__joined_at", "pk")
        ),
    )
