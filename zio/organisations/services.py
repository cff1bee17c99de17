"""Writes for organisations, memberships and invitations.

Each function is one business action; it validates, changes the database in one transaction
and raises ValidationError with a Dutch message that the view shows as it is.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from zio.accounts.services import user_create
from zio.audit import services as audit
from zio.audit.models import Action as AuditAction

from . import archive
from .constants import Cluster, OrganisationKind, Role, SchoolType
from .models import Invitation, Membership, Organisation, Region, hash_invitation_token

if TYPE_CHECKING:
    from zio.accounts.models import User

logger = logging.getLogger(__name__)

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
ONLY_BEHEERDER_DELETES = _("Alleen een beheerder van de organisatie kan haar verwijderen.")
ORGANISATION_IN_USE = _(
    "De organisatie kan niet worden verwijderd: andere gegevens verwijzen nog naar %(rows)s. "
    "Er is niets verwijderd; neem contact op met de platformbeheerder."
)


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


@dataclass(frozen=True)
class OrganisationDeleted:
    name: str
    counts: dict[str, int]
    deleted_user_ids: frozenset[int]
    file_count: int


def delete_organisation(organisation: Organisation, *, by: User | None) -> OrganisationDeleted:
    """Delete the organisation with everything that belongs to it (see archive.py), in one
    transaction, and the accounts of members who belong nowhere else. Files go only once the
    deletion is committed. `by`: the beheerder who asked, or None for platform staff at the
    command line."""
    if by is not None and not by.is_staff:
        is_beheerder = Membership.objects.filter(
            user=by, organisation=organisation, role=Role.BEHEERDER
        ).exists()
        if not is_beheerder:
            raise PermissionDenied(ONLY_BEHEERDER_DELETES)
    with transaction.atomic():
        # Locked, so that nothing is added to it (a membership, a persona) while it goes.
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        name = organisation.name
        collector = archive.collect(organisation, deleting=True)
        if collector.protected:
            rows = ", ".join(sorted({str(obj._meta.verbose_name) for obj in collector.protected}))
            raise ValidationError(ORGANISATION_IN_USE % {"rows": rows})
        files = archive.stored_files(archive.rows_by_model(collector))
        leaving = archive.leaving_user_ids(organisation)
        # One event that says what went, instead of one per persona, screening and member.
        with audit.suppressed():
            _total, counts = collector.delete()
            deleted_users = _delete_leaving_users(leaving)
        audit.record(
            AuditAction.DELETED,
            audit.Subject("organisation", str(organisation.pk), name, organisation.pk, name),
            _deleted_summary(counts, len(deleted_users)),
        )
        for stored in files:
            # After the commit: a rolled-back deletion keeps its files.
            transaction.on_commit(stored.remove)
    logger.info(
        "Organisation %s (%s) deleted by %s: %s rows, %s accounts, %s files",
        name,
        organisation.slug,
        by.pk if by is not None else "the command line",
        sum(counts.values()),
        len(deleted_users),
        len(files),
    )
    return OrganisationDeleted(name, counts, frozenset(deleted_users), len(files))


def _deleted_summary(counts: dict[str, int], accounts: int) -> str:
    """What went, for the audit log: the kinds a beheerder asks about first, e.g.
    "personas.persona: 4, screening.screening: 2, …, accounts.user: 1"."""
    lower = {label.lower(): n for label, n in counts.items()}
    parts = [f"{label}: {lower.get(label, 0)}" for label, _name in archive.HEADLINE]
    return ", ".join([*parts, f"accounts.user: {accounts}"])


def _delete_leaving_users(user_ids: set[int]) -> set[int]:
    """Delete the accounts that have no membership left. Their places at other organisations'
    doen-sessies stay, under the name they had, as a guest without a way back in: that session
    belongs to the other organisation."""
    from zio.accounts.models import User
    from zio.workshops.models import Participant

    # Checked again now: "no membership anywhere" after the organisation's went.
    leaving = User.objects.filter(pk__in=user_ids, is_staff=False, memberships__isnull=True)
    ids = set(leaving.values_list("pk", flat=True))
    Participant.objects.filter(user__in=ids).update(user=None)
    User.objects.filter(pk__in=ids).delete()
    return ids
