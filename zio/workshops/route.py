"""The route page of a school: how far it is with the four steps of the persona method and with
the three phases of the deck, the doen-sessies it held, and where its actions stand.

Every status is read from what exists, nothing is ticked off by hand.

The four steps:
1. Populatie: klaar when a current screening exists (`Screening.replaced_at` is empty).
2. Groeperen: klaar when a grouping run of the organisation finished well (status klaar);
   bezig while a run waits, runs or failed.
3. Persona's: bezig with at least one persona, klaar with at least one persona that is
   vastgesteld. Archived persona's do not count.
4. Gesprek: bezig with at least one doen-sessie, klaar when a doen-sessie produced at least one
   next step.

The three phases (Verkennen → Betrekken → Uitvoeren) come from the deck; the product has no
phase of its own, so each is derived from the steps and the actions:
- Verkennen covers steps 1-3: klaar when a persona is vastgesteld (the point of exploring);
  bezig when any of screening, grouping run or persona exists.
- Betrekken is the doen-sessies: bezig when one exists, klaar when one produced next steps
  (the same rule as step 4).
- Uitvoeren is the actions: bezig when actions exist and not all are klaar, klaar when there is
  at least one action and all are klaar.
A phase can be further than the one before it (a school may hold a doen-sessie before any
persona is vastgesteld): the page shows what is, and does not force an order.

Reads: six queries, whatever the number of screenings, persona's, workshops or actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zio.common.steps import STEPS
from zio.grouping.models import GroupingRun, RunStatus
from zio.organisations.models import Organisation
from zio.personas.constants import PersonaStatus
from zio.personas.models import Persona
from zio.screening.models import Screening

from . import selectors
from .constants import ActionStatus
from .models import Action, NextStep, Participant, Workshop, WorkshopTable

FIRST_OPEN = 5  # actions still to do that the page lists


class Progress:
    """A status of a step or phase: its key (a CSS modifier) and its Dutch label."""

    NOT_STARTED = "nog-niet-begonnen"
    BUSY = "bezig"
    DONE = "klaar"

    LABELS: dict[str, Promise] = {
        NOT_STARTED: gettext_lazy("nog niet begonnen"),
        BUSY: gettext_lazy("bezig"),
        DONE: gettext_lazy("klaar"),
    }


def _progress(*, done: bool, busy: bool) -> str:
    if done:
        return Progress.DONE
    return Progress.BUSY if busy else Progress.NOT_STARTED


@dataclass(frozen=True)
class StepState:
    number: int
    key: str
    title: str
    url_name: str
    status: str  # a Progress value
    fact: str  # one line: what exists

    @property
    def status_label(self) -> str:
        return str(Progress.LABELS[self.status])


@dataclass(frozen=True)
class PhaseState:
    key: str
    title: str
    explanation: str
    covers: str  # which part of the product it is
    status: str

    @property
    def status_label(self) -> str:
        return str(Progress.LABELS[self.status])


@dataclass(frozen=True)
class SessionLine:
    workshop_id: int
    title: str
    date: date
    tables: int
    participants: int
    next_steps: int


@dataclass(frozen=True)
class ActionSummary:
    open: int
    busy: int
    done: int
    overdue: int
    first_open: tuple[Action, ...]  # not yet klaar (open or bezig), soonest due first

    @property
    def total(self) -> int:
        return self.open + self.busy + self.done

    @property
    def to_do(self) -> int:
        return self.open + self.busy


@dataclass(frozen=True)
class Route:
    steps: tuple[StepState, ...]
    phases: tuple[PhaseState, ...]
    sessions: tuple[SessionLine, ...]
    actions: ActionSummary


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT subquery: unlike Count() over joins, several of them on one query do
    not multiply each other."""
    counted = queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sessions_for_organisation(organisation: Organisation) -> list[SessionLine]:
    """The organisation's workshops, newest first, with their counts: one query."""
    workshops = (
        Workshop.objects.filter(organisation=organisation)
        .annotate(
            table_count=_count(WorkshopTable.objects.filter(workshop=OuterRef("pk"))),
            participant_count=_count(Participant.objects.filter(workshop=OuterRef("pk"))),
            step_count=_count(NextStep.objects.filter(table__workshop=OuterRef("pk"))),
        )
        .order_by("-created_at", "-pk")
    )
    return [
        SessionLine(
            workshop_id=w.pk,
            title=w.title,
            date=timezone.localdate(w.created_at),
            tables=w.table_count,
            participants=w.participant_count,
            next_steps=w.step_count,
        )
        for w in workshops
    ]


def action_summary(organisation: Organisation) -> ActionSummary:
    """Counts per status and overdue (one aggregate), and the first actions still to do."""
    today = timezone.localdate()
    counts = Action.objects.filter(organisation=organisation).aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        busy=Count("pk", filter=Q(status=ActionStatus.BUSY)),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("pk", filter=~Q(status=ActionStatus.DONE) & Q(due_date__lt=today)),
    )
    first_open = tuple(
        selectors.actions_for_organisation(organisation).exclude(status=ActionStatus.DONE)[
            :FIRST_OPEN
        ]
    )
    return ActionSummary(first_open=first_open, **counts)


def route_for_organisation(organisation: Organisation) -> Route:
    screening = (
        Screening.objects.for_organisation(organisation)
        .current()
        .order_by("-school_year", "-created_at")
        .first()
    )
    runs = GroupingRun.objects.for_organisation(organisation).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(status=RunStatus.DONE))
    )
    personas = (
        Persona.objects.for_organisation(organisation)
        .active()
        .aggregate(total=Count("pk"), adopted=Count("pk", filter=Q(status=PersonaStatus.ADOPTED)))
    )
    sessions = sessions_for_organisation(organisation)
    actions = action_summary(organisation)
    with_steps = sum(1 for s in sessions if s.next_steps)

    statuses = {
        "populatie": _progress(done=screening is not None, busy=False),
        "groeperen": _progress(done=runs["done"] > 0, busy=runs["total"] > 0),
        "personas": _progress(done=personas["adopted"] > 0, busy=personas["total"] > 0),
        "gesprek": _progress(done=with_steps > 0, busy=bool(sessions)),
    }
    facts = {
        "populatie": _("Screening %(year)s: %(pupils)s leerlingen.")
        % {"year": screening.school_year, "pupils": screening.pupil_count}
        if screening is not None
        else _("Nog geen screening ingelezen."),
        "groeperen": ngettext("%(n)s groepering klaar.", "%(n)s groeperingen klaar.", runs["done"])
        % {"n": runs["done"]}
        if runs["done"]
        else (
            _("Een groepering wacht, loopt nog of is mislukt.")
            if runs["total"]
            else _("Nog niet gegroepeerd.")
        ),
        "personas": ngettext(
            "%(n)s persona, waarvan %(adopted)s vastgesteld.",
            "%(n)s persona's, waarvan %(adopted)s vastgesteld.",
            personas["total"],
        )
        % {"n": personas["total"], "adopted": personas["adopted"]}
        if personas["total"]
        else _("Nog geen persona's."),
        "gesprek": ngettext(
            "%(n)s doen-sessie, %(with_steps)s met vervolgstappen.",
            "%(n)s doen-sessies, %(with_steps)s met vervolgstappen.",
            len(sessions),
        )
        % {"n": len(sessions), "with_steps": with_steps}
        if sessions
        else _("Nog geen doen-sessie gehouden."),
    }
    steps = tuple(
        StepState(
            number=step.number,
            key=step.key,
            title=str(step.title),
            url_name=step.url_name,
            status=statuses[step.key],
            fact=facts[step.key],
        )
        for step in STEPS
    )

    explored_any = screening is not None or runs["total"] > 0 or personas["total"] > 0
    phases = (
        PhaseState(
            key="verkennen",
            title=_("Verkennen"),
            explanation=_("Hulpvraag, huidige situatie, relevante actoren en factoren"),
            covers=_("Stap 1 tot en met 3: populatie, groeperen en persona's."),
            status=_progress(done=personas["adopted"] > 0, busy=explored_any),
        ),
        PhaseState(
            key="betrekken",
            title=_("Betrekken"),
            explanation=_("Inrichten van overlegstructuren en het ophalen van opdrachten"),
            covers=_("Stap 4: de doen-sessies en hun vervolgstappen."),
            status=statuses["gesprek"],
        ),
        PhaseState(
            key="uitvoeren",
            title=_("Uitvoeren"),
            explanation=_("Implementatie van een werkbaar samenwerkingsmodel"),
            covers=_("De acties uit de vervolgstappen."),
            status=_progress(done=actions.total > 0 and actions.to_do == 0, busy=actions.total > 0),
        ),
    )
    return Route(steps=steps, phases=phases, sessions=tuple(sessions), actions=actions)
