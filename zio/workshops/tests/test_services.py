"""The doen-sessie's rules, called directly: joining, rounds, post-its, votes, the top 3,
the plane, next steps that become actions, and the opening and closing answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zio.organisations.models import Membership, Organisation
from zio.personas.tests.factories import PersonaFactory
from zio.workshops import selectors, services
from zio.workshops.constants import (
    DEFAULT_QUESTION,
    VOTES_PER_KIND,
    ActionStatus,
    NoteKind,
    Round,
    Starter,
)
from zio.workshops.models import Action, Participant, Vote, Workshop, WorkshopTable

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(opsteller: Membership) -> Workshop:
    return services.workshop_create(
        organisation=opsteller.organisation, user=opsteller.user, title="ZiO Rijnvliet", tables=2
    )


@pytest.fixture
def table(workshop: Workshop) -> WorkshopTable:
    return workshop.tables.order_by("position").first()  # type: ignore[return-value]


@pytest.fixture
def guests(workshop: Workshop) -> Callable[[int], list[Participant]]:
    def make(count: int) -> list[Participant]:
        return [
            services.participant_join_as_guest(
                code=workshop.join_code, display_name=f"Gast {n}", organisation_name="Gemeente"
            )[0]
            for n in range(count)
        ]

    return make


def test_a_workshop_has_tables_a_code_and_the_default_question(
    workshop: Workshop, opsteller: Membership
) -> None:
    assert workshop.question == str(DEFAULT_QUESTION)
    assert [t.name for t in workshop.tables.all()] == ["Tafel 1", "Tafel 2"]
    assert all(t.facilitator == opsteller.user for t in workshop.tables.all())
    assert len(workshop.join_code) == 8 and workshop.join_code.isalnum()
    maker = workshop.participants.get()
    assert maker.user == opsteller.user and not maker.is_guest
    again = services.participant_join_as_member(workshop=workshop, user=opsteller.user)
    assert again == maker


def test_personas_of_another_organisation_cannot_be_linked(
    opsteller: Membership, other_organisation: Organisation
) -> None:
    with pytest.raises(ValidationError, match="eigen organisatie"):
        services.workshop_create(
            organisation=opsteller.organisation,
            user=opsteller.user,
            title="x",
            personas=[PersonaFactory.create(organisation=other_organisation)],
        )
    assert not Workshop.objects.exists()


def test_guests_join_by_code_and_their_token_ends_with_the_workshop(workshop: Workshop) -> None:
    code = workshop.join_code.lower()
    guest, token = services.participant_join_as_guest(
        code=f"{code[:4]}-{code[4:]}", display_name="  Fatima  "
    )
    assert guest.is_guest and guest.display_name == "Fatima"
    assert token not in guest.token_hash
    assert services.guest_for_token(token) == guest
    assert services.guest_for_token("fout") is None
    with pytest.raises(ValidationError, match="kennen we niet"):
        services.participant_join_as_guest(code="XXXXXXXX", display_name="Piet")
    with pytest.raises(ValidationError, match="Vul je naam in"):
        services.participant_join_as_guest(code=workshop.join_code, display_name=" ")
    Workshop.objects.filter(pk=workshop.pk).update(expires_at=timezone.now() - timedelta(1))
    assert services.guest_for_token(token) is None
    with pytest.raises(ValidationError, match="afgelopen"):
        services.participant_join_as_guest(code=workshop.join_code, display_name="Piet")


def test_only_the_facilitator_starts_rounds_with_the_decks_minutes(
    table: WorkshopTable, opsteller: Membership, make_member: Callable
) -> None:
    services.round_start(table=table, user=opsteller.user, round=Round.ACTORS_FACTORS)
    assert (table.round, table.round_minutes) == (Round.ACTORS_FACTORS, 10)
    assert table.round_started_at is not None
    other = make_member(opsteller.organisation).user
    with pytest.raises(ValidationError, match="gespreksleider"):
        services.round_start(table=table, user=other, round=Round.CHOOSE)


def test_post_its_only_in_their_round_and_at_ones_own_table(
    workshop: Workshop, table: WorkshopTable, opsteller: Membership, guests: Callable
) -> None:
    (guest,) = guests(1)
    with pytest.raises(ValidationError, match="deze ronde"):
        services.note_add(table=table, participant=guest, kind=NoteKind.ACTOR, text="Gemeente")
    services.round_start(table=table, user=opsteller.user, round=Round.ACTORS_FACTORS)
    note = services.note_add(
        table=table, participant=guest, kind=NoteKind.ACTOR, text=" Gemeente ", detail="Wmo"
    )
    assert note.text == "Gemeente" and note.author == guest
    with pytest.raises(ValidationError, match="Schrijf iets"):
        services.note_add(table=table, participant=guest, kind=NoteKind.FACTOR, text="  ")
    second = workshop.tables.exclude(pk=table.pk).get()
    with pytest.raises(ValidationError, match="niet aan deze tafel"):
        services.note_add(table=second, participant=guest, kind=NoteKind.ACTOR, text="x")
    assert list(selectors.notes_since(table, 0)) == [note]
    assert list(selectors.notes_since(table, note.pk)) == []


def _notes(table: WorkshopTable, opsteller: Membership, author: Participant, kind, count: int):
    services.round_start(table=table, user=opsteller.user, round=Round.ACTORS_FACTORS)
    notes = [
        services.note_add(table=table, participant=author, kind=kind, text=f"{kind} {n}")
        for n in range(count)
    ]
    services.round_start(table=table, user=opsteller.user, round=Round.CHOOSE)
    return notes


def test_dot_voting_is_limited_per_kind_and_once_per_post_it(
    table: WorkshopTable, opsteller: Membership, guests: Callable
) -> None:
    (guest,) = guests(1)
    notes = _notes(table, opsteller, guest, NoteKind.FACTOR, 5)
    for note in notes[:VOTES_PER_KIND]:
        services.vote_cast(participant=guest, note=note)
    with pytest.raises(ValidationError, match="al je 3 stemmen"):
        services.vote_cast(participant=guest, note=notes[3])
    services.vote_withdraw(participant=guest, note=notes[0])
    services.vote_cast(participant=guest, note=notes[3])
    with pytest.raises(ValidationError, match="al op deze post-it"):
        services.vote_cast(participant=guest, note=notes[3])
    assert Vote.objects.filter(participant=guest).count() == VOTES_PER_KIND


def test_the_top_three_follow_the_votes_and_ties_go_to_the_facilitator(
    table: WorkshopTable, opsteller: Membership, guests: Callable
) -> None:
    people = guests(4)
    a, b, c, d, e = _notes(table, opsteller, people[0], NoteKind.ACTOR, 5)
    for person, votes in zip(people, ([a, b, c], [a, b, d], [a, c, d], [b]), strict=True):
        for note in votes:
            services.vote_cast(participant=person, note=note)
    # a 3, b 3, c 2, d 2, e 0: c and d tie for the third place.
    proposal = selectors.top_notes(table, NoteKind.ACTOR)
    assert proposal.chosen == [a, b] and proposal.tied == [c, d]
    assert proposal.needs_decision
    services.vote_cast(participant=people[3], note=c)
    proposal = selectors.top_notes(table, NoteKind.ACTOR)
    assert proposal.chosen == [a, b, c] and not proposal.needs_decision

    chosen = services.choices_set(
        table=table, user=opsteller.user, kind=NoteKind.ACTOR, note_ids=[b.pk, a.pk, d.pk]
    )
    assert [(ch.note, ch.rank) for ch in chosen] == [(b, 1), (a, 2), (d, 3)]
    services.choice_place(choice=chosen[0], participant=people[0], support=80, feasibility=30)
    # A new order keeps the places on the plane of the post-its that stay.
    again = services.choices_set(
        table=table, user=opsteller.user, kind=NoteKind.ACTOR, note_ids=[a.pk, b.pk, c.pk]
    )
    assert [(ch.note, ch.rank) for ch in again] == [(a, 1), (b, 2), (c, 3)]
    assert (again[1].support, again[1].feasibility) == (80, 30)
    assert table.choices.count() == 3
    with pytest.raises(ValidationError, match="precies 3"):
        services.choices_set(
            table=table, user=opsteller.user, kind=NoteKind.ACTOR, note_ids=[a.pk, a.pk, b.pk]
        )
    with pytest.raises(ValidationError, match="0 tot en met 100"):
        services.choice_place(choice=again[0], participant=people[0], support=101, feasibility=0)


def test_a_next_step_with_5w_h_becomes_an_action(
    table: WorkshopTable, opsteller: Membership, guests: Callable
) -> None:
    (guest,) = guests(1)
    services.round_start(table=table, user=opsteller.user, round=Round.NEXT_STEPS)
    with pytest.raises(ValidationError, match="wie, wat en wanneer"):
        services.next_step_add(
            table=table, participant=guest, starter=Starter.SUPPORT, who="", what="x", when="x"
        )
    step = services.next_step_add(
        table=table,
        participant=guest,
        starter=Starter.FEASIBILITY,
        who="Procesregisseur",
        what="een pilot met jeugdhulp op school voorstellen",
        where="Regio Rijnvliet",
        when="voor de zomer",
        why="de kosten per leerling dalen",
        how="met de persona's als onderbouwing",
        due_date=date(2027, 6, 30),
    )
    action = Action.objects.get()
    assert action.next_step == step
    assert action.organisation == opsteller.organisation
    assert action.title.startswith("Om de haalbaarheid te versterken… een pilot")
    assert (action.owner, action.status) == ("Procesregisseur", ActionStatus.OPEN)
    assert list(selectors.actions_for_organisation(opsteller.organisation)) == [action]
    Action.objects.filter(pk=action.pk).update(due_date=date(2020, 1, 1))
    action.refresh_from_db()
    assert action.is_overdue
    services.action_update(action=action, status=ActionStatus.DONE)
    assert not action.is_overdue


def test_introductions_and_closing_answers(
    table: WorkshopTable, opsteller: Membership, guests: Callable
) -> None:
    (guest,) = guests(1)
    intro = services.introduction_save(
        participant=guest, who="Fatima", where_from="Gemeente Rijnvliet", question="Wmo?"
    )
    assert guest.introduction == intro
    with pytest.raises(ValidationError, match="deze ronde"):
        services.closing_answer_save(participant=guest, my_next_step="Bellen")
    services.round_start(table=table, user=opsteller.user, round=Round.CLOSING)
    answer = services.closing_answer_save(
        participant=guest, my_next_step="De SWV bellen", apply_tomorrow="De persona delen"
    )
    again = services.closing_answer_save(participant=guest, my_next_step="De SWV mailen")
    assert again.pk == answer.pk and again.my_next_step == "De SWV mailen"
    with pytest.raises(ValidationError):
        services.closing_answer_save(participant=guest, my_next_step="x" * 301)
