import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DutchFirstLocaleMiddleware(LocaleMiddleware):
    """Dutch unless the user chose another language with the language switch.

    Django's own middleware would follow the browser's Accept-Language header; our users work
    in Dutch institutions, so the product speaks Dutch until someone picks English.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


REFRESHED_KEY = "_refreshed_at"


class SessionRefreshMiddleware:
    """Keep a logged-in session alive while it is used, without writing it on every request.

    Sessions end after SESSION_COOKIE_AGE of inactivity. Saving the session on every request
    (SESSION_SAVE_EVERY_REQUEST) does that exactly, but costs a database write per request,
    htmx polls included. Here the session is saved, and so its expiry moved on, at most once
    per SESSION_REFRESH_SECONDS: a session then ends between AGE minus that interval and AGE
    after the last request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = request.session
        # Only sessions that exist already; an anonymous visitor gets none from this.
        if session.session_key is not None and not session.is_empty():
            now = int(time.time())
            last = session.get(REFRESHED_KEY)
            if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # marks the session modified: it is saved
        return response
