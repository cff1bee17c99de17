"""Set-up for the load test (bench/load.py runs it; not for use on a real database):

    python bench/load_setup.py PLAN.json [users] [tables]

On the database of DATABASE_URL, with the demo data already loaded, makes in SBO De Regenboog:
`users` accounts load-NN@bench.example (opsteller, the demo password), each with a persona
of its own (so that simulated users never edit the same section: a 409 is then a real error),
and a doen-sessie "Load test" with `tables` tables, all in the round of actors and factors,
where the users post their post-its. Writes what the simulated users need to PLAN.json.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")


def main() -> None:
    import django

    django.setup()
    from django.db import transaction

    from zio.accounts.models import User
    from zio.accounts.services import user_create
    from zio.demo import content
    from zio.organisations.constants import Role
    from zio.organisations.models import Organisation
    from zio.organisations.services import membership_create
    from zio.personas.constants import Section
    from zio.personas.models import Persona
    from zio.personas.services import persona_create
    from zio.workshops import services
    from zio.workshops.constants import Round

    plan_path = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    table_count = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    school = Organisation.objects.get(name=content.ORGANISATIONS["sbo"]["name"])
    leader = User.objects.get(email__iexact=content.WORKSHOP_LEADER)
    demo_persona = Persona.objects.filter(organisation=school).order_by("pk").first()
    assert demo_persona is not None
    users = []
    with transaction.atomic():
        for number in range(1, count + 1):
            email = f"load-{number:02}@bench.example"
            user = user_create(
                email=email, password=content.DEMO_PASSWORD, full_name=f"Load {number:02}"
            )
            membership_create(user=user, organisation=school, role=Role.OPSTELLER)
            persona = persona_create(
                organisation=school,
                name=f"Load {number:02}",
                group_size=12,
                age_min=6,
                age_max=12,
                school_types=["sbo"],
                sections={
                    Section.WHO: ["Is 9 jaar en zit in groep 5.", "Woont bij moeder en oma."],
                    Section.NEEDS: ["Voorspelbaarheid en structuur."],
                },
                created_by=user,
            )
            users.append({"email": email, "persona": persona.pk})
        workshop = services.workshop_create(
            organisation=school, user=leader, title="Load test", tables=table_count
        )
        tables = list(workshop.tables.order_by("pk"))
        for table in tables:
            services.round_start(table=table, user=leader, round=Round.ACTORS_FACTORS, minutes=120)
    plan = {
        "password": content.DEMO_PASSWORD,
        "demo_persona": demo_persona.pk,
        "workshop": workshop.pk,
        "tables": [table.pk for table in tables],
        "users": users,
    }
    plan_path.write_text(json.dumps(plan, indent=1))
    print(f"{count} users with a persona each, a doen-sessie with {table_count} tables")


if __name__ == "__main__":
    main()
