"""How the kinds of subjects are called on screen and in exports."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

OBJECT_TYPES = {
    "persona": _("Persona"),
    "screening": _("Screening"),
    "screening_import": _("Import van een screening"),
    "grouping": _("Groepering"),
    "export": _("Export"),
    "workshop": _("Doen-sessie"),
    "action": _("Actie"),
    "region": _("Regio-overzicht"),
    "tariff": _("Tarief"),
    "organisation": _("Organisatie"),
    "membership": _("Lidmaatschap"),
    "invitation": _("Uitnodiging"),
    "api_token": _("API-sleutel"),
    "publication": _("Publicatie in de bibliotheek"),
    "publication_reaction": _("Reactie in de bibliotheek"),
    "two_factor": _("Tweestapsverificatie"),
    "account": _("Account"),
    "audit_log": _("Logboek"),
}


def object_type_label(object_type: str) -> str:
    label = OBJECT_TYPES.get(object_type)
    return str(label) if label is not None else object_type


def detail_label(detail: str) -> str:
    # Details are stored untranslated (Dutch source texts) and translated when shown.
    return gettext(detail) if detail else ""
