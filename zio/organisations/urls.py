from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisatie/", views.overview, name="overview"),
    path("organisatie/wisselen/", views.switch, name="switch"),
    path("organisatie/leden/", views.members, name="members"),
    path(
        "organisatie/leden/<int:membership_id>/rol/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organisatie/leden/<int:membership_id>/verwijderen/",
        views.membership_remove,
        name="membership_remove",
    ),
    path("organisatie/uitnodigingen/", views.invitation_create, name="invitation_create"),
    path(
        "organisatie/uitnodigingen/<int:invitation_id>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisatie/gegevens/", views.data_export, name="data_export"),
    path("organisatie/verwijderen/", views.organisation_delete, name="delete"),
    path("organisatie/verwijderd/", views.organisation_deleted, name="deleted"),
]
