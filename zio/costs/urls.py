from django.urls import path

from . import views

app_name = "costs"

urlpatterns = [
    path("personas/<int:persona_id>/kosten/", views.persona_costs, name="persona_costs"),
    path(
        "personas/<int:persona_id>/kosten/scenarios/nieuw/",
        views.scenario_create,
        name="scenario_create",
    ),
    path(
        "personas/<int:persona_id>/kosten/scenarios/<int:scenario_id>/",
        views.scenario_edit,
        name="scenario_edit",
    ),
    path(
        "personas/<int:persona_id>/kosten/scenarios/<int:scenario_id>/verwijderen/",
        views.scenario_delete,
        name="scenario_delete",
    ),
    path(
        "personas/<int:persona_id>/kosten/scenarios/<int:scenario_id>/regels/nieuw/",
        views.line_create,
        name="line_create",
    ),
    path(
        "personas/<int:persona_id>/kosten/regels/<int:line_id>/",
        views.line_edit,
        name="line_edit",
    ),
    path(
        "personas/<int:persona_id>/kosten/regels/<int:line_id>/verwijderen/",
        views.line_delete,
        name="line_delete",
    ),
    path(
        "personas/<int:persona_id>/kosten/regels/<int:line_id>/verplaatsen/",
        views.line_move,
        name="line_move",
    ),
    path("tarieven/", views.tariffs, name="tariffs"),
    path("tarieven/<int:region_id>/nieuw/", views.tariff_create, name="tariff_create"),
    path("tarieven/<int:region_id>/indicatief/", views.tariffs_seed, name="tariffs_seed"),
    path("tarieven/<int:tariff_id>/", views.tariff_edit, name="tariff_edit"),
    path("tarieven/<int:tariff_id>/verwijderen/", views.tariff_delete, name="tariff_delete"),
]
