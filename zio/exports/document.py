"""What an export shows of a persona, for one audience.

Every export format (PDF, waaier, Word, Excel) starts from the same `PersonaDocument`, so that
what a preset leaves out (costs for parents, for example) is decided in one place and never
differently per format. The JSON exchange format is the exception: it is a complete copy for
another installation, not a text for a table, and is built in `exchange.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zio.common.privacy import suppress_count
from zio.costs.selectors import CostOverview, persona_cost_overview
from zio.personas.avatars import AVATARS, DEFAULT_AVATAR
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Persona


class Audience(models.TextChoices):
    """Who the export is for; the same persona goes to different tables."""

    PARENTS = "ouders", gettext_lazy("Ouders")
    PARTNERS = "partners", gettext_lazy("Partners: gemeente, SWV en jeugdhulp")
    INTERNAL = "intern", gettext_lazy("Intern")


AUDIENCE_HELP = {
    Audience.PARENTS: gettext_lazy(
        "Zonder kosten en betalers, in warme woorden. Voor een gesprek met ouders."
    ),
    Audience.PARTNERS: gettext_lazy(
        "Met de kosten per betaler en wat er gebeurt als er niets verandert. Voor gemeente, "
        "samenwerkingsverband en jeugdhulp."
    ),
    Audience.INTERNAL: gettext_lazy(
        "Alles, ook de berekening van elke kostenregel en de geldstromen. Voor je eigen team."
    ),
}

# The sections parents see, with headings in warmer words than the template's questions.
# No costs and no payers: a conversation with parents is about their child, not about money.
PARENT_HEADINGS = {
    Section.WHO: gettext_lazy("Dit is %(name)s"),
    Section.PROBLEMS: gettext_lazy("Waar %(name)s tegenaan loopt"),
    Section.WISHES: gettext_lazy("Wat %(name)s graag wil"),
    Section.CURRENT_SCHOOL: gettext_lazy("Hoe het nu gaat op school"),
    Section.CURRENT_PARENTS: gettext_lazy("Hoe het nu gaat thuis"),
    Section.NEEDS: gettext_lazy("Wat %(name)s nodig heeft"),
    Section.DESIRED: gettext_lazy("Hoe het beter kan"),
    Section.IF_UNMET: gettext_lazy("Als er niets verandert"),
}
COST_SECTIONS = (Section.COSTS_CURRENT, Section.COSTS_DESIRED)


@dataclass(frozen=True)
class DocumentSection:
    key: str  # Section value
    heading: str
    items: list[str]

    @property
    def is_empty(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class PersonaDocument:
    """A persona as an export shows it to one audience. Texts are plain (not escaped): every
    writer escapes them for its own format."""

    persona: Persona
    audience: Audience
    name: str
    organisation: str
    group_size: str  # suppressed below the small-cell threshold ("< 10")
    ages: str
    school_types: list[str]
    status: str
    avatar: str  # file name stem in static/img/avatars
    avatar_description: str
    sections: list[DocumentSection]
    costs: CostOverview | None  # None for parents
    source: str  # "Gebaseerd op groep 3 (…) van groepering 12", or ""
    updated_at: datetime

    @property
    def shows_costs(self) -> bool:
        return self.costs is not None

    @property
    def shows_calculations(self) -> bool:
        """Per cost line how it is counted and from which stream: for the own team only."""
        return self.audience == Audience.INTERNAL

    @property
    def shows_per_pupil(self) -> bool:
        """Amounts per pupil next to totals would give away a group size that is suppressed
        (total / per pupil): only in files for the own team, who see both in the app."""
        return self.audience == Audience.INTERNAL

    def section(self, key: Section | str) -> DocumentSection | None:
        value = key.value if isinstance(key, Section) else key
        return next((s for s in self.sections if s.key == value), None)


def audience_label(audience: Audience | str) -> str:
    return str(Audience(audience).label)


def ages_text(persona: Persona) -> str:
    if persona.age_min == persona.age_max:
        return _("%(age)s jaar") % {"age": persona.age_min}
    return _("%(min)s tot en met %(max)s jaar") % {"min": persona.age_min, "max": persona.age_max}


def group_size_text(persona: Persona) -> str:
    count = suppress_count(int(persona.group_size or 0), settings.SMALL_CELL_THRESHOLD)
    if count.value is None:
        return _("minder dan %(n)s leerlingen") % {"n": settings.SMALL_CELL_THRESHOLD}
    return _("%(n)s leerlingen") % {"n": count.value}


def _source_text(persona: Persona) -> str:
    group = persona.source_group
    if group is None:
        return ""
    return _("Gebaseerd op groep %(n)s (%(title)s) van groepering %(run)s") % {
        "n": group.number,
        "title": group.title,
        "run": group.run_id,
    }


def _sections(persona: Persona, audience: Audience) -> list[DocumentSection]:
    by_section: dict[str, list[str]] = {s.value: [] for s in Section}
    for item in persona.items.all():
        by_section[item.section].append(item.text)
    result = []
    for section in Section:
        if audience == Audience.PARENTS:
            if section in COST_SECTIONS:
                continue
            heading = str(PARENT_HEADINGS[section]) % {"name": persona.name}
        else:
            heading = section.heading(persona.name)
        result.append(DocumentSection(section.value, heading, by_section[section.value]))
    return result


def persona_document(persona: Persona, audience: Audience | str) -> PersonaDocument:
    """The persona as `audience` sees it in an export. The persona must have been looked up
    through the user's organisation (see `selectors.personas_for_export`)."""
    audience = Audience(audience)
    avatar = persona.avatar if persona.avatar in AVATARS else DEFAULT_AVATAR
    return PersonaDocument(
        persona=persona,
        audience=audience,
        name=persona.name,
        organisation=persona.organisation.name,
        group_size=group_size_text(persona),
        ages=ages_text(persona),
        school_types=persona.school_type_labels,
        status=str(PersonaStatus(persona.status).label),
        avatar=avatar,
        avatar_description=str(AVATARS[avatar]),
        sections=_sections(persona, audience),
        costs=None if audience == Audience.PARENTS else persona_cost_overview(persona),
        source=_source_text(persona),
        updated_at=persona.updated_at,
    )
