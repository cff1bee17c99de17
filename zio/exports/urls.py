from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("gesprek/", views.overview, name="overview"),
    path("gesprek/exporteren/", views.export, name="export"),
    path("gesprek/exports/<uuid:job_id>/", views.job, name="job"),
    path("gesprek/exports/<uuid:job_id>/bestand/", views.download, name="download"),
    path("gesprek/importeren/", views.import_persona, name="import"),
]
