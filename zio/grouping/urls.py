from django.urls import path

from . import views

app_name = "grouping"

urlpatterns = [
    path("groeperen/", views.overview, name="overview"),
    path("groeperen/starten/", views.start, name="start"),
    path("groeperen/<int:run_id>/", views.run_detail, name="run"),
    path("groeperen/<int:run_id>/samenvoegen/", views.merge, name="merge"),
    path("groeperen/<int:run_id>/opnieuw/", views.rerun, name="rerun"),
    path(
        "groeperen/<int:run_id>/groep/<int:group_id>/naam/",
        views.group_rename,
        name="group_rename",
    ),
    path(
        "groeperen/<int:run_id>/groep/<int:group_id>/opzij/",
        views.group_set_aside,
        name="group_set_aside",
    ),
    path(
        "groeperen/<int:run_id>/groep/<int:group_id>/persona/",
        views.persona_draft,
        name="persona_draft",
    ),
]
