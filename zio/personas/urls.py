from django.urls import path

from . import views

app_name = "personas"

urlpatterns = [
    path("personas/", views.persona_list, name="list"),
    path("personas/nieuw/", views.persona_create, name="create"),
    path("personas/<int:persona_id>/", views.persona_detail, name="detail"),
    path("personas/<int:persona_id>/gegevens/", views.persona_edit_meta, name="edit_meta"),
    path(
        "personas/<int:persona_id>/onderdeel/<slug:section>/",
        views.persona_section,
        name="section",
    ),
    path(
        "personas/<int:persona_id>/onderdeel/<slug:section>/reacties/",
        views.comment_add,
        name="comment_add",
    ),
    path(
        "personas/<int:persona_id>/reacties/<int:comment_id>/verwijderen/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("personas/<int:persona_id>/kopie/", views.persona_duplicate, name="duplicate"),
    path("personas/<int:persona_id>/archiveren/", views.persona_archive, name="archive"),
    path("personas/<int:persona_id>/verwijderen/", views.persona_delete, name="delete"),
    path("personas/<int:persona_id>/geschiedenis/", views.persona_history, name="history"),
    path(
        "personas/<int:persona_id>/geschiedenis/<int:revision_id>/",
        views.persona_revision,
        name="revision",
    ),
    path(
        "personas/<int:persona_id>/geschiedenis/<int:revision_id>/terugzetten/",
        views.persona_restore,
        name="restore",
    ),
    path("signalen/", views.catalogue, name="catalogue"),
    path("signalen/<int:signal_id>/", views.signal_toggle, name="signal_toggle"),
]
