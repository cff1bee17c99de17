"""Access control for organisation-scoped views.

Every view that shows or changes an organisation's data is wrapped in `membership_required`,
and looks objects up through the active organisation, never by id alone.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .constants import Role

ROLE_REQUIRED = _(
    "Hiervoor heb je de rol %(role)s nodig bij %(organisation)s. "
    "Vraag een beheerder van je organisatie als je dit wel moet kunnen."
)

View = Callable[..., HttpResponse]


def membership_required(role: Role = Role.MEELEZER) -> Callable[[View], View]:
    """Require a logged-in user with an active membership that has at least `role`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "organisations/no_membership.html", status=403)
            if not membership.has_role(role):
                raise PermissionDenied(
                    ROLE_REQUIRED
                    % {"role": role.label.lower(), "organisation": membership.organisation.name}
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
