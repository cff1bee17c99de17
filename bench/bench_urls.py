"""The benchmark's URLconf: the product's URLs plus /bench/bare/, the smallest Django view,
to compare the persona page's throughput with. Only bench/bench_settings.py uses it."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("config.urls")),
]
