"""The versioned JSON API (`/api/v1/`), built with Django Ninja (ADR 0017).

Every operation needs a personal API token (`Authorization: Bearer zio_…`) and sees only the
token's organisation, with the rights of the user's current role there. Every error answer
is `{"detail": …}`: a Dutch sentence, or for 422 a list of what is wrong where.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from zio.personas.services import EditConflict

from .auth import TokenAuth
from .constants import API_VERSION
from .endpoints import costs, grouping, personas, screening, workshops
from .endpoints.common import NOT_FOUND

TOKEN_REQUIRED = _(
    "Stuur een geldige API-sleutel mee: Authorization: Bearer <sleutel>. Een sleutel werkt niet "
    "meer als hij is ingetrokken of verlopen, of als je geen lid meer bent van de organisatie."
)
BAD_REQUEST = _("Dit verzoek kan niet worden gelezen. Stuur JSON met UTF-8.")
EDIT_CONFLICT = _(
    "%(who)s heeft dit intussen opgeslagen. Haal het opnieuw op, voeg je wijziging samen en "
    "stuur de nieuwe versie mee."
)
NOT_ALLOWED = _("Dit mag je niet met deze sleutel.")


class ZioAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids ("persona_list"): they become anchors on the documentation page.
        return operation.view_func.__name__


api = ZioAPI(
    title="ZiO Persona's API",
    version=API_VERSION,
    description=(
        "Persona's met hun onderdelen en kosten, tarieven, de populatie van screenings, "
        "groeperingen, doen-sessies en acties van één organisatie."
    ),
    urls_namespace="api:v1",
    auth=TokenAuth(),
    # Ninja's own docs pages load scripts from elsewhere; ours is server-rendered (api:docs).
    docs_url=None,
)

for module in (personas, costs, screening, grouping, workshops):
    api.add_router("", module.router)


def _error(request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, str(TOKEN_REQUIRED))
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises 400 itself (a body that is not JSON), in English.
    detail = str(BAD_REQUEST) if exc.status_code == 400 else str(exc)
    return _error(request, exc.status_code, detail)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(NOT_FOUND))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or str(NOT_ALLOWED))


@api.exception_handler(NinjaValidationError)
def _invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, 422, exc.errors)


# Service field names that the API calls differently.
_FIELD_NAMES = {"tariff": "tariff_id", "region": "region_id", "expected_version": "version"}


@api.exception_handler(DjangoValidationError)
def _refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A service refused the input: its Dutch messages, per field where it names one."""
    issues: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            loc = ["body"] if field == "__all__" else ["body", _FIELD_NAMES.get(field, field)]
            issues.extend({"loc": loc, "msg": str(m), "type": "refused"} for m in messages)
    else:
        issues.extend({"loc": ["body"], "msg": str(m), "type": "refused"} for m in exc.messages)
    return _error(request, 422, issues)


@api.exception_handler(EditConflict)
def _conflict(request: HttpRequest, exc: EditConflict) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": str(EDIT_CONFLICT % {"who": exc.changed_by or _("Iemand anders")}),
            "current_version": exc.current_version,
        },
        status=409,
    )
