"""Opens an audit recording for every request, and logs who looked at or downloaded what.

Writes are logged by the model signals (receivers.py). Reading leaves no trace in the database,
so the pages and downloads that show pupil-related data are listed here by URL name.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .models import Action, Via
from .routes import EXPORTED, VIEWED, subject_for_route
from .services import record, recording


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        via = Via.API if request.path.startswith("/api/") else Via.WEB
        with recording(via=via, request=request):
            response = self.get_response(request)
            if request.method == "GET" and response.status_code == 200:
                self._log_read(request)
        return response

    def _log_read(self, request: HttpRequest) -> None:
        match = request.resolver_match
        if match is None:
            return
        name = match.view_name
        if name in VIEWED:
            action = Action.VIEWED
            # Pieces of a page that htmx fetches are part of a view already logged.
            if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
                return
            object_type, kwarg, detail = VIEWED[name]
        elif name in EXPORTED:
            action = Action.EXPORTED
            object_type, kwarg, detail = EXPORTED[name]
        else:
            return
        subject = subject_for_route(object_type, match.kwargs.get(kwarg) if kwarg else None)
        if subject is None:
            return
        if detail.startswith("{") and detail.endswith("}"):
            detail = str(match.kwargs.get(detail[1:-1], ""))
        record(action, subject, detail)
