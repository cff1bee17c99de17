from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("populatie/", views.overview, name="overview"),
    path("populatie/<int:screening_id>/", views.screening_detail, name="detail"),
    path(
        "populatie/<int:screening_id>/verwijderen/",
        views.screening_delete,
        name="delete",
    ),
    path("populatie/<int:screening_id>/delen/", views.screening_share, name="share"),
    path(
        "populatie/sjabloon.<str:file_format>",
        views.template_download,
        name="template",
    ),
    path("populatie/importeren/", views.upload, name="upload"),
    path("populatie/import/<uuid:import_id>/", views.import_status, name="import_status"),
    path(
        "populatie/import/<uuid:import_id>/problemen.csv",
        views.import_problems,
        name="import_problems",
    ),
]
