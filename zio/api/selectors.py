"""Reads for API tokens: a member sees their own tokens for the active organisation; a
beheerder sees (and may revoke) every token made for the organisation."""

from __future__ import annotations

from django.db.models import QuerySet

from zio.organisations.models import Membership

from .models import ApiToken


def tokens_for_member(membership: Membership) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.for_organisation(membership.organisation).select_related(
        "user", "revoked_by"
    )
    if membership.is_beheerder:
        return tokens
    return tokens.filter(user_id=membership.user_id)


def token_for_member(membership: Membership, token_id: int) -> ApiToken:
    """Raises ApiToken.DoesNotExist for a token this member may not see."""
    return tokens_for_member(membership).get(pk=token_id)
