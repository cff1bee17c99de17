from django.urls import path

from . import views

app_name = "common"

urlpatterns = [
    path("", views.home, name="home"),
    path("gezondheid/", views.health, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("start/", views.start, name="start"),
]
