"""API tokens: the secret is shown once and only its hash is kept; a token works only while
it is active and its user is still a member, with the rights of the user's role now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zio.api import services
from zio.api.api import TOKEN_REQUIRED
from zio.api.constants import TOKEN_PREFIX
from zio.api.models import ApiToken
from zio.api.views import NEW_TOKEN_SESSION_KEY
from zio.organisations import services as org_services
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

PERSONAS = "/api/v1/personas"


def test_a_token_stores_only_a_hash_of_its_secret(opsteller: Membership) -> None:
    token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Rapportage"
    )
    token.refresh_from_db()
    assert secret.startswith(TOKEN_PREFIX) and len(secret) > 40
    assert token.secret_hash == services.hash_secret(secret) != secret
    assert secret.startswith(token.prefix) and len(token.prefix) == len(TOKEN_PREFIX) + 8
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert not any(secret in value for value in stored)


def test_a_valid_token_reads_and_notes_its_use_at_most_once_a_minute(
    opsteller: Membership,
) -> None:
    token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Rapportage"
    )
    client = ApiClient(secret)
    assert client.get(PERSONAS).status == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert client.get(PERSONAS).status == 200
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: not written again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get(PERSONAS).status == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first - timedelta(minutes=1)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer zio_geraden", "Token zio_x", "Basic dXNlcjpwdw=="],
)
def test_without_a_valid_token_the_answer_is_401_with_detail(header: str | None) -> None:
    client = Client()
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(PERSONAS, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": str(TOKEN_REQUIRED)}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_no_longer_works(opsteller: Membership) -> None:
    token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Oud"
    )
    services.api_token_revoke(token=token, by=opsteller.user)
    assert ApiClient(secret).get(PERSONAS).status == 401


def test_an_expired_token_no_longer_works(opsteller: Membership) -> None:
    token, secret = services.api_token_create(
        user=opsteller.user,
        organisation=opsteller.organisation,
        name="Kort",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert ApiClient(secret).get(PERSONAS).status == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(secret).get(PERSONAS).status == 401


def test_removing_the_membership_kills_the_token(
    opsteller: Membership, beheerder: Membership
) -> None:
    _token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Vertrekt"
    )
    org_services.membership_remove(membership=opsteller)
    assert ApiClient(secret).get(PERSONAS).status == 401


def test_a_deactivated_user_s_token_no_longer_works(opsteller: Membership) -> None:
    _token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Account uit"
    )
    opsteller.user.is_active = False
    opsteller.user.save()
    assert ApiClient(secret).get(PERSONAS).status == 401


def test_a_lowered_role_takes_effect_at_once(
    opsteller: Membership, beheerder: Membership, api_for: Callable
) -> None:
    from zio.personas.tests.factories import PersonaFactory

    persona = PersonaFactory.create(organisation=opsteller.organisation)
    client = api_for(opsteller)
    body = {"version": 0, "items": [{"text": "Houdt van voetbal"}]}
    path = f"{PERSONAS}/{persona.pk}/sections/wie"
    assert client.call("put", path, body).status == 200
    org_services.membership_change_role(membership=opsteller, role=Role.MEELEZER)
    answer = client.call("put", path, {"version": 1, "items": []})
    assert answer.status == 403
    assert "opsteller" in answer.body["detail"]
    assert client.get(path.rsplit("/sections", 1)[0]).status == 200  # reading still works
    assert persona.items.get().text == "Houdt van voetbal"


def test_a_token_is_bound_to_the_organisation_it_was_made_for(
    opsteller: Membership, other_organisation: Organisation, make_member: Callable
) -> None:
    from zio.personas.tests.factories import PersonaFactory

    # The same user is a beheerder elsewhere too: the token still only sees its own organisation.
    make_member(other_organisation, Role.BEHEERDER, user=opsteller.user)
    elsewhere = PersonaFactory.create(organisation=other_organisation, name="Elders")
    _token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Hier"
    )
    client = ApiClient(secret)
    assert client.get(f"{PERSONAS}/{elsewhere.pk}").status == 404
    assert "Elders" not in client.get(PERSONAS).text


def test_tokens_are_only_made_for_an_organisation_of_the_user(
    opsteller: Membership, other_organisation: Organisation
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.api_token_create(
            user=opsteller.user, organisation=other_organisation, name="Niet van mij"
        )
    assert caught.value.messages == [str(services.NOT_A_MEMBER)]
    with pytest.raises(ValidationError):
        services.api_token_create(
            user=opsteller.user,
            organisation=opsteller.organisation,
            name="Te lang",
            expires_at=timezone.now() + timedelta(days=400),
        )


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_a_new_secret_once(opsteller: Membership, client_for: Callable) -> None:
    client = client_for(opsteller.user)
    response = client.post(reverse("api:tokens"), {"name": "Koppeling met Excel"})
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert token.user == opsteller.user and token.organisation == opsteller.organisation
    page = client.get(reverse("api:tokens")).content.decode()
    secret = page.split('id="api-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert token.secret_hash == services.hash_secret(secret)
    assert ApiClient(secret).get(PERSONAS).status == 200
    again = client.get(reverse("api:tokens")).content.decode()
    assert secret not in again and token.prefix in again
    assert NEW_TOKEN_SESSION_KEY not in client.session


def test_the_page_refuses_a_date_in_the_past(opsteller: Membership, client_for: Callable) -> None:
    client = client_for(opsteller.user)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("api:tokens"), {"name": "Gisteren", "expires_on": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert str(services.EXPIRY_IN_PAST) in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_chosen_date_is_valid_through_that_day(
    opsteller: Membership, client_for: Callable
) -> None:
    day = timezone.localdate() + timedelta(days=30)
    client_for(opsteller.user).post(
        reverse("api:tokens"), {"name": "Maand", "expires_on": day.isoformat()}
    )
    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert expires.date() == day + timedelta(days=1) and expires.hour == 0


def test_members_see_and_revoke_only_their_own_tokens(
    opsteller: Membership, meelezer: Membership, client_for: Callable
) -> None:
    mine, _ = services.api_token_create(
        user=meelezer.user, organisation=meelezer.organisation, name="Van de meelezer"
    )
    theirs, _ = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Van de opsteller"
    )
    client = client_for(meelezer.user)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Van de meelezer" in page and "Van de opsteller" not in page
    assert client.post(reverse("api:token_revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.post(reverse("api:token_revoke", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None and mine.revoked_by == meelezer.user


def test_a_beheerder_sees_and_revokes_every_token_of_the_organisation(
    opsteller: Membership, beheerder: Membership, client_for: Callable
) -> None:
    token, secret = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Van de opsteller"
    )
    client = client_for(beheerder.user)
    page = client.get(reverse("api:tokens")).content.decode()
    assert "Van de opsteller" in page and token.prefix in page
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    assert ApiClient(secret).get(PERSONAS).status == 401


def test_another_organisation_s_beheerder_cannot_revoke(
    opsteller: Membership, other_organisation: Organisation, make_member: Callable, client_for
) -> None:
    token, _ = services.api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Van A"
    )
    outsider = make_member(other_organisation, Role.BEHEERDER)
    client = client_for(outsider.user)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert "Van A" not in client.get(reverse("api:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
