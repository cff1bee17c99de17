"""Which organisation a user is working in right now.

A user can belong to several organisations; the active one is kept in the session and every
organisation-scoped view reads it from `request.organisation`.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import Membership

SESSION_KEY = "active_organisation_id"


def choose_active(memberships: list[Membership], wanted_id: object) -> Membership | None:
    """The membership for the organisation the session asks for, else the first one."""
    for membership in memberships:
        if membership.organisation_id == wanted_id:
            return membership
    return memberships[0] if memberships else None


def activate(request: HttpRequest, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.organisation_id
    request.membership = membership  # type: ignore[attr-defined]
    request.organisation = membership.organisation  # type: ignore[attr-defined]
