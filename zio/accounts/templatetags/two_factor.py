from django import template

from zio.accounts import selectors
from zio.organisations.models import Membership

register = template.Library()


@register.filter
def has_two_factor(membership: Membership) -> bool:
    """Whether the member logs in with two-factor verification. Lists annotate it (see
    `members_for_organisation`); a single row re-rendered after a change asks once."""
    annotated = getattr(membership, "has_two_factor", None)
    if annotated is not None:
        return bool(annotated)
    return selectors.user_has_two_factor(user=membership.user)
