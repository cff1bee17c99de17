"""Who may open a doen-sessie, and as whom.

A workshop is open to three kinds of people:
- members of the organising organisation (working in it now), whether they joined or not;
- logged-in participants from any organisation, who joined with the code;
- guests without an account, who joined with the code and carry a token in their browser
  session; only the hash is stored, and the token opens this one workshop until it expires.

Everyone else gets a 404, so that a workshop's existence does not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from zio.organisations.constants import Role

from . import services
from .models import Participant, Workshop

SESSION_KEY = "zio_workshop_guests"  # {workshop id: guest token}


@dataclass(frozen=True)
class WorkshopAccess:
    workshop: Workshop
    participant: Participant | None  # None: a member of the organisation who has not joined
    is_member: bool  # works in the organising organisation
    can_organise: bool  # ... as opsteller or beheerder: may change tables and the code

    @property
    def is_guest(self) -> bool:
        return self.participant is not None and self.participant.is_guest


def remember_guest(request: HttpRequest, workshop: Workshop, token: str) -> None:
    tokens = dict(request.session.get(SESSION_KEY, {}))
    tokens[str(workshop.pk)] = token
    request.session[SESSION_KEY] = tokens
    # A new session id on joining, so that a session id known before cannot ride along.
    request.session.cycle_key()


def _guest_token(request: HttpRequest, workshop_id: int) -> str:
    return str(request.session.get(SESSION_KEY, {}).get(str(workshop_id), ""))


def workshop_access(request: HttpRequest, workshop_id: int) -> WorkshopAccess:
    """The access of this request to the workshop. Raises Http404 for no access at all and
    PermissionDenied (with the Dutch reason) for a guest whose code has expired."""
    user = request.user
    if user.is_authenticated:
        membership = getattr(request, "membership", None)
        workshop = Workshop.objects.filter(pk=workshop_id).first()
        if workshop is None:
            raise Http404
        participant = Participant.objects.filter(workshop=workshop, user=user).first()
        is_member = (
            membership is not None and membership.organisation_id == workshop.organisation_id
        )
        if participant is None and not is_member:
            raise Http404
        return WorkshopAccess(
            workshop=workshop,
            participant=participant,
            is_member=is_member,
            can_organise=is_member
            and membership is not None
            and membership.has_role(Role.OPSTELLER),
        )
    token = _guest_token(request, workshop_id)
    guest = services.guest_for_token(token)
    if guest is None or guest.workshop_id != workshop_id:
        if token and Workshop.objects.filter(pk=workshop_id).exists():
            raise PermissionDenied(services.CODE_EXPIRED)
        raise Http404
    return WorkshopAccess(
        workshop=guest.workshop, participant=guest, is_member=False, can_organise=False
    )


View = Callable[..., HttpResponse]


def workshop_view(view: View) -> View:
    """Resolve `workshop_id` into `access` for the view. Anonymous visitors without a guest
    token for this workshop go to the login page (where they can also join with a code)."""

    @wraps(view)
    def wrapped(request: HttpRequest, workshop_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and not _guest_token(request, workshop_id):
            return redirect_to_login(request.get_full_path())
        access = workshop_access(request, workshop_id)
        return view(request, access, *args, **kwargs)

    return wrapped
