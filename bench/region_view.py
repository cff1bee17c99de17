"""How fast is the region view? Run by hand: .venv/bin/python bench/region_view.py

Sets Django up on the test settings with an in-memory SQLite database, makes one region with
200 schools x 10 shared persona's x 8 cost lines (4 now, 4 desired; schools pay one of 20
regional price levels) and times the region page through Django's test client (the whole
request: middleware, filters, the overview, the template), median of 10 after one warm-up
request, with the number of database queries. Target: under 300 ms, and a query count that
does not grow with the number of schools (zio/regions/tests/test_region.py asserts that part).
PROFILE=1 prints a profile of one request instead; --json also prints the figures as JSON (for
bench/run_all.py).
"""

from __future__ import annotations

import json
import os
import sys
from decimal import Decimal

import pages

SCHOOLS = 200
PERSONAS = 10
ROUNDS = 10


def main() -> None:
    pages.start_django("sqlite:///:memory:")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)

    from zio.costs.constants import ScenarioKind, Unit
    from zio.costs.models import CostLine, FundingStream, Scenario
    from zio.organisations.constants import OrganisationKind, Role
    from zio.organisations.models import Organisation
    from zio.organisations.tests.factories import MembershipFactory, RegionFactory
    from zio.personas.models import Persona
    from zio.regions.models import RegionShare

    region = RegionFactory.create(name="Bench-regio")
    schools = Organisation.objects.bulk_create(
        Organisation(
            name=f"School {n:03}",
            slug=f"school-{n:03}",
            kind=OrganisationKind.SCHOOL,
            school_type="po",
        )
        for n in range(SCHOOLS)
    )
    region.organisations.add(*schools)
    gemeente = Organisation.objects.create(
        name="Gemeente", slug="gemeente", kind=OrganisationKind.GEMEENTE
    )
    region.organisations.add(gemeente)
    viewer = MembershipFactory.create(organisation=gemeente, role=Role.MEELEZER).user
    personas = Persona.objects.bulk_create(
        Persona(
            organisation=school,
            name=f"Persona {n}",
            group_size=5 + (n * 7) % 30,
            age_min=6,
            age_max=12,
            school_types=["po"],
        )
        for school in schools
        for n in range(PERSONAS)
    )
    RegionShare.objects.bulk_create(RegionShare(persona=p, region=region) for p in personas)
    scenarios = Scenario.objects.bulk_create(
        Scenario(persona=p, kind=kind, label="A" if kind == ScenarioKind.DESIRED else "")
        for p in personas
        for kind in (ScenarioKind.CURRENT, ScenarioKind.DESIRED)
    )
    streams = list(FundingStream.objects.select_related("default_payer")[:4])
    CostLine.objects.bulk_create(
        CostLine(
            scenario=scenario,
            description=f"Regel {n}",
            funding_stream=stream,
            payer=stream.default_payer,
            unit=Unit.PUPIL_YEAR,
            # Schools pay different regional rates: 20 price levels across the region.
            rate=Decimal("1000") + n + 25 * (scenario.persona.organisation_id % 20),
            quantity=Decimal("1"),
            position=n,
        )
        for scenario in scenarios
        for n, stream in enumerate(streams)
    )
    client = Client()
    client.force_login(viewer)
    url = reverse("regions:overview", args=[region.pk])
    if pages.profile_requested():
        pages.profile_page(client, url)
        return
    timing = pages.time_page(client, url, ROUNDS)
    lines = CostLine.objects.count()
    print(f"{os.cpu_count()} cores, {connection.vendor}")
    print(f"{SCHOOLS} schools x {PERSONAS} persona's, {lines} cost lines")
    print(f"region page: median {timing.median_ms:.0f} ms of {ROUNDS}")
    print(f"database queries per page: {timing.queries}")
    if "--json" in sys.argv[1:]:
        print(
            "BENCH-JSON " + json.dumps({"median_ms": timing.median_ms, "queries": timing.queries})
        )


if __name__ == "__main__":
    main()
