from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonaStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    IN_DISCUSSION = "in_bespreking", _("In bespreking")
    ADOPTED = "vastgesteld", _("Vastgesteld")


class Section(models.TextChoices):
    """The questions of the persona template, in the order of the handbook."""

    WHO = "wie", _("Wie is %(name)s?")
    PROBLEMS = "problemen", _("Welke problemen heeft %(name)s?")
    WISHES = "wensen", _("Wat wil %(name)s graag?")
    CURRENT_SCHOOL = "huidig_school", _("Huidige situatie: zo ziet school het")
    CURRENT_PARENTS = "huidig_ouders", _("Huidige situatie: zo zien ouders het")
    NEEDS = "behoeften", _("Wat heeft %(name)s nodig?")
    DESIRED = "gewenst", _("Gewenste situatie en alternatieven")
    IF_UNMET = "alternatief", _("Wat is het alternatief als %(name)s niet krijgt wat nodig is?")
    COSTS_CURRENT = "kosten_huidig", _("Kosten huidige situatie")
    COSTS_DESIRED = "kosten_gewenst", _("Kosten gewenste situatie")

    def heading(self, name: str) -> str:
        return str(self.label) % {"name": name}


# Short guidance per section: what belongs in it, and one example line.
SECTION_GUIDANCE = {
    Section.WHO: (
        _("Beschrijf de groep als één leerling: leeftijd, schoolsoort, thuissituatie, karakter."),
        _("Bijvoorbeeld: gaat graag naar school, maar komt elke dag uitgeput thuis."),
    ),
    Section.PROBLEMS: (
        _("Kies de signalen die bij deze groep horen uit de catalogus, of schrijf ze zelf op."),
        _("Bijvoorbeeld: overprikkeling, of problemen met emotieregulatie."),
    ),
    Section.WISHES: (
        _("Wat wil de leerling zelf? Schrijf het op zoals een kind het zou zeggen."),
        _("Bijvoorbeeld: gewoon meedoen met de klas."),
    ),
    Section.CURRENT_SCHOOL: (
        _("Wat doet de school nu al, en wie is daarbij betrokken?"),
        _("Bijvoorbeeld: de leerkracht grijpt vaak in; een ambulant begeleider komt langs."),
    ),
    Section.CURRENT_PARENTS: (
        _("Hoe ervaren ouders de situatie nu, thuis en in het contact met school en zorg?"),
        _("Bijvoorbeeld: ouders worden vaak gebeld om hun kind eerder op te halen."),
    ),
    Section.NEEDS: (
        _("Wat heeft deze groep nodig om te kunnen leren en zich te ontwikkelen?"),
        _("Bijvoorbeeld: voorspelbaarheid en structuur, of een kleine groep."),
    ),
    Section.DESIRED: (
        _("Hoe ziet goede ondersteuning eruit, en welke andere oplossingen zijn er?"),
        _("Bijvoorbeeld: jeugdhulp op school voor de hele groep, in plaats van losse hulp."),
    ),
    Section.IF_UNMET: (
        _("Wat gebeurt er als er niets verandert? Denk aan school, thuis en de leerling."),
        _("Bijvoorbeeld: de leerling gaat thuiszitten, of moet naar een zwaardere plek."),
    ),
    Section.COSTS_CURRENT: (
        _(
            "Welke kosten zijn er nu, en uit welk geld worden ze betaald? De bedragen vul je in "
            "bij Kosten."
        ),
        _("Bijvoorbeeld: ondersteuningsbekostiging SBO van het samenwerkingsverband."),
    ),
    Section.COSTS_DESIRED: (
        _(
            "Welke kosten horen bij de gewenste situatie, en wie zou ze betalen? De bedragen vul "
            "je in bij Kosten."
        ),
        _("Bijvoorbeeld: collectieve jeugdhulp op school, betaald door de gemeente."),
    ),
}

# Most lines a section may hold: persona's are short cards, not dossiers.
MAX_ITEMS_PER_SECTION = 25
META = "meta"  # the version key for name, group size, ages, school types, avatar and status
