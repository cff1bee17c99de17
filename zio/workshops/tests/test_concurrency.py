"""30 participants post and vote at the same moment: nothing is lost, nothing counted twice.

Runs against PostgreSQL (the second run of `make test`), where each thread has its own
connection and row locks are real. SQLite's in-memory test database cannot be shared between
threads, so there the test does not apply.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from zio.accounts.tests.factories import UserFactory
from zio.organisations.tests.factories import OrganisationFactory
from zio.workshops import services
from zio.workshops.constants import VOTES_PER_KIND, NoteKind, Round
from zio.workshops.models import Note, Participant, Vote

PEOPLE = 30

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database that threads can share"
    ),
]


def _all_at_once(work: Callable[[int], None]) -> list[BaseException]:
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # noqa: BLE001  (reported by the test)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_thirty_people_post_and_vote_at_once() -> None:
    organisation = OrganisationFactory.create()
    leader = UserFactory.create()
    workshop = services.workshop_create(organisation=organisation, user=leader, title="Druk")
    table = workshop.tables.get()
    people = [
        services.participant_join_as_guest(code=workshop.join_code, display_name=f"P{n}")[0]
        for n in range(PEOPLE)
    ]
    services.round_start(table=table, user=leader, round=Round.ACTORS_FACTORS)

    def post(n: int) -> None:
        for kind in (NoteKind.ACTOR, NoteKind.FACTOR):
            services.note_add(
                table=table, participant=people[n], kind=kind, text=f"{kind} van P{n}"
            )

    assert _all_at_once(post) == []
    assert Note.objects.filter(table=table).count() == 2 * PEOPLE

    services.round_start(table=table, user=leader, round=Round.CHOOSE)
    actors = list(Note.objects.filter(kind=NoteKind.ACTOR).order_by("pk"))

    def vote(n: int) -> None:
        # Ten people each click from three devices at once; every click tries two post-its
        # (six tries per person for three votes), one of them the same on every device.
        person = Participant.objects.get(pk=people[n % 10].pk)
        device = n // 10
        for note in (actors[n % 10], actors[(n % 10 + 1 + 2 * device) % PEOPLE]):
            with contextlib.suppress(ValidationError):
                services.vote_cast(participant=person, note=note)

    assert _all_at_once(vote) == []
    for person in people[:10]:
        votes = Vote.objects.filter(participant=person)
        assert votes.count() == VOTES_PER_KIND, person
        assert votes.values("note").distinct().count() == VOTES_PER_KIND
    assert Vote.objects.count() == 10 * VOTES_PER_KIND
