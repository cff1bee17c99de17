"""Helpers every endpoint module uses: the caller's access, role checks, look-ups that turn
"not in this organisation" into 404, and the documented error answers."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import P, PathEx
from ninja.errors import HttpError

from zio.api.constants import MAX_ID
from zio.api.schemas import ConflictOut, ErrorOut, ValidationErrorOut
from zio.api.services import TokenAccess
from zio.organisations.constants import Role

NOT_FOUND = _("Niet gevonden, of niet van de organisatie van deze sleutel.")
ROLE_REQUIRED = _(
    "Hiervoor heb je de rol %(role)s nodig bij %(organisation)s. De sleutel kan niet meer dan "
    "jouw rol daar."
)

# A database id in a path.
Id = PathEx[int, P(ge=1, le=MAX_ID)]


def access(request: HttpRequest) -> TokenAccess:
    """The access of the token that authenticated this request (set by TokenAuth)."""
    result = request.auth  # type: ignore[attr-defined]
    assert isinstance(result, TokenAccess)
    return result


def require_role(request: HttpRequest, role: Role) -> TokenAccess:
    current = access(request)
    if not current.membership.has_role(role):
        raise HttpError(
            403,
            str(
                ROLE_REQUIRED
                % {"role": role.label.lower(), "organisation": current.organisation.name}
            ),
        )
    return current


def not_found() -> HttpError:
    return HttpError(404, str(NOT_FOUND))


def read(ok: Any) -> dict[int, Any]:
    """The answers of a read: `ok`, or an error."""
    return {200: ok, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def write(ok: Any, status: int = 200) -> dict[int, Any]:
    """The answers of a write: `ok` with `status`, or an error (409: someone else saved first,
    or the persona is archived)."""
    return {
        status: ok,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    }
