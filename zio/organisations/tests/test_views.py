from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zio.accounts.models import User
from zio.accounts.tests.factories import PASSWORD, UserFactory
from zio.organisations import services
from zio.organisations.active import SESSION_KEY
from zio.organisations.constants import Role
from zio.organisations.forms import NOT_YOUR_ORGANISATION
from zio.organisations.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db


def test_switching_to_another_own_organisation(
    beheerder: Membership, other_organisation: Organisation, make_member: Callable, client_for
) -> None:
    make_member(other_organisation, Role.MEELEZER, user=beheerder.user)
    client = client_for(beheerder.user)
    response = client.post(
        reverse("organisations:switch"), {"organisation": other_organisation.pk}, follow=True
    )
    assert client.session[SESSION_KEY] == other_organisation.pk
    assert f"Je werkt nu in {other_organisation.name}" in response.content.decode()
    overview = client.get(reverse("organisations:overview")).content.decode()
    assert f"<h1>{other_organisation.name}</h1>" in overview


def test_switching_to_a_foreign_organisation_is_refused(
    beheerder: Membership, other_organisation: Organisation, client_for
) -> None:
    client = client_for(beheerder.user)
    client.get(reverse("common:start"))
    response = client.post(
        reverse("organisations:switch"), {"organisation": other_organisation.pk}, follow=True
    )
    assert str(NOT_YOUR_ORGANISATION) in response.content.decode()
    assert client.session.get(SESSION_KEY) != other_organisation.pk
    overview = client.get(reverse("organisations:overview")).content.decode()
    assert other_organisation.name not in overview


def test_switch_does_not_redirect_to_other_sites(beheerder: Membership, client_for) -> None:
    response = client_for(beheerder.user).post(
        reverse("organisations:switch"),
        {"organisation": beheerder.organisation_id, "next": "https://kwaadaardig.example/"},
    )
    assert response["Location"] == reverse("common:start")


def test_members_page_lists_members_for_everyone_in_the_organisation(
    beheerder: Membership, meelezer: Membership, client_for
) -> None:
    content = client_for(meelezer.user).get(reverse("organisations:members")).content.decode()
    assert beheerder.user.email in content
    assert "Iemand uitnodigen" not in content  # only for beheerders


def test_meelezer_cannot_change_roles(
    beheerder: Membership, meelezer: Membership, client_for
) -> None:
    url = reverse("organisations:membership_role", args=[beheerder.pk])
    response = client_for(meelezer.user).post(url, {"role": Role.MEELEZER})
    assert response.status_code == 403
    assert "Hiervoor heb je de rol beheerder nodig" in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.role == Role.BEHEERDER


def test_beheerder_changes_a_role_with_htmx(
    beheerder: Membership, opsteller: Membership, client_for
) -> None:
    url = reverse("organisations:membership_role", args=[opsteller.pk])
    response = client_for(beheerder.user).post(
        url, {"role": Role.MEELEZER}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith(f'<tr id="lid-{opsteller.pk}"')
    assert "Opgeslagen" in content
    opsteller.refresh_from_db()
    assert opsteller.role == Role.MEELEZER


def test_changing_your_own_role_reloads_the_page(
    beheerder: Membership, organisation: Organisation, make_member: Callable, client_for
) -> None:
    make_member(organisation, Role.BEHEERDER)
    url = reverse("organisations:membership_role", args=[beheerder.pk])
    response = client_for(beheerder.user).post(
        url, {"role": Role.OPSTELLER}, headers={"HX-Request": "true"}
    )
    assert response["HX-Refresh"] == "true"
    beheerder.refresh_from_db()
    assert beheerder.role == Role.OPSTELLER


def test_demoting_the_last_beheerder_shows_why_in_the_row(
    beheerder: Membership, client_for
) -> None:
    url = reverse("organisations:membership_role", args=[beheerder.pk])
    response = client_for(beheerder.user).post(
        url, {"role": Role.OPSTELLER}, headers={"HX-Request": "true"}
    )
    assert str(services.LAST_BEHEERDER) in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.role == Role.BEHEERDER


def test_invalid_role_is_refused(beheerder: Membership, opsteller: Membership, client_for) -> None:
    url = reverse("organisations:membership_role", args=[opsteller.pk])
    response = client_for(beheerder.user).post(url, {"role": "koning"}, follow=True)
    assert "Kies een geldige rol" in response.content.decode()
    opsteller.refresh_from_db()
    assert opsteller.role == Role.OPSTELLER


def test_remove_member_asks_first_then_removes(
    beheerder: Membership, opsteller: Membership, client_for
) -> None:
    client = client_for(beheerder.user)
    url = reverse("organisations:membership_remove", args=[opsteller.pk])
    assert "verwijderen?" in client.get(url).content.decode()
    assert Membership.objects.filter(pk=opsteller.pk).exists()
    client.post(url)
    assert not Membership.objects.filter(pk=opsteller.pk).exists()


def test_invitation_link_is_shown_once(beheerder: Membership, client_for) -> None:
    client = client_for(beheerder.user)
    response = client.post(
        reverse("organisations:invitation_create"), {"role": Role.OPSTELLER}, follow=True
    )
    content = response.content.decode()
    assert "Uitnodigingslink gemaakt" in content
    assert "/uitnodiging/" in content
    assert Invitation.objects.filter(organisation=beheerder.organisation).count() == 1
    again = client.get(reverse("organisations:members")).content.decode()
    assert "Uitnodigingslink gemaakt" not in again


def test_invitation_with_bad_email_gets_a_dutch_error_and_is_not_created(
    beheerder: Membership, client_for
) -> None:
    response = client_for(beheerder.user).post(
        reverse("organisations:invitation_create"),
        {"role": Role.OPSTELLER, "email": "geen-adres"},
    )
    assert response.status_code == 400
    assert "Er is iets niet goed ingevuld" in response.content.decode()
    assert not Invitation.objects.exists()


def _invitation_url(beheerder: Membership, **kwargs: object) -> tuple[Invitation, str]:
    invitation, token = services.invitation_create(
        organisation=beheerder.organisation,
        role=Role.OPSTELLER,
        created_by=beheerder.user,
        **kwargs,  # type: ignore[arg-type]
    )
    return invitation, reverse("organisations:invitation_accept", kwargs={"token": token})


def test_new_person_registers_through_an_invitation(client: Client, beheerder: Membership) -> None:
    _, url = _invitation_url(beheerder)
    page = client.get(url)
    assert beheerder.organisation.name in page.content.decode()
    response = client.post(
        url,
        {
            "full_name": "Ilse Smit",
            "email": "Ilse@School.Example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert f"Welkom bij {beheerder.organisation.name}" in response.content.decode()
    user = User.objects.get(email="ilse@school.example")
    assert Membership.objects.get(user=user).role == Role.OPSTELLER


def test_registration_errors_are_dutch_and_nothing_is_saved(
    client: Client, beheerder: Membership
) -> None:
    _, url = _invitation_url(beheerder)
    response = client.post(
        url,
        {
            "full_name": "Ilse",
            "email": "ilse@school.example",
            "password1": "kort",
            "password2": "x",
        },
    )
    assert response.status_code == 400
    assert "De twee wachtwoorden zijn niet gelijk" in response.content.decode()
    assert not User.objects.filter(email="ilse@school.example").exists()


def test_logged_in_user_accepts_an_invitation(
    beheerder: Membership, other_organisation: Organisation, make_member: Callable, client_for
) -> None:
    _, url = _invitation_url(beheerder)
    outsider = make_member(other_organisation).user
    client = client_for(outsider)
    assert "Uitnodiging aannemen" in client.get(url).content.decode()
    client.post(url)
    assert Membership.objects.filter(user=outsider, organisation=beheerder.organisation).exists()
    # The new organisation becomes the active one.
    assert client.session[SESSION_KEY] == beheerder.organisation_id


def test_reused_invitation_explains_in_dutch(
    client: Client, beheerder: Membership, client_for
) -> None:
    invitation, url = _invitation_url(beheerder)
    services.invitation_accept(invitation=invitation, user=UserFactory.create())
    late = UserFactory.create()
    response = client_for(late).post(url)
    assert response.status_code == 410
    assert str(services.INVITATION_USED) in response.content.decode()
    assert not Membership.objects.filter(user=late).exists()


def test_expired_invitation_explains_in_dutch(client: Client, beheerder: Membership) -> None:
    invitation, url = _invitation_url(beheerder)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(1))
    response = client.get(url)
    assert response.status_code == 410
    assert str(services.INVITATION_EXPIRED) in response.content.decode()


def test_unknown_invitation_token_is_not_found(client: Client) -> None:
    url = reverse("organisations:invitation_accept", kwargs={"token": "verzonnen"})
    assert client.get(url).status_code == 404


def test_revoking_an_invitation(beheerder: Membership, client_for) -> None:
    invitation, url = _invitation_url(beheerder)
    client = client_for(beheerder.user)
    client.post(reverse("organisations:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(url).status_code == 410


def test_invitation_for_another_address_is_refused_for_logged_in_user(
    beheerder: Membership, client_for
) -> None:
    _, url = _invitation_url(beheerder, email="bedoeld@school.example")
    stranger = UserFactory.create()
    response = client_for(stranger).post(url)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=stranger).exists()
