"""Pages around the API: the member's API tokens (make one, see its secret once, revoke),
and the API's documentation, generated from its OpenAPI schema."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.common.privacy import suppress_count
from zio.common.types import OrganisationRequest
from zio.organisations.permissions import membership_required

from . import docs, selectors, services
from .constants import MAX_LIMIT, MAX_VALID_DAYS, TOKEN_PREFIX
from .forms import TokenForm
from .models import ApiToken

NEW_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 - a session key


@membership_required()
@require_http_methods(["GET", "POST"])
def token_list(request: OrganisationRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            expires_on = form.cleaned_data["expires_on"]
            # Valid through the chosen day: until midnight at its end, local time.
            expires_at = (
                timezone.make_aware(datetime.combine(expires_on + timedelta(days=1), time.min))
                if expires_on
                else None
            )
            try:
                token, secret = services.api_token_create(
                    user=request.user,
                    organisation=request.organisation,
                    name=form.cleaned_data["name"],
                    expires_at=expires_at,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        target = "expires_on" if field == "expires_at" else field
                        for error in errors:
                            form.add_error(target if target in form.fields else None, error)
                else:
                    form.add_error(None, exc)
            else:
                # Shown once, on the page this redirects to; never stored.
                request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "secret": secret}
                return redirect("api:tokens")
        status = 400
    else:
        form = TokenForm()
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = list(selectors.tokens_for_member(request.membership))
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "own_tokens": [t for t in tokens if t.user_id == request.user.pk],
            "other_tokens": [t for t in tokens if t.user_id != request.user.pk],
            "is_beheerder": request.membership.is_beheerder,
            "max_valid_days": MAX_VALID_DAYS,
        },
        status=status,
    )


@membership_required()
@require_POST
def token_revoke(request: OrganisationRequest, token_id: int) -> HttpResponse:
    try:
        token = selectors.token_for_member(request.membership, token_id)
    except ApiToken.DoesNotExist:
        raise Http404 from None
    services.api_token_revoke(token=token, by=request.user)
    messages.success(
        request,
        _("De sleutel „%(name)s” is ingetrokken en werkt niet meer.") % {"name": token.name},
    )
    return redirect("api:tokens")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    # Public, like the schema itself: it describes the API and holds no data.
    return render(
        request,
        "api/docs.html",
        {
            "reference": docs.reference(request.build_absolute_uri("/").rstrip("/")),
            "schema_url": reverse("api:v1:openapi-json"),
            "base_url": request.build_absolute_uri(reverse("api:v1:api-root")),
            "token_prefix": TOKEN_PREFIX,
            "max_limit": MAX_LIMIT,
            # What a suppressed count looks like ("< 10"); escaped like any variable.
            "small_example": str(suppress_count(0, settings.SMALL_CELL_THRESHOLD)),
        },
    )
