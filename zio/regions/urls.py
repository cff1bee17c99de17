from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("regio/", views.region_list, name="list"),
    path("regio/<int:region_id>/", views.region_overview, name="overview"),
    path(
        "regio/<int:region_id>/export.<str:file_format>",
        views.region_export,
        name="export",
    ),
    path("personas/<int:persona_id>/regio/", views.persona_share, name="persona_share"),
]
