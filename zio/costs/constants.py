from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """How a cost line is counted. Per-pupil units are multiplied by the number of pupils the
    line applies to; group units are one amount for the whole group."""

    PUPIL_YEAR = "leerling_jaar", _("per leerling per jaar")
    PUPIL_HOUR = "leerling_uur", _("per uur, per leerling (uren per week × weken)")
    PUPIL_DAY = "leerling_dag", _("per dag, per leerling (aantal dagen)")
    GROUP_HOUR = "groep_uur", _("per uur, voor de hele groep (uren per week × weken)")
    GROUP_YEAR = "groep_jaar", _("vast bedrag per groep per jaar")

    @property
    def per_pupil(self) -> bool:
        return self in PER_PUPIL_UNITS

    @property
    def hourly(self) -> bool:
        return self in HOURLY_UNITS


PER_PUPIL_UNITS = frozenset({Unit.PUPIL_YEAR, Unit.PUPIL_HOUR, Unit.PUPIL_DAY})
HOURLY_UNITS = frozenset({Unit.PUPIL_HOUR, Unit.GROUP_HOUR})


class ScenarioKind(models.TextChoices):
    CURRENT = "huidig", _("Huidige situatie")
    DESIRED = "gewenst", _("Gewenste situatie")
    IF_UNMET = "niets_verandert", _("Als er niets verandert")


# A school year has about 40 school weeks; used as the default for hourly lines.
SCHOOL_WEEKS = 40
