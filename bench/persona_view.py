"""How fast is the persona page? Run by hand: .venv/bin/python bench/persona_view.py [--json]

Sets Django up on the test settings with an in-memory SQLite database, loads the demo data
(`seed_demo`: the persona Noor with every section, comments, cost lines in three scenarios,
shared with the region and published in the library) and times Noor's page for the demo
beheerder through Django's test client (the whole request: middleware, session, the page's
queries, the template), median of 20 after one warm-up request, with the number of database
queries. Target: under 300 ms. PROFILE=1 prints a profile of one request instead.
"""

from __future__ import annotations

import json
import os
import sys

import pages

ROUNDS = 20
TARGET_MS = 300


def main() -> None:
    pages.start_django("sqlite:///:memory:")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115, PTH123

    from zio.accounts.models import User
    from zio.demo import content
    from zio.personas.models import Persona

    user = User.objects.get(email__iexact=content.WORKSHOP_LEADER)
    persona = Persona.objects.filter(organisation__memberships__user=user).order_by("pk").first()
    assert persona is not None
    client = Client()
    client.force_login(user)
    url = reverse("personas:detail", args=[persona.pk])
    if pages.profile_requested():
        pages.profile_page(client, url)
        return
    timing = pages.time_page(client, url, ROUNDS)
    response, median_ms = timing.response, timing.median_ms
    print(f"{os.cpu_count()} cores, {connection.vendor}")
    print(f"persona {persona.name}: {persona.items.count()} lines, page {len(response.content)} B")
    verdict = "ok" if median_ms < TARGET_MS else "TOO SLOW"
    print(f"persona page: median {median_ms:.0f} ms of {ROUNDS} (target < {TARGET_MS}) {verdict}")
    print(f"database queries per page: {timing.queries}")
    if "--json" in sys.argv[1:]:
        print("BENCH-JSON " + json.dumps({"median_ms": median_ms, "queries": timing.queries}))


if __name__ == "__main__":
    main()
