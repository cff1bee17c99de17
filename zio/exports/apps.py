from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "zio.exports"
    verbose_name = _("Meenemen naar het gesprek")

    def ready(self) -> None:
        from . import handlers  # noqa: F401  (connects the receivers)
