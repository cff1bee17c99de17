"""Authentication of API requests: `Authorization: Bearer <token>`, nothing else.

There is no session authentication on the API, so a browser's log-in never reaches it and
CSRF does not apply: a request carries its credential itself.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from .services import TokenAccess, token_access


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> TokenAccess | None:
        return token_access(token.strip())
