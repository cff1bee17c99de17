from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupingConfig(AppConfig):
    name = "zio.grouping"
    label = "grouping"
    verbose_name = _("Groeperen")
