"""The route page of a school: the status of every step and phase as the school gets further,
its sessions and actions, never another organisation's, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zio.accounts.models import User
from zio.grouping.models import GroupingRun, RunStatus
from zio.organisations.models import Membership, Organisation
from zio.personas.constants import PersonaStatus
from zio.personas.tests.factories import PersonaFactory
from zio.screening.models import Screening
from zio.workshops import services
from zio.workshops.constants import ActionStatus, Round, Starter
from zio.workshops.models import Action, Workshop
from zio.workshops.route import Progress, Route, route_for_organisation

pytestmark = pytest.mark.django_db

NOT_STARTED, BUSY, DONE = Progress.NOT_STARTED, Progress.BUSY, Progress.DONE


def _steps(route: Route) -> dict[str, str]:
    return {step.key: step.status for step in route.steps}


def _phases(route: Route) -> dict[str, str]:
    return {phase.key: phase.status for phase in route.phases}


def _screening(organisation: Organisation, *, replaced: bool = False) -> Screening:
    return Screening.objects.create(
        organisation=organisation,
        school_year="2026-2027",
        pupil_count=240,
        data=b"",
        replaced_at=timezone.now() if replaced else None,
    )


def _workshop(
    organisation: Organisation, user: User, *, title: str = "Sessie", steps: int = 0
) -> Workshop:
    workshop = services.workshop_create(organisation=organisation, user=user, title=title)
    if steps:
        table = workshop.tables.get()
        services.round_start(table=table, user=user, round=Round.NEXT_STEPS)
        participant = workshop.participants.get(user=user)
        for n in range(steps):
            services.next_step_add(
                table=table,
                participant=participant,
                starter=Starter.FEASIBILITY,
                who="IB'er",
                what=f"{title} stap {n}",
                when="volgende week",
                due_date=date(2020, 1, 1) if n == 0 else None,
            )
    return workshop


def test_an_empty_organisation_has_not_started(organisation: Organisation) -> None:
    route = route_for_organisation(organisation)
    assert set(_steps(route).values()) == {NOT_STARTED}
    assert set(_phases(route).values()) == {NOT_STARTED}
    assert [s.fact for s in route.steps] == [
        "Nog geen screening ingelezen.",
        "Nog niet gegroepeerd.",
        "Nog geen persona's.",
        "Nog geen doen-sessie gehouden.",
    ]
    assert [p.title for p in route.phases] == ["Verkennen", "Betrekken", "Uitvoeren"]
    assert route.phases[0].explanation == (
        "Hulpvraag, huidige situatie, relevante actoren en factoren"
    )
    assert route.phases[1].explanation == (
        "Inrichten van overlegstructuren en het ophalen van opdrachten"
    )
    assert route.phases[2].explanation == "Implementatie van een werkbaar samenwerkingsmodel"
    assert route.sessions == () and route.actions.total == 0


def test_a_replaced_screening_is_not_current(organisation: Organisation) -> None:
    _screening(organisation, replaced=True)
    route = route_for_organisation(organisation)
    assert _steps(route)["populatie"] == NOT_STARTED


def test_a_screening_only_starts_exploring(organisation: Organisation) -> None:
    _screening(organisation)
    route = route_for_organisation(organisation)
    assert _steps(route) == {
        "populatie": DONE,
        "groeperen": NOT_STARTED,
        "personas": NOT_STARTED,
        "gesprek": NOT_STARTED,
    }
    assert _phases(route) == {"verkennen": BUSY, "betrekken": NOT_STARTED, "uitvoeren": NOT_STARTED}
    assert route.steps[0].fact == "Screening 2026-2027: 240 leerlingen."


def test_grouping_is_done_only_with_a_finished_run(organisation: Organisation) -> None:
    GroupingRun.objects.create(organisation=organisation, status=RunStatus.FAILED)
    assert _steps(route_for_organisation(organisation))["groeperen"] == BUSY
    GroupingRun.objects.create(organisation=organisation, status=RunStatus.DONE)
    route = route_for_organisation(organisation)
    assert _steps(route)["groeperen"] == DONE
    assert route.steps[1].fact == "1 groepering klaar."


def test_an_adopted_persona_finishes_exploring(organisation: Organisation) -> None:
    PersonaFactory.create(organisation=organisation)
    route = route_for_organisation(organisation)
    assert _steps(route)["personas"] == BUSY and _phases(route)["verkennen"] == BUSY
    PersonaFactory.create(organisation=organisation, status=PersonaStatus.ADOPTED)
    # Archived persona's do not count.
    PersonaFactory.create(organisation=organisation, archived_at=timezone.now())
    route = route_for_organisation(organisation)
    assert _steps(route)["personas"] == DONE
    assert _phases(route)["verkennen"] == DONE
    assert route.steps[2].fact == "2 persona's, waarvan 1 vastgesteld."


def test_a_workshop_with_a_next_step_finishes_involving(opsteller: Membership) -> None:
    org, user = opsteller.organisation, opsteller.user
    _workshop(org, user, title="Zonder stappen")
    route = route_for_organisation(org)
    assert _steps(route)["gesprek"] == BUSY and _phases(route)["betrekken"] == BUSY
    assert _phases(route)["uitvoeren"] == NOT_STARTED
    _workshop(org, user, title="Met stappen", steps=2)
    route = route_for_organisation(org)
    assert _steps(route)["gesprek"] == DONE and _phases(route)["betrekken"] == DONE
    # Its next steps became actions, not yet done.
    assert _phases(route)["uitvoeren"] == BUSY
    assert route.steps[3].fact == "2 doen-sessies, 1 met vervolgstappen."
    newest, oldest = route.sessions
    assert (newest.title, newest.tables, newest.participants, newest.next_steps) == (
        "Met stappen",
        1,
        1,
        2,
    )
    assert (oldest.title, oldest.next_steps) == ("Zonder stappen", 0)


def test_all_actions_done_finishes_carrying_out(opsteller: Membership) -> None:
    _workshop(opsteller.organisation, opsteller.user, steps=2)
    for action in Action.objects.all():
        services.action_update(action=action, status=ActionStatus.DONE)
    route = route_for_organisation(opsteller.organisation)
    assert _phases(route)["uitvoeren"] == DONE
    assert (route.actions.done, route.actions.to_do, route.actions.overdue) == (2, 0, 0)
    assert route.actions.first_open == ()


def test_the_action_summary_counts_and_marks_overdue_actions(opsteller: Membership) -> None:
    _workshop(opsteller.organisation, opsteller.user, steps=7)
    actions = list(Action.objects.order_by("pk"))
    services.action_update(action=actions[1], status=ActionStatus.BUSY)
    services.action_update(action=actions[2], status=ActionStatus.DONE)
    services.action_update(action=actions[3], due_date=timezone.localdate() - timedelta(days=1))
    summary = route_for_organisation(opsteller.organisation).actions
    assert (summary.open, summary.busy, summary.done, summary.overdue) == (5, 1, 1, 2)
    assert len(summary.first_open) == 5
    # Soonest due first, overdue ones at the top; done ones never.
    assert [a.pk for a in summary.first_open[:2]] == [actions[0].pk, actions[3].pk]
    assert all(a.is_overdue for a in summary.first_open[:2])
    assert actions[2].pk not in [a.pk for a in summary.first_open]


def test_another_organisations_work_never_appears(
    opsteller: Membership,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    other = make_member(other_organisation)
    _workshop(other_organisation, other.user, title="Geheime sessie B", steps=1)
    _screening(other_organisation)
    GroupingRun.objects.create(organisation=other_organisation, status=RunStatus.DONE)
    PersonaFactory.create(organisation=other_organisation, status=PersonaStatus.ADOPTED)
    route = route_for_organisation(opsteller.organisation)
    assert set(_steps(route).values()) == {NOT_STARTED}
    assert route.sessions == () and route.actions.total == 0
    page = client_for(opsteller.user).get(reverse("workshops:route")).content.decode()
    assert "Geheime sessie B" not in page


def test_the_page_shows_phases_steps_sessions_and_actions(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    _screening(opsteller.organisation)
    workshop = _workshop(opsteller.organisation, opsteller.user, title="Sessie Rijnvliet", steps=1)
    response = client_for(opsteller.user).get(reverse("workshops:route"))
    assert response.status_code == 200
    page = response.content.decode()
    # Phases in an ordered list, with the status as words.
    assert '<ol class="route route-phases">' in page
    assert "Status: bezig" in page and "Status: klaar" in page
    assert "Status: nog niet begonnen" in page
    for name in ("screening:overview", "grouping:overview", "personas:list", "exports:overview"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("workshops:detail", args=[workshop.pk])}"' in page
    assert "Sessie Rijnvliet stap 0" in page and "over de datum" in page
    assert f'href="{reverse("workshops:actions")}"' in page
    assert 'aria-current="page"' in page  # step 4 (Gesprek) is current in the navigation
    assert " style=" not in page


def test_the_page_is_for_members_only(client: Client) -> None:
    response = client.get(reverse("workshops:route"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_query_count_does_not_grow_with_workshops_and_actions(
    opsteller: Membership,
    client_for: Callable[..., Client],
    django_assert_num_queries: Callable,
) -> None:
    client = client_for(opsteller.user)
    url = reverse("workshops:route")
    _workshop(opsteller.organisation, opsteller.user, title="Eerste", steps=2)
    client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(9):
        _workshop(opsteller.organisation, opsteller.user, title=f"Sessie {n}", steps=3)
    assert Workshop.objects.count() == 10 and Action.objects.count() == 29
    with django_assert_num_queries(len(one)):
        assert client.get(url).status_code == 200
