from django.urls import path

from . import report_views, views

app_name = "workshops"

# A workshop's pages take `workshop_id` and are resolved through access.workshop_view, which
# also lets logged-in participants from other organisations and guests with a code in.
urlpatterns = [
    path("gesprek/acties/", views.action_list, name="actions"),
    path("gesprek/acties/<int:action_id>/", views.action_update, name="action_update"),
    path("gesprek/sessies/", views.workshop_list, name="list"),
    path("gesprek/sessies/nieuw/", views.workshop_create, name="create"),
    path("gesprek/sessies/<int:workshop_id>/", views.workshop_detail, name="detail"),
    path("gesprek/sessies/<int:workshop_id>/code/", views.workshop_code, name="code"),
    path(
        "gesprek/sessies/<int:workshop_id>/verwijderen/",
        views.workshop_delete,
        name="delete",
    ),
    path(
        "gesprek/sessies/<int:workshop_id>/tafels/<int:table_id>/instellen/",
        views.table_settings,
        name="table_settings",
    ),
    path("gesprek/sessies/<int:workshop_id>/meedoen/", views.member_join, name="member_join"),
    path("gesprek/sessies/<int:workshop_id>/tafels/<int:table_id>/", views.table, name="table"),
    path(
        "gesprek/sessies/<int:workshop_id>/tafels/<int:table_id>/bord/",
        views.table_board,
        name="board",
    ),
    path(
        "gesprek/sessies/<int:workshop_id>/tafels/<int:table_id>/<slug:action>/",
        views.table_post,
        name="table_post",
    ),
    path("gesprek/sessies/<int:workshop_id>/plenair/", views.plenary, name="plenary"),
    path(
        "gesprek/sessies/<int:workshop_id>/plenair/bord/",
        views.plenary_board,
        name="plenary_board",
    ),
    path(
        "gesprek/sessies/<int:workshop_id>/reactie/<int:step_id>/",
        views.reaction_add,
        name="reaction_add",
    ),
    path("gesprek/sessies/<int:workshop_id>/verslag/", report_views.report, name="report"),
    path(
        "gesprek/sessies/<int:workshop_id>/verslag.pdf",
        report_views.report_pdf,
        name="report_pdf",
    ),
    path("route/", report_views.route, name="route"),
    path("meedoen/", views.guest_join, name="join"),
]
