from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("gesprek/acties/", views.action_list, name="actions"),
    path("gesprek/acties/<int:action_id>/", views.action_update, name="action_update"),
]
