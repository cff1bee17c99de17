from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("zio.common.urls")),
    path("", include("zio.accounts.urls")),
    path("", include("zio.organisations.urls")),
    path("", include("zio.audit.urls")),
    path("", include("zio.personas.urls")),
    path("", include("zio.screening.urls")),
    path("", include("zio.grouping.urls")),
    path("", include("zio.exports.urls")),
    path("", include("zio.workshops.urls")),
    path("", include("zio.regions.urls")),
    path("", include("zio.library.urls")),
    path("", include("zio.api.urls")),
    path("", include("zio.costs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("platformbeheer/", admin.site.urls),
]
