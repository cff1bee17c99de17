"""What does a live canvas cost the server? Run by hand: .venv/bin/python bench/workshop_poll.py

Every open canvas asks for news once a second (POLL_SECONDS). This sets Django up on the test
settings with an in-memory SQLite database, fills one table as a busy doen-sessie ends up:
30 participants (guests), 90 post-its and 3 votes per participant per kind, the top 3's chosen
and placed, 2 next steps. It then times, median of 200 requests through Django's test client
(the whole request: middleware, session, access check, board render, hash):
  (a) a poll while nothing changed (answer 204)    the common case
  (b) a poll after a change (answer 200 with the board)
  (c) adding a post-it (POST, answer the whole canvas for htmx)
and prints how many open canvases one core could serve at one poll per second, from (a).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
os.environ["DATABASE_URL"] = "sqlite:///:memory:"

REQUESTS = 200
PARTICIPANTS = 30


def median_ms(function: Callable[[], object], rounds: int = REQUESTS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import translation

    setup_test_environment()  # the test client's host, as in the test suite
    translation.activate("nl")
    call_command("migrate", verbosity=0)

    from zio.organisations.constants import Role
    from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory
    from zio.workshops import services
    from zio.workshops.constants import NoteKind, Round, Starter

    organisation = OrganisationFactory.create(name="SBO De Regenboog")
    leader = MembershipFactory.create(organisation=organisation, role=Role.OPSTELLER).user
    workshop = services.workshop_create(organisation=organisation, user=leader, title="Bench")
    table = workshop.tables.get()
    clients = []
    for number in range(PARTICIPANTS):
        client = Client()
        client.post(
            reverse("workshops:join"),
            {"code": workshop.join_code, "display_name": f"Deelnemer {number + 1}"},
        )
        clients.append(client)
    guests = list(workshop.participants.filter(user__isnull=True).order_by("pk"))
    services.round_start(table=table, user=leader, round=Round.ACTORS_FACTORS)
    notes = [
        services.note_add(
            table=table,
            participant=guests[n % PARTICIPANTS],
            kind=NoteKind.ACTOR if n % 2 else NoteKind.FACTOR,
            text=f"Post-it {n + 1}",
        )
        for n in range(90)
    ]
    services.round_start(table=table, user=leader, round=Round.CHOOSE)
    for index, guest in enumerate(guests):
        for kind in NoteKind:
            of_kind = [n for n in notes if n.kind == kind]
            for offset in range(3):
                services.vote_cast(
                    participant=guest, note=of_kind[(index + offset * 7) % len(of_kind)]
                )
    for kind in NoteKind:
        top = [n.pk for n in notes if n.kind == kind][:3]
        for choice in services.choices_set(table=table, user=leader, kind=kind, note_ids=top):
            services.choice_place(choice=choice, participant=guests[0], support=60, feasibility=40)
    services.round_start(table=table, user=leader, round=Round.NEXT_STEPS)
    for what in ("Wijkteam op school", "Ouders uitnodigen"):
        services.next_step_add(
            table=table,
            participant=guests[1],
            starter=Starter.SUPPORT,
            who="IB",
            what=what,
            when="Voor de kerst",
        )
    services.round_start(table=table, user=leader, round=Round.ACTORS_FACTORS)

    viewer = clients[0]
    page = viewer.get(reverse("workshops:table", args=[workshop.pk, table.pk])).content.decode()
    poll = page.split('data-hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    headers = {"HX-Request": "true"}
    assert viewer.get(poll, headers=headers).status_code == 204
    stale = poll.split("?v=")[0] + "?v=0&" + poll.split("&", 1)[1]
    assert viewer.get(stale, headers=headers).status_code == 200
    add_url = reverse("workshops:table_post", args=[workshop.pk, table.pk, "post-it"])
    counter = iter(range(10_000))

    def add() -> None:
        response = clients[1].post(
            add_url,
            {"postit-kind": "actor", "postit-text": f"Nieuw {next(counter)}"},
            headers=headers,
        )
        assert response.status_code == 200

    unchanged = median_ms(lambda: viewer.get(poll, headers=headers))
    changed = median_ms(lambda: viewer.get(stale, headers=headers))
    posting = median_ms(add, rounds=50)
    print(f"{os.cpu_count()} cores; a table with {PARTICIPANTS} participants, 90 post-its, ")
    print(f"{PARTICIPANTS * 6} votes, the top 3's placed and 2 next steps; median of {REQUESTS}")
    print(f"(a) poll, nothing changed (204):   {unchanged:6.1f} ms")
    print(f"(b) poll after a change (200):     {changed:6.1f} ms")
    print(f"(c) add a post-it (htmx canvas):   {posting:6.1f} ms (median of 50)")
    print(f"open canvases one core serves at 1 poll/s, from (a): {1000 / unchanged:.0f}")


if __name__ == "__main__":
    main()
