"""The four steps of the persona method, as the navigation and the start page show them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: Promise
    url_name: str
    summary: Promise
    coming: Promise | None = None  # what this step will offer, while it is being built


STEPS = (
    Step(
        1,
        "populatie",
        _("Populatie"),
        "screening:overview",
        _("Breng de leerlingenpopulatie van je school in beeld met een anonieme screening."),
    ),
    Step(
        2,
        "groeperen",
        _("Groeperen"),
        "grouping:overview",
        _("Laat de tool groepen leerlingen voorstellen met vergelijkbare signalen."),
    ),
    Step(
        3,
        "personas",
        _("Persona's"),
        "personas:list",
        _("Beschrijf elke groep als een persona: wie, problemen, wensen, behoeften en kosten."),
    ),
    Step(
        4,
        "gesprek",
        _("Gesprek"),
        "exports:overview",
        _("Neem je persona's mee naar het gesprek met ouders, gemeente, jeugdhulp en SWV."),
    ),
)

STEPS_BY_KEY = {step.key: step for step in STEPS}
