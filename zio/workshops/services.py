"""Writes for the doen-sessie: making a workshop, joining (as member or guest by code), rounds,
post-its, dot-voting, the top 3's and their place on the plane, next steps that become
actions, and the answers of the opening and closing rounds.

Every function checks what the caller may do and raises ValidationError with a Dutch message
otherwise; each runs in one transaction, so nothing is half-saved.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zio.accounts.models import User
from zio.organisations.models import Organisation
from zio.personas.models import Persona

from .constants import (
    DEFAULT_QUESTION,
    JOIN_ATTEMPTS,
    JOIN_WINDOW_MINUTES,
    ROUND_MINUTES,
    TOP,
    VOTES_PER_KIND,
    ActionStatus,
    NoteKind,
    Round,
    Starter,
    WorkshopKind,
)
from .models import (
    Action,
    Choice,
    ClosingAnswer,
    Introduction,
    JoinAttempt,
    NextStep,
    Note,
    Participant,
    Reaction,
    Vote,
    Workshop,
    WorkshopTable,
)

CODE_UNKNOWN = gettext_lazy("Deze code kennen we niet. Controleer de code en probeer het opnieuw.")
CODE_EXPIRED = gettext_lazy(
    "Deze doen-sessie is afgelopen: de code werkt niet meer. Vraag de gespreksleider om een "
    "nieuwe sessie."
)
NOT_AT_TABLE = gettext_lazy("Je zit niet aan deze tafel.")
NOT_FACILITATOR = gettext_lazy("Alleen de gespreksleider van deze tafel kan dit doen.")
WRONG_ROUND = gettext_lazy("Dat kan niet in deze ronde.")
EMPTY_NOTE = gettext_lazy("Schrijf iets op de post-it.")
NO_VOTES_LEFT = gettext_lazy("Je hebt al je %(n)s stemmen voor dit soort post-its gebruikt.")
ALREADY_VOTED = gettext_lazy("Je hebt al op deze post-it gestemd.")
CHOOSE_TOP = gettext_lazy("Kies precies %(n)s verschillende post-its van deze tafel.")
PLACE_RANGE = gettext_lazy("Kies voor draagvlak en haalbaarheid een waarde van 0 tot en met 100.")
NAME_NEEDED = gettext_lazy("Vul je naam in.")
STEP_FIELDS = gettext_lazy("Vul in elk geval wie, wat en wanneer in.")
PERSONA_ELSEWHERE = gettext_lazy("Kies persona's van je eigen organisatie.")
FACILITATOR_NOT_PARTICIPANT = gettext_lazy(
    "Kies als gespreksleider iemand met een account die al aan deze doen-sessie meedoet."
)
EMPTY_REACTION = gettext_lazy("Schrijf een reactie.")

# Codes without letters that look alike (0/O, 1/I/L), easy to read aloud to a table.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _touch(*table_ids: int | None) -> None:
    """Tell polling canvases of these tables that something changed."""
    ids = [i for i in table_ids if i is not None]
    if ids:
        WorkshopTable.objects.filter(pk__in=ids).update(revision=F("revision") + 1)


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- workshops and participants ------------------------------------------------------------


def workshop_create(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    question: str = "",
    kind: WorkshopKind = WorkshopKind.DOEN_SESSIE,
    personas: Sequence[Persona] = (),
    tables: int = 1,
    expires_at: datetime | None = None,
) -> Workshop:
    """A workshop with `tables` tables, each led at first by its maker; the maker joins."""
    if any(p.organisation_id != organisation.pk for p in personas):
        raise ValidationError(PERSONA_ELSEWHERE)
    with transaction.atomic():
        workshop = Workshop(
            organisation=organisation,
            title=title.strip(),
            question=question.strip() or str(DEFAULT_QUESTION),
            kind=kind,
            join_code=_new_code(),
            # A guest's access ends with the day of the session, unless chosen otherwise.
            expires_at=expires_at or timezone.now() + timedelta(days=1),
            created_by=user,
        )
        workshop.full_clean()
        workshop.save()
        workshop.personas.set(personas)
        for number in range(1, max(tables, 1) + 1):
            WorkshopTable.objects.create(
                workshop=workshop,
                name=_("Tafel %(n)s") % {"n": number},
                position=number,
                facilitator=user,
            )
        participant_join_as_member(workshop=workshop, user=user, organisation=organisation)
    return workshop


def member_display_name(user: User) -> str:
    """How a member shows at the table. Never the e-mail address (which get_full_name falls
    back to): guests and other organisations see these names."""
    return (user.full_name.strip() or str(_("Deelnemer zonder naam")))[:60]


def participant_join_as_member(
    *, workshop: Workshop, user: User, organisation: Organisation | None = None
) -> Participant:
    """A logged-in user joins (once; joining again returns the same participant)."""
    participant, created = Participant.objects.get_or_create(
        workshop=workshop,
        user=user,
        defaults={
            "display_name": member_display_name(user),
            "organisation_name": organisation.name if organisation else "",
            "table": workshop.tables.first(),
        },
    )
    if created:
        _touch(participant.table_id)
    return participant


def workshop_for_code(code: str) -> Workshop:
    """The workshop this code opens; ValidationError when the code is unknown or expired."""
    workshop = Workshop.objects.filter(join_code=normalise_code(code)).first()
    if workshop is None:
        raise ValidationError(CODE_UNKNOWN)
    if workshop.is_expired:
        raise ValidationError(CODE_EXPIRED)
    return workshop


def participant_join_as_guest(
    *, code: str, display_name: str, organisation_name: str = ""
) -> tuple[Participant, str]:
    """A guest joins the workshop with this code. Returns the participant and the token to
    keep in the guest's browser session (only its hash is stored)."""
    workshop = workshop_for_code(code)
    if not display_name.strip():
        raise ValidationError(NAME_NEEDED)
    token = secrets.token_urlsafe(32)
    participant = Participant.objects.create(
        workshop=workshop,
        table=workshop.tables.first(),
        display_name=display_name.strip()[:60],
        organisation_name=organisation_name.strip()[:100],
        token_hash=_hash(token),
    )
    _touch(participant.table_id)
    return participant, token


TOO_MANY_ATTEMPTS = gettext_lazy(
    "Te veel verkeerde codes vanaf deze plek. Wacht %(minutes)s minuten en probeer het dan "
    "opnieuw, of vraag de gespreksleider om de link."
)


def _address_hash(address: str) -> str:
    # Keyed with the secret key, so that the stored hash cannot be turned back into an address
    # by trying all IPv4 addresses.
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def join_guard(address: str) -> None:
    """Refuse to try another code when this address gave JOIN_ATTEMPTS wrong ones within the
    window. The counter is in the database, so it holds across app servers."""
    since = timezone.now() - timedelta(minutes=JOIN_WINDOW_MINUTES)
    JoinAttempt.objects.filter(created_at__lt=since).delete()
    if JoinAttempt.objects.filter(address_hash=_address_hash(address)).count() >= JOIN_ATTEMPTS:
        raise ValidationError(TOO_MANY_ATTEMPTS % {"minutes": JOIN_WINDOW_MINUTES})


def join_failed(address: str) -> None:
    JoinAttempt.objects.create(address_hash=_address_hash(address))


def workshop_extend(*, workshop: Workshop, days: int = 1) -> Workshop:
    """Keep the code (and the guests' access) valid for `days` more days from now or from the
    current end, whichever is later."""
    workshop.expires_at = max(workshop.expires_at, timezone.now()) + timedelta(days=days)
    workshop.save(update_fields=["expires_at"])
    return workshop


def workshop_delete(*, workshop: Workshop) -> None:
    """Delete a workshop with its canvas, participants and answers. The actions that came
    from its next steps stay on the action list: they are the follow-up, not the session."""
    with transaction.atomic():
        Action.objects.filter(next_step__table__workshop=workshop).update(next_step=None)
        workshop.delete()


def guest_for_token(token: str) -> Participant | None:
    """The guest this token belongs to, while the workshop's code is valid; else None."""
    if not token:
        return None
    participant = (
        Participant.objects.select_related("workshop")
        .filter(token_hash=_hash(token), user__isnull=True)
        .first()
    )
    if participant is None or participant.workshop.is_expired:
        return None
    return participant


def table_update(*, table: WorkshopTable, name: str, facilitator: User | None) -> WorkshopTable:
    """The organiser renames a table or gives it another gespreksleider: a participant of the
    workshop with an account (round and timer are the gespreksleider's, so they need a login)."""
    if (
        facilitator is not None
        and not table.workshop.participants.filter(user=facilitator).exists()
    ):
        raise ValidationError(FACILITATOR_NOT_PARTICIPANT)
    table.name = name.strip() or table.name
    table.facilitator = facilitator
    table.full_clean()
    table.save(update_fields=["name", "facilitator"])
    _touch(table.pk)
    return table


def participant_move(*, participant: Participant, table: WorkshopTable) -> Participant:
    if table.workshop_id != participant.workshop_id:
        raise ValidationError(NOT_AT_TABLE)
    before = participant.table_id
    participant.table = table
    participant.save(update_fields=["table"])
    _touch(before, table.pk)
    return participant


# --- rounds ---------------------------------------------------------------------------------


def _check_facilitator(table: WorkshopTable, user: User) -> None:
    if table.facilitator_id != user.pk:
        raise ValidationError(NOT_FACILITATOR)


def round_start(
    *, table: WorkshopTable, user: User, round: Round, minutes: int | None = None
) -> WorkshopTable:
    """The gespreksleider starts a round and its timer."""
    _check_facilitator(table, user)
    table.round = round
    table.round_started_at = timezone.now()
    table.round_minutes = ROUND_MINUTES[round] if minutes is None else max(0, min(minutes, 120))
    table.save(update_fields=["round", "round_started_at", "round_minutes"])
    _touch(table.pk)
    return table


def _check_at_table(participant: Participant, table: WorkshopTable) -> None:
    if participant.table_id != table.pk:
        raise ValidationError(NOT_AT_TABLE)


def _check_round(table: WorkshopTable, *rounds: Round) -> None:
    if table.round not in rounds:
        raise ValidationError(WRONG_ROUND)


# --- round 1: post-its ----------------------------------------------------------------------


def note_add(
    *, table: WorkshopTable, participant: Participant, kind: NoteKind, text: str, detail: str = ""
) -> Note:
    _check_at_table(participant, table)
    _check_round(table, Round.ACTORS_FACTORS)
    if not text.strip():
        raise ValidationError(EMPTY_NOTE)
    note = Note(
        table=table,
        author=participant,
        kind=NoteKind(kind),
        text=text.strip(),
        detail=detail.strip(),
    )
    note.full_clean()
    note.save()
    _touch(table.pk)
    return note


# --- round 2: dot-voting, the top 3's and the plane --------------------------------------------


def vote_cast(*, participant: Participant, note: Note) -> Vote:
    """One vote on a post-it of the participant's table, at most VOTES_PER_KIND per kind.

    The participant's row is locked while counting, so that many quick clicks at once can never
    give more votes than allowed; the unique constraint refuses a second vote on one post-it.
    """
    _check_at_table(participant, note.table)
    _check_round(note.table, Round.CHOOSE)
    with transaction.atomic():
        Participant.objects.select_for_update().get(pk=participant.pk)
        if Vote.objects.filter(participant=participant, note=note).exists():
            raise ValidationError(ALREADY_VOTED)
        used = Vote.objects.filter(participant=participant, note__kind=note.kind).count()
        if used >= VOTES_PER_KIND:
            raise ValidationError(NO_VOTES_LEFT % {"n": VOTES_PER_KIND})
        try:
            with transaction.atomic():
                vote = Vote.objects.create(participant=participant, note=note)
        except IntegrityError:
            raise ValidationError(ALREADY_VOTED) from None
        _touch(note.table_id)
        return vote


def vote_withdraw(*, participant: Participant, note: Note) -> None:
    _check_round(note.table, Round.CHOOSE)
    Vote.objects.filter(participant=participant, note=note).delete()
    _touch(note.table_id)


def choices_set(
    *, table: WorkshopTable, user: User, kind: NoteKind, note_ids: Sequence[int]
) -> list[Choice]:
    """The gespreksleider fixes the top 3 of one kind (the order of `note_ids` is the rank);
    used to resolve ties, or to accept the proposal of `selectors.top_notes`."""
    _check_facilitator(table, user)
    ids = list(dict.fromkeys(int(i) for i in note_ids))
    notes = {n.pk: n for n in table.notes.filter(kind=kind, pk__in=ids)}
    if len(ids) != TOP or len(notes) != TOP:
        raise ValidationError(CHOOSE_TOP % {"n": TOP})
    with transaction.atomic():
        table.choices.filter(kind=kind).exclude(note_id__in=ids).delete()
        existing = {c.note_id: c for c in table.choices.filter(kind=kind)}
        # Move the kept choices out of the way first (they keep their place on the plane):
        # the unique (table, kind, rank) would refuse a swap of two ranks.
        for offset, choice in enumerate(existing.values()):
            choice.rank = 100 + offset
            choice.save(update_fields=["rank"])
        chosen = []
        for rank, note_id in enumerate(ids, start=1):
            choice = existing.get(note_id) or Choice(table=table, note=notes[note_id], kind=kind)
            choice.rank = rank
            choice.save()
            chosen.append(choice)
        _touch(table.pk)
    return chosen


def choice_place(
    *, choice: Choice, participant: Participant, support: int, feasibility: int
) -> Choice:
    """Put a chosen actor or factor on the plane (by dragging, or with the form)."""
    _check_at_table(participant, choice.table)
    if not (0 <= support <= 100 and 0 <= feasibility <= 100):
        raise ValidationError(PLACE_RANGE)
    choice.support, choice.feasibility = support, feasibility
    choice.save(update_fields=["support", "feasibility"])
    _touch(choice.table_id)
    return choice


# --- round 3: next steps become actions --------------------------------------------------------


def next_step_add(
    *,
    table: WorkshopTable,
    participant: Participant,
    starter: Starter,
    who: str,
    what: str,
    when: str,
    where: str = "",
    why: str = "",
    how: str = "",
    due_date: date | None = None,
) -> NextStep:
    """A next step with 5W+H; it becomes an action of the workshop's organisation at once."""
    _check_at_table(participant, table)
    _check_round(table, Round.NEXT_STEPS)
    if not (who.strip() and what.strip() and when.strip()):
        raise ValidationError(STEP_FIELDS)
    with transaction.atomic():
        step = NextStep(
            table=table,
            starter=Starter(starter),
            who=who.strip(),
            what=what.strip(),
            where=where.strip(),
            when=when.strip(),
            why=why.strip(),
            how=how.strip(),
            author=participant,
        )
        step.full_clean()
        step.save()
        Action.objects.create(
            organisation=table.workshop.organisation,
            next_step=step,
            title=f"{Starter(starter).label} {step.what}"[:300],
            owner=step.who,
            due_date=due_date,
        )
        _touch(table.pk)
    return step


def action_update(
    *,
    action: Action,
    status: ActionStatus | str | None = None,
    owner: str | None = None,
    due_date: date | None = None,
    clear_due_date: bool = False,
) -> Action:
    if status is not None:
        action.status = ActionStatus(status)
    if owner is not None:
        action.owner = owner.strip() or action.owner
    if due_date is not None or clear_due_date:
        action.due_date = due_date
    action.full_clean()
    action.save()
    return action


# --- opening and closing ------------------------------------------------------------------------


def introduction_save(
    *, participant: Participant, who: str, where_from: str, why_here: str = "", question: str = ""
) -> Introduction:
    intro = Introduction.objects.filter(participant=participant).first() or Introduction(
        participant=participant
    )
    intro.who, intro.where_from = who.strip(), where_from.strip()
    intro.why_here, intro.question = why_here.strip(), question.strip()
    intro.full_clean()
    intro.save()
    _touch(participant.table_id)
    return intro


def closing_answer_save(
    *,
    participant: Participant,
    my_next_step: str,
    follow_up_question: str = "",
    who_needed: str = "",
    apply_tomorrow: str = "",
) -> ClosingAnswer:
    if participant.table_id is None:
        raise ValidationError(NOT_AT_TABLE)
    # The table as it is now: the gespreksleider may have moved on since the guest joined.
    _check_round(WorkshopTable.objects.get(pk=participant.table_id), Round.CLOSING)
    answer = ClosingAnswer.objects.filter(participant=participant).first() or ClosingAnswer(
        participant=participant
    )
    answer.my_next_step = my_next_step.strip()
    answer.follow_up_question = follow_up_question.strip()
    answer.who_needed = who_needed.strip()
    answer.apply_tomorrow = apply_tomorrow.strip()
    answer.full_clean()
    answer.save()
    _touch(participant.table_id)
    return answer


def reaction_add(*, participant: Participant, next_step: NextStep, text: str) -> Reaction:
    """A reaction in the plenary round to any table's next step of the same workshop."""
    if next_step.table.workshop_id != participant.workshop_id:
        raise ValidationError(NOT_AT_TABLE)
    if not text.strip():
        raise ValidationError(EMPTY_REACTION)
    reaction = Reaction(next_step=next_step, participant=participant, text=text.strip())
    reaction.full_clean()
    reaction.save()
    _touch(next_step.table_id)
    return reaction
