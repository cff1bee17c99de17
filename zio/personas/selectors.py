"""Reads for persona's, always scoped to an organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, QuerySet

from zio.organisations.models import Organisation

from .catalogue import NEEDS
from .constants import SECTION_GUIDANCE, Section
from .models import (
    HiddenSignal,
    Persona,
    PersonaComment,
    PersonaItem,
    PersonaRevision,
    Signal,
    SignalDomain,
)


@dataclass
class SectionView:
    section: Section
    heading: str
    items: list[PersonaItem]
    guidance: str = ""
    example: str = ""
    comments: list[PersonaComment] = field(default_factory=list)
    version: int = 0


def personas_for_organisation(
    organisation: Organisation, *, archived: bool = False
) -> QuerySet[Persona]:
    personas = Persona.objects.for_organisation(organisation).annotate(item_count=Count("items"))
    if archived:
        return personas.filter(archived_at__isnull=False)
    return personas.filter(archived_at__isnull=True)


def persona_for_organisation(organisation: Organisation, persona_id: int) -> Persona:
    """The persona with this id in this organisation; raises Persona.DoesNotExist otherwise."""
    return (
        Persona.objects.for_organisation(organisation)
        .select_related("updated_by", "source_group__run")
        .get(pk=persona_id)
    )


def persona_sections(persona: Persona, *, with_comments: bool = False) -> list[SectionView]:
    """All template sections in handbook order, each with its items (possibly none)."""
    by_section: dict[str, list[PersonaItem]] = {s.value: [] for s in Section}
    for item in persona.items.order_by("position", "pk"):
        by_section[item.section].append(item)
    comments: dict[str, list[PersonaComment]] = {s.value: [] for s in Section}
    if with_comments:
        for comment in persona.comments.select_related("author"):
            comments[comment.section].append(comment)
    return [section_view(persona, s, by_section[s.value], comments[s.value]) for s in Section]


def section_view(
    persona: Persona,
    section: Section,
    items: list[PersonaItem] | None = None,
    comments: list[PersonaComment] | None = None,
) -> SectionView:
    guidance, example = SECTION_GUIDANCE[section]
    if items is None:
        items = list(persona.items.filter(section=section).order_by("position", "pk"))
    if comments is None:
        comments = list(persona.comments.filter(section=section).select_related("author"))
    return SectionView(
        section=section,
        heading=section.heading(persona.name),
        items=items,
        guidance=str(guidance),
        example=str(example),
        comments=comments,
        version=persona.version_of(section.value),
    )


def persona_revisions(persona: Persona) -> QuerySet[PersonaRevision]:
    return persona.revisions.select_related("author").defer("snapshot")


def persona_revision(persona: Persona, revision_id: int) -> PersonaRevision:
    return persona.revisions.select_related("author").get(pk=revision_id)


def persona_comment(persona: Persona, comment_id: int) -> PersonaComment:
    return persona.comments.get(pk=comment_id)


@dataclass(frozen=True)
class CatalogueDomain:
    domain: SignalDomain
    signals: list[Signal]


def signal_catalogue(organisation: Organisation) -> list[CatalogueDomain]:
    """The signals this organisation can pick, grouped by domain."""
    signals = Signal.objects.for_organisation(organisation)
    return [
        CatalogueDomain(domain=domain, signals=list(group))
        for domain, group in groupby(signals, key=lambda s: s.domain)
    ]


def signal_catalogue_management(organisation: Organisation) -> list[dict[str, object]]:
    """Every shared and own signal per domain, with whether this organisation uses it."""
    hidden = set(
        HiddenSignal.objects.filter(organisation=organisation).values_list("signal_id", flat=True)
    )
    own_or_shared = Signal.objects.filter(organisation__isnull=True) | Signal.objects.filter(
        organisation=organisation, retired_at__isnull=True
    )
    domains = SignalDomain.objects.prefetch_related(
        Prefetch(
            "signals",
            queryset=own_or_shared.order_by("position", "name"),
            to_attr="listed",
        )
    )
    return [
        {
            "domain": domain,
            "signals": [
                {
                    "signal": signal,
                    "own": signal.organisation_id is not None,
                    "hidden": signal.pk in hidden,
                }
                for signal in domain.listed
            ],
        }
        for domain in domains
    ]


def signal_for_organisation(organisation: Organisation, signal_id: int) -> Signal:
    """A shared signal or one of the organisation's own; raises Signal.DoesNotExist otherwise."""
    return (
        Signal.objects.filter(organisation__isnull=True)
        | Signal.objects.filter(organisation=organisation)
    ).get(pk=signal_id)


def need_suggestions() -> list[str]:
    return list(NEEDS)
