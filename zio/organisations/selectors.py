"""Reads for organisations. Every function is scoped to a user or an organisation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from zio.accounts.selectors import has_two_factor_expression

from .models import Invitation, Membership, Organisation, Region, hash_invitation_token

if TYPE_CHECKING:
    from zio.accounts.models import User


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.for_user(user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def members_for_organisation(organisation: Organisation) -> QuerySet[Membership]:
    """With `has_two_factor` on each membership, so a beheerder sees who still has to set it
    up (one subquery, not a query per member)."""
    return (
        Membership.objects.for_organisation(organisation)
        .select_related("user")
        .annotate(has_two_factor=has_two_factor_expression())
        .order_by("user__full_name", "user__email")
    )


def open_invitations_for_organisation(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.for_organisation(organisation).open().select_related("created_by")


def regions_for_organisation(organisation: Organisation) -> QuerySet[Region]:
    return organisation.regions.prefetch_related("organisations").order_by("name")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token belongs to, or None."""
    return (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_invitation_token(token))
        .first()
    )
