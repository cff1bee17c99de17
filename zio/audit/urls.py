from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("organisatie/logboek/", views.log, name="log"),
    path("organisatie/logboek.<str:file_format>", views.export, name="export"),
]
