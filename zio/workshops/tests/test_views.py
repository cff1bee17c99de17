"""The action list through the web: everyone reads, opstellers follow up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from zio.organisations.models import Membership, Organisation
from zio.workshops import services
from zio.workshops.constants import ActionStatus, Round, Starter
from zio.workshops.models import Action

pytestmark = pytest.mark.django_db


def _action(membership: Membership, what: str = "de gemeente bellen", due=None) -> Action:
    workshop = services.workshop_create(
        organisation=membership.organisation, user=membership.user, title="Sessie"
    )
    table = workshop.tables.get()
    services.round_start(table=table, user=membership.user, round=Round.NEXT_STEPS)
    step = services.next_step_add(
        table=table,
        participant=workshop.participants.get(),
        starter=Starter.SUPPORT,
        who="Schoolleider",
        what=what,
        when="morgen",
        due_date=due,
    )
    return step.action


def test_everyone_reads_the_list_and_overdue_actions_stand_out(
    opsteller: Membership, meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    _action(opsteller, "de gemeente bellen", due=date(2020, 1, 1))
    _action(opsteller, "ouders uitnodigen")
    page = client_for(meelezer.user).get(reverse("workshops:actions")).content.decode()
    assert "Om het draagvlak te versterken… de gemeente bellen" in page
    assert "1 actie is over de datum." in page
    assert "action--overdue" in page
    assert "Bijwerken" not in page  # meelezers read only


def test_an_opsteller_updates_status_owner_and_date(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    action = _action(opsteller)
    client = client_for(opsteller.user)
    assert "Bijwerken" in client.get(reverse("workshops:actions")).content.decode()
    prefix = f"actie-{action.pk}"
    response = client.post(
        reverse("workshops:action_update", args=[action.pk]),
        {f"{prefix}-status": "klaar", f"{prefix}-owner": "IB'er", f"{prefix}-due_date": ""},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.owner, action.due_date) == (ActionStatus.DONE, "IB'er", None)


def test_bad_input_is_explained_and_changes_nothing(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    action = _action(opsteller)
    prefix = f"actie-{action.pk}"
    response = client_for(opsteller.user).post(
        reverse("workshops:action_update", args=[action.pk]),
        {f"{prefix}-status": "weg", f"{prefix}-owner": "", f"{prefix}-due_date": "morgen"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Kies een status uit de lijst." in page
    assert "Vul in wie de actie oppakt." in page
    assert "Vul een datum in" in page
    action.refresh_from_db()
    assert (action.status, action.owner) == (ActionStatus.OPEN, "Schoolleider")


def test_meelezers_and_other_organisations_cannot_change_an_action(
    opsteller: Membership,
    meelezer: Membership,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    action = _action(opsteller)
    url = reverse("workshops:action_update", args=[action.pk])
    prefix = f"actie-{action.pk}"
    data = {f"{prefix}-status": "klaar", f"{prefix}-owner": "x"}
    assert client_for(meelezer.user).post(url, data).status_code == 403
    outsider = client_for(make_member(other_organisation).user)
    assert outsider.post(url, data).status_code == 404
    page = outsider.get(reverse("workshops:actions")).content.decode()
    assert "de gemeente bellen" not in page
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
