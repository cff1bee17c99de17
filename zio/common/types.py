"""Request types for views, so that mypy knows what the middleware put on the request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from zio.accounts.models import User
    from zio.organisations.models import Membership, Organisation


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    memberships: list[Membership]
    membership: Membership | None
    organisation: Organisation | None


class OrganisationRequest(HtmxHttpRequest):
    """A request that passed `membership_required`: logged in, with an active organisation."""

    user: User
    membership: Membership
    organisation: Organisation
