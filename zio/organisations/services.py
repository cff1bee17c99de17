"""Writes for organisations, memberships and invitations.

Each function is one business action; it validates, changes the database in one transaction
and raises ValidationError with a Dutch message that the view shows as it is.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from zio.accounts.services import user_create

from .constants import Cluster, OrganisationKind, Role, SchoolType
from .models import Invitation, Membership, Organisation, Region, hash_invitation_token

if TYPE_CHECKING:
    from zio.accounts.models import User

LAST_BEHEERDER = _(
    "Een organisatie heeft altijd minstens één beheerder. Maak eerst iemand anders beheerder."
)
ALREADY_MEMBER = _("Je bent al lid van %(organisation)s.")
INVITATION_USED = _("Deze uitnodiging is al gebruikt. Vraag de beheerder om een nieuwe link.")
INVITATION_EXPIRED = _("Deze uitnodiging is verlopen. Vraag de beheerder om een nieuwe link.")
INVITATION_REVOKED = _("Deze uitnodiging is ingetrokken. Vraag de beheerder om een nieuwe link.")
INVITATION_WRONG_EMAIL = _(
    "Deze uitnodiging is voor een ander e-mailadres. "
    "Log in met het e-mailadres waarvoor de uitnodiging bedoeld is."
)
NOT_A_MEMBER = _("Je bent geen lid van deze organisatie.")


def unique_slug(name: str) -> str:
    """A short name for URLs and the command line: 'SBO De Regenboog' -> 'sbo-de-regenboog',
    with -2, -3, ... when it is taken."""
    base = slugify(name)[:50] or "organisatie"
    slug, number = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def organisation_create(
    *,
    name: str,
    kind: OrganisationKind,
    school_type: SchoolType | str = "",
    clusters: list[Cluster] | list[int] | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        slug=unique_slug(name),
        kind=kind,
        school_type=school_type,
        clusters=list(clusters or []),
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def region_create(*, name: str, organisations: list[Organisation], description: str = "") -> Region:
    with transaction.atomic():
        region = Region(name=name, description=description)
        region.full_clean()
        region.save()
        region.organisations.set(organisations)
    return region


def membership_create(*, user: User, organisation: Organisation, role: Role) -> Membership:
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(ALREADY_MEMBER % {"organisation": organisation.name})
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    return membership


def _lock_beheerders(organisation: Organisation) -> int:
    """Lock the organisation's beheerder rows and count them, so that two concurrent changes
    cannot both remove 'the other' last beheerder."""
    return len(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.BEHEERDER)
        .values_list("pk", flat=True)
    )


def membership_change_role(*, membership: Membership, role: Role) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        beheerders = _lock_beheerders(membership.organisation)
        if membership.role == Role.BEHEERDER and role != Role.BEHEERDER and beheerders <= 1:
            raise ValidationError(LAST_BEHEERDER)
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        beheerders = _lock_beheerders(membership.organisation)
        if membership.role == Role.BEHEERDER and beheerders <= 1:
            raise ValidationError(LAST_BEHEERDER)
        membership.delete()


def invitation_create(
    *,
    organisation: Organisation,
    role: Role,
    created_by: User,
    email: str = "",
    note: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation. Returns it with the secret token, which is not stored."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        role=role,
        email=email.strip().lower(),
        note=note.strip(),
        token_hash=hash_invitation_token(token),
        created_by=created_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitation_revoke(*, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(INVITATION_USED)
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_check(invitation: Invitation, *, user: User | None = None) -> None:
    """Raise ValidationError when the invitation cannot be used (by this user)."""
    if invitation.accepted_at is not None:
        raise ValidationError(INVITATION_USED)
    if invitation.revoked_at is not None:
        raise ValidationError(INVITATION_REVOKED)
    if invitation.is_expired:
        raise ValidationError(INVITATION_EXPIRED)
    if user is not None and invitation.email and invitation.email != user.email.lower():
        raise ValidationError(INVITATION_WRONG_EMAIL, code="wrong_email")


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Use a one-time invitation: the user joins the organisation with the invitation's role."""
    with transaction.atomic():
        # Lock the row so that the same link cannot be used twice at the same moment.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check(invitation, user=user)
        membership = membership_create(
            user=user, organisation=invitation.organisation, role=Role(invitation.role)
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitation_accept_new_user(
    *, invitation: Invitation, email: str, password: str, full_name: str
) -> Membership:
    """Create an account and use the invitation with it, both or neither."""
    with transaction.atomic():
        user = user_create(email=email, password=password, full_name=full_name)
        return invitation_accept(invitation=invitation, user=user)
