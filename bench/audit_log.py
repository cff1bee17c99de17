"""How fast is the audit log? Run by hand: .venv/bin/python bench/audit_log.py [--events N]

Sets Django up on the test settings with an in-memory SQLite database (or DATABASE_URL's
PostgreSQL, in a database of its own that is dropped afterwards), fills one organisation's log
with N events (default 500,000: two years of a school with 20 staff who each open about 35
pages a day) and another organisation's with as many, then times through Django's test
client, median of 10 after one warm-up request:

- the beheerder's log page, unfiltered (the newest 50 and the count of all),
- the log page filtered on one person and one month,
- the CSV download of that filtered month.

No target is set in an issue; the page should stay well under a second.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta

import pages

# On PostgreSQL a database of its own, so that a test run beside it is not disturbed.
os.environ["TEST_DATABASE_NAME"] = "zio_bench_audit_log"

ROUNDS = 10
BATCH = 20_000


def main() -> None:
    events = 500_000
    if "--events" in sys.argv:
        events = int(sys.argv[sys.argv.index("--events") + 1])

    pages.start_django(None)  # DATABASE_URL from the environment, else in-memory SQLite
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from zio.audit.models import Action, AuditEvent
        from zio.organisations.constants import Role
        from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory

        school = OrganisationFactory.create(name="Bench-school")
        other = OrganisationFactory.create(name="Andere school")
        beheerder = MembershipFactory.create(organisation=school, role=Role.BEHEERDER).user
        now = timezone.now()
        actions = [Action.VIEWED] * 6 + [Action.CHANGED] * 3 + [Action.EXPORTED]
        started = time.perf_counter()
        for organisation in (school, other):
            for offset in range(0, events, BATCH):
                AuditEvent.objects.bulk_create(
                    AuditEvent(
                        at=now - timedelta(minutes=2 * n),
                        organisation_id=organisation.pk,
                        organisation_name=organisation.name,
                        actor_id=1000 + n % 20,
                        actor_name=f"Medewerker {n % 20}",
                        action=actions[n % len(actions)],
                        object_type="persona",
                        object_id=str(n % 40),
                        object_label=f"Persona {n % 40}",
                    )
                    for n in range(offset, min(offset + BATCH, events))
                )
        print(
            f"{connection.vendor}: {2 * events:,} events written in "
            f"{time.perf_counter() - started:.1f} s"
        )

        client = Client()
        client.force_login(beheerder, backend="django.contrib.auth.backends.ModelBackend")
        url = reverse("audit:log")
        month_start = timezone.localdate(now - timedelta(days=60))
        month = {
            "actor": "1003",
            "start": month_start.isoformat(),
            "end": (month_start + timedelta(days=30)).isoformat(),
        }
        csv_url = reverse("audit:export", args=["csv"])
        for label, page_url, params in (
            (f"log page, newest 50 of {events:,}", url, None),
            ("log page, one person and one month", url, month),
            ("CSV of that month", csv_url, month),
        ):
            median_ms = pages.time_page(client, page_url, ROUNDS, params).median_ms
            print(f"{label}: median {median_ms:.0f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        del test_name


if __name__ == "__main__":
    main()
