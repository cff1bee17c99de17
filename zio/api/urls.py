from django.urls import URLPattern, URLResolver, path

from . import views
from .api import api

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("api-sleutels/", views.token_list, name="tokens"),
    path("api-sleutels/<int:token_id>/intrekken/", views.token_revoke, name="token_revoke"),
    # Our own documentation page, before Ninja's routes (Ninja's docs are switched off).
    path("api/v1/docs/", views.api_docs, name="docs"),
    # Names inside: "api:v1:<operation>", e.g. "api:v1:persona_list", "api:v1:openapi-json".
    path("api/v1/", api.urls),
]
