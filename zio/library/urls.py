from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("bibliotheek/", views.publication_list, name="list"),
    path("bibliotheek/<int:publication_id>/", views.publication_detail, name="detail"),
    path("bibliotheek/<int:publication_id>/overnemen/", views.publication_adopt, name="adopt"),
    path(
        "bibliotheek/<int:publication_id>/intrekken/",
        views.publication_withdraw,
        name="withdraw",
    ),
    path("bibliotheek/<int:publication_id>/reageren/", views.reaction_add, name="react"),
    path("bibliotheek/<int:publication_id>/verbergen/", views.publication_hide, name="hide"),
    path("bibliotheek/<int:publication_id>/tonen/", views.publication_unhide, name="unhide"),
    path(
        "bibliotheek/reacties/<int:reaction_id>/verwijderen/",
        views.reaction_delete,
        name="reaction_delete",
    ),
    path(
        "bibliotheek/reacties/<int:reaction_id>/verbergen/",
        views.reaction_hide,
        name="reaction_hide",
    ),
    path(
        "bibliotheek/reacties/<int:reaction_id>/tonen/",
        views.reaction_unhide,
        name="reaction_unhide",
    ),
    path("personas/<int:persona_id>/publiceren/", views.persona_publish, name="publish"),
]
