from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from zio.accounts.tests.factories import UserFactory
from zio.organisations.models import Membership
from zio.personas.tests.factories import PersonaFactory


@pytest.mark.django_db
def test_home_sends_anonymous_users_to_login(client: Client) -> None:
    response = client.get(reverse("common:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_home_sends_members_to_start(beheerder: Membership, client_for: Callable) -> None:
    response = client_for(beheerder.user).get(reverse("common:home"))
    assert response["Location"] == reverse("common:start")


def test_start_shows_the_four_steps_and_the_organisation(
    beheerder: Membership, client_for: Callable
) -> None:
    response = client_for(beheerder.user).get(reverse("common:start"))
    content = response.content.decode()
    assert response.status_code == 200
    assert beheerder.organisation.name in content
    for title in ("Populatie", "Groeperen", "Persona&#x27;s", "Gesprek"):
        assert title in content


def test_step_four_offers_the_exports_and_says_the_canvas_is_coming(
    meelezer: Membership, client_for: Callable
) -> None:
    PersonaFactory.create(organisation=meelezer.organisation)
    response = client_for(meelezer.user).get(reverse("exports:overview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Waaier" in page
    assert "doen-sessie" in page


@pytest.mark.django_db
def test_user_without_membership_gets_a_dutch_explanation(client_for: Callable) -> None:
    response = client_for(UserFactory.create()).get(reverse("common:start"))
    assert response.status_code == 403
    assert "Je hoort nog niet bij een organisatie" in response.content.decode()


@pytest.mark.django_db
def test_health_check_has_no_data(client: Client) -> None:
    response = client.get(reverse("common:health"))
    assert response.status_code == 200
    assert response.content == b"ok"
