from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zio.accounts.models import User
from zio.accounts.tests.factories import UserFactory
from zio.organisations import services
from zio.organisations.constants import Role
from zio.organisations.models import Invitation, Membership, Organisation
from zio.organisations.selectors import invitation_for_token

pytestmark = pytest.mark.django_db


def test_last_beheerder_cannot_be_demoted(beheerder: Membership) -> None:
    with pytest.raises(ValidationError) as error:
        services.membership_change_role(membership=beheerder, role=Role.OPSTELLER)
    assert str(services.LAST_BEHEERDER) in error.value.messages
    beheerder.refresh_from_db()
    assert beheerder.role == Role.BEHEERDER


def test_last_beheerder_cannot_be_removed(beheerder: Membership) -> None:
    with pytest.raises(ValidationError):
        services.membership_remove(membership=beheerder)
    assert Membership.objects.filter(pk=beheerder.pk).exists()


def test_a_beheerder_can_step_down_when_another_remains(
    beheerder: Membership, organisation: Organisation, make_member: Callable
) -> None:
    make_member(organisation, Role.BEHEERDER)
    services.membership_change_role(membership=beheerder, role=Role.MEELEZER)
    beheerder.refresh_from_db()
    assert beheerder.role == Role.MEELEZER


def test_membership_is_unique_per_organisation(beheerder: Membership) -> None:
    with pytest.raises(ValidationError) as error:
        services.membership_create(
            user=beheerder.user, organisation=beheerder.organisation, role=Role.MEELEZER
        )
    assert "al lid" in error.value.messages[0]


def _invite(beheerder: Membership, **kwargs: object) -> tuple[Invitation, str]:
    return services.invitation_create(
        organisation=beheerder.organisation,
        role=kwargs.pop("role", Role.OPSTELLER),  # type: ignore[arg-type]
        created_by=beheerder.user,
        **kwargs,  # type: ignore[arg-type]
    )


def test_invitation_token_is_stored_only_as_hash(beheerder: Membership) -> None:
    invitation, token = _invite(beheerder)
    assert token not in invitation.token_hash
    assert invitation_for_token(token) == invitation
    assert invitation_for_token(token + "x") is None


def test_invitation_makes_a_member_with_its_role(beheerder: Membership) -> None:
    invitation, _ = _invite(beheerder, role=Role.MEELEZER)
    user = UserFactory.create()
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert membership.role == Role.MEELEZER
    assert membership.organisation == beheerder.organisation
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_invitation_cannot_be_used_twice(beheerder: Membership) -> None:
    invitation, _ = _invite(beheerder)
    services.invitation_accept(invitation=invitation, user=UserFactory.create())
    second = UserFactory.create()
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=second)
    assert error.value.messages == [str(services.INVITATION_USED)]
    assert not Membership.objects.filter(user=second).exists()


def test_expired_invitation_is_refused(beheerder: Membership) -> None:
    invitation, _ = _invite(beheerder)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    user = UserFactory.create()
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=user)
    assert error.value.messages == [str(services.INVITATION_EXPIRED)]
    assert not Membership.objects.filter(user=user).exists()


def test_revoked_invitation_is_refused(beheerder: Membership) -> None:
    invitation, _ = _invite(beheerder)
    services.invitation_revoke(invitation=invitation)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=UserFactory.create())
    assert error.value.messages == [str(services.INVITATION_REVOKED)]


def test_invitation_for_an_address_only_works_for_that_address(beheerder: Membership) -> None:
    invitation, _ = _invite(beheerder, email="Nieuwe.IB@School.Example")
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=invitation, user=UserFactory.create())
    assert error.value.code == "wrong_email"
    right = UserFactory.create(email="nieuwe.ib@school.example")
    assert services.invitation_accept(invitation=invitation, user=right).user == right


def test_new_user_and_membership_are_created_together_or_not_at_all(
    beheerder: Membership,
) -> None:
    invitation, _ = _invite(beheerder)
    services.invitation_revoke(invitation=invitation)
    with pytest.raises(ValidationError):
        services.invitation_accept_new_user(
            invitation=invitation,
            email="nieuw@school.example",
            password="een-goed-wachtwoord-42",
            full_name="Nieuw",
        )
    # The account was rolled back with the refused invitation.
    assert not User.objects.filter(email="nieuw@school.example").exists()
