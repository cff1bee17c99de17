from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from . import selectors

# Pages a logged-in user may open before the second step is done.
ALWAYS_ALLOWED_VIEWS = frozenset(
    {
        "accounts:logout",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "admin:logout",
        "common:health",
        "common:favicon",
        "set_language",
    }
)
# Only for a user with an app: the second step itself. Never the set-up pages, or someone
# with only the password could replace the app with their own.
CODE_VIEWS = frozenset({"accounts:two_factor_login"})
# Only for a user without an app whose organisation requires one.
SETUP_VIEWS = frozenset({"accounts:two_factor_setup", "accounts:two_factor_codes"})
# The JSON API authenticates with bearer tokens, not with the session.
EXEMPT_PREFIXES = ("/api/v1/",)


def is_verified(user: object) -> bool:
    """Whether this session passed the second step (django-otp's OTPMiddleware puts
    `is_verified()` on request.user)."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


class TwoFactorMiddleware:
    """Hold back a logged-in user who has not finished the second log-in step.

    Django's login() happens after the password as usual; django-otp's OTPMiddleware then
    says whether this session also passed a code (`user.is_verified()`). A user with an app
    who has not is sent to the code page; a user without an app who is a member of an
    organisation that requires two-factor log-in is sent to set it up. Needs
    ActiveOrganisationMiddleware before it (for `request.memberships`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        path = request.path_info
        if path.startswith(EXEMPT_PREFIXES) or path.startswith("/" + settings.STATIC_URL):
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in ALWAYS_ALLOWED_VIEWS:
            return None
        if selectors.user_has_two_factor(user=user):
            if view_name in CODE_VIEWS:
                return None
            return _redirect(request, "accounts:two_factor_login")
        if any(m.organisation.require_two_factor for m in getattr(request, "memberships", [])):
            if view_name in SETUP_VIEWS:
                return None
            return _redirect(request, "accounts:two_factor_setup")
        return None


def _next_path(request: HttpRequest) -> str:
    """Where to go once the step is done: the page asked for (a page, not a form post)."""
    htmx = getattr(request, "htmx", None)
    if htmx:
        # An htmx request asks for a fragment; come back to the page it was made from.
        return htmx.current_url_abs_path or ""
    if request.method == "GET":
        return request.get_full_path()
    return ""


def _redirect(request: HttpRequest, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    next_path = _next_path(request)
    if next_path:
        url += "?" + urlencode({"next": next_path})
    if getattr(request, "htmx", None):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
