from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    SWV = "swv", _("Samenwerkingsverband")
    GEMEENTE = "gemeente", _("Gemeente")
    JEUGDHULP = "jeugdhulp", _("Jeugdhulpaanbieder")
    ADVIES = "advies", _("Adviesorganisatie / zorgarrangeur")


class SchoolType(models.TextChoices):
    PO = "po", _("Primair onderwijs (PO)")
    SBO = "sbo", _("Speciaal basisonderwijs (SBO)")
    SO = "so", _("Speciaal onderwijs (SO)")
    VSO = "vso", _("Voortgezet speciaal onderwijs (VSO)")
    VO = "vo", _("Voortgezet onderwijs (VO)")


class Cluster(models.IntegerChoices):
    """Clusters of (V)SO schools: which kind of need the school specialises in."""

    VISUAL = 1, _("Cluster 1 (visueel)")
    HEARING_LANGUAGE = 2, _("Cluster 2 (auditief en taal)")
    PHYSICAL_INTELLECTUAL = 3, _("Cluster 3 (lichamelijk en verstandelijk)")
    BEHAVIOUR_PSYCHIATRIC = 4, _("Cluster 4 (gedrag en psychiatrie)")


# Only special schools are organised in clusters.
CLUSTERED_SCHOOL_TYPES = frozenset({SchoolType.SO, SchoolType.VSO})


class Role(models.TextChoices):
    """What a member may do within one organisation. Ordered from most to least rights."""

    BEHEERDER = "beheerder", _("Beheerder")
    OPSTELLER = "opsteller", _("Opsteller")
    MEELEZER = "meelezer", _("Meelezer")

    @property
    def description(self) -> str:
        return str(ROLE_DESCRIPTIONS[self])


ROLE_DESCRIPTIONS = {
    Role.BEHEERDER: _("Beheert de leden en uitnodigingen, en kan alles wat een opsteller kan."),
    Role.OPSTELLER: _("Vult persona's en screenings in."),
    Role.MEELEZER: _("Kan alles bekijken maar niets wijzigen, bijvoorbeeld als partner."),
}

# Which roles include the rights of which others.
ROLE_RANK = {Role.BEHEERDER: 3, Role.OPSTELLER: 2, Role.MEELEZER: 1}
