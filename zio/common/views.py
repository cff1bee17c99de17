from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from zio.common.types import OrganisationRequest
from zio.organisations.permissions import membership_required
from zio.personas.selectors import personas_for_organisation

from .steps import STEPS


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("common:start")
    return redirect("accounts:login")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico even when a page names its icon (the admin does not).
    return redirect(static("img/favicon.svg"), permanent=True)


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and uptime checks: no data, no database details."""
    return HttpResponse("ok", content_type="text/plain")


@membership_required()
@require_GET
def start(request: OrganisationRequest) -> HttpResponse:
    personas = personas_for_organisation(request.organisation)
    return render(
        request,
        "common/start.html",
        {"steps": STEPS, "persona_count": personas.count(), "personas": personas[:3]},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A Dutch explanation instead of Django's technical CSRF page."""
    return render(request, "403_csrf.html", status=403)
