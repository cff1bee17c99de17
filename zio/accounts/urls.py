from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login, name="login"),
    path("uitloggen/", views.logout, name="logout"),
    path("wachtwoord-vergeten/", views.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.password_reset_done, name="password_reset_done"),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("account/wachtwoord/", views.password_change, name="password_change"),
    path("account/wachtwoord/gewijzigd/", views.password_change_done, name="password_change_done"),
    path("inloggen/code/", views.two_factor_login, name="two_factor_login"),
    path("account/tweestapsverificatie/", views.two_factor, name="two_factor"),
    path(
        "account/tweestapsverificatie/instellen/",
        views.two_factor_setup,
        name="two_factor_setup",
    ),
    path(
        "account/tweestapsverificatie/herstelcodes/",
        views.two_factor_codes,
        name="two_factor_codes",
    ),
    path(
        "account/tweestapsverificatie/herstelcodes/nieuw/",
        views.two_factor_regenerate,
        name="two_factor_regenerate",
    ),
    path(
        "account/tweestapsverificatie/uitzetten/",
        views.two_factor_disable,
        name="two_factor_disable",
    ),
    path(
        "organisatie/tweestapsverificatie/",
        views.two_factor_organisation,
        name="two_factor_organisation",
    ),
]
