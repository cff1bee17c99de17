from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .active import SESSION_KEY, choose_active
from .selectors import memberships_for_user


class ActiveOrganisationMiddleware:
    """Put the user's memberships and the active organisation on the request.

    Sets `request.memberships` (list), `request.membership` and `request.organisation`
    (None for anonymous users and for users without any membership).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        memberships = []
        if request.user.is_authenticated:
            memberships = list(memberships_for_user(request.user))
        membership = choose_active(memberships, request.session.get(SESSION_KEY))
        request.memberships = memberships  # type: ignore[attr-defined]
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)
