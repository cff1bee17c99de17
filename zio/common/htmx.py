"""Answers for htmx requests that every app uses."""

from django.http import HttpResponse


def reload_page() -> HttpResponse:
    """Ask htmx to reload the whole page: a polled fragment (progress of an import, a grouping,
    an export; a canvas) saw that the page itself must change. No content: htmx acts on the
    header alone, and a poll that swaps nothing stays harmless without htmx."""
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"
    return response
