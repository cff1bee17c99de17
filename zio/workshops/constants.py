from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_QUESTION = _(
    "Hoe organiseren we collectieve inzet van jeugdhulp voor leerlingen binnen de schoolomgeving?"
)


class WorkshopKind(models.TextChoices):
    DOEN_SESSIE = "doen-sessie", _("Doen-sessie")
    GESPREK = "gesprek", _("Gesprek")


class Round(models.TextChoices):
    """The rounds of the doen-sessie, in order."""

    OPENING = "voorstellen", _("Voorstellen")
    ACTORS_FACTORS = "actoren-factoren", _("Actoren en factoren")
    CHOOSE = "kiezen", _("Kiezen")
    NEXT_STEPS = "vervolgstappen", _("Vervolgstappen")
    CLOSING = "afronding", _("Afronding")


# Default minutes per round, from the deck (10, 10 and 5 minutes for the three working rounds).
ROUND_MINUTES = {
    Round.OPENING: 5,
    Round.ACTORS_FACTORS: 10,
    Round.CHOOSE: 10,
    Round.NEXT_STEPS: 5,
    Round.CLOSING: 5,
}


class NoteKind(models.TextChoices):
    ACTOR = "actor", _("Actor (wie)")
    FACTOR = "factor", _("Factor (wat)")


class Starter(models.TextChoices):
    """How a next step starts: "Om de haalbaarheid/het draagvlak te versterken…"."""

    FEASIBILITY = "haalbaarheid", _("Om de haalbaarheid te versterken…")
    SUPPORT = "draagvlak", _("Om het draagvlak te versterken…")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    BUSY = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")


VOTES_PER_KIND = 3  # dot-voting: votes per participant for actors, and again for factors
TOP = 3  # the top 3 actors and the top 3 factors
MAX_TABLES = 12  # tables per workshop
MAX_CODE_DAYS = 60  # how long a guest code may stay valid
POLL_SECONDS = 1  # how often a canvas asks for news (post-its must show within 2 seconds)
JOIN_ATTEMPTS = 10  # wrong codes from one address within JOIN_WINDOW before joining waits
JOIN_WINDOW_MINUTES = 15
