from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zio.audit"
    verbose_name = _("Logboek")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the model and log-in signals)
