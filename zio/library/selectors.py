"""Reads of the library. Unlike the rest of the app, the library is shared by every
organisation: what one organisation published, all others read. So these reads take the
viewer (user and active organisation) to decide only what is hidden by moderation, and never
return the publishing organisation's name unless it chose to show it (`publisher_label`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from zio.costs.constants import Unit
from zio.costs.models import FundingStream, Payer, Scenario
from zio.organisations.constants import OrganisationKind
from zio.organisations.models import Membership, Organisation
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Persona, Signal

from . import search
from .models import Adoption, Publication, PublicationReaction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from zio.accounts.models import User

DUTCH = "dutch"  # PostgreSQL's text search configuration


class Order:
    RELEVANCE = ""
    NEWEST = "nieuwste"
    MOST_ADOPTED = "meest-overgenomen"


@dataclass(frozen=True)
class Filters:
    query: str = ""
    school_type: str = ""
    signal_id: int | None = None
    with_costs: bool | None = None
    order: str = Order.RELEVANCE


# --- who may see and do what ---------------------------------------------------------------


def may_moderate_publication(user: User | AnonymousUser) -> bool:
    """Platform staff: there is no role above the organisations' own."""
    return bool(user.is_authenticated and user.is_staff)


def may_moderate_reaction(
    user: User | AnonymousUser, membership: Membership | None, publication: Publication
) -> bool:
    """Platform staff, and a beheerder of the organisation that published the persona."""
    if may_moderate_publication(user):
        return True
    return (
        membership is not None
        and membership.organisation_id == publication.organisation_id
        and membership.is_beheerder
    )


def publications_for_viewer(
    user: User | AnonymousUser, organisation: Organisation | None
) -> QuerySet[Publication]:
    """Every publication not hidden by moderation; hidden ones only for platform staff and
    for the organisation that published them (so that it sees why)."""
    publications = Publication.objects.select_related("organisation")
    if may_moderate_publication(user):
        return publications
    visible = Q(hidden_at__isnull=True)
    if organisation is not None:
        visible |= Q(organisation=organisation)
    return publications.filter(visible)


def publication_for_viewer(
    user: User | AnonymousUser, organisation: Organisation | None, publication_id: int
) -> Publication:
    """Raises Publication.DoesNotExist for one the viewer may not see."""
    return publications_for_viewer(user, organisation).get(pk=publication_id)


def publication_of_organisation(organisation: Organisation, publication_id: int) -> Publication:
    return Publication.objects.get(pk=publication_id, organisation=organisation)


def publication_of_persona(persona: Persona) -> Publication | None:
    return Publication.objects.filter(source=persona).first()


# --- list, search and filters ----------------------------------------------------------------


def _search(publications: QuerySet[Publication], query: str) -> tuple[QuerySet[Publication], bool]:
    """Filter by the search words; True when the result carries a `rank` to order by."""
    if connection.vendor == "postgresql":
        raw = search.tsquery(query)
        if not raw:
            return publications, False
        # Imported here: the module needs psycopg, which a SQLite-only set-up may not have.
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # The same expression as the GIN index of migration 0002, so that the index is used.
        vector = SearchVector("search_text", config=DUTCH)
        tsquery = SearchQuery(raw, config=DUTCH, search_type="raw")
        found = publications.annotate(vector=vector, rank=SearchRank(vector, tsquery))
        return found.filter(vector=tsquery), True
    patterns = search.fallback_patterns(query)
    for pattern in patterns:
        publications = publications.filter(search_normalised__contains=pattern)
    return publications, False


def publication_search(
    publications: QuerySet[Publication], filters: Filters
) -> QuerySet[Publication]:
    if filters.school_type:
        publications = publications.filter(school_type_codes__contains=f" {filters.school_type} ")
    if filters.signal_id is not None:
        publications = publications.filter(signals=filters.signal_id)
    if filters.with_costs is not None:
        publications = publications.filter(with_costs=filters.with_costs)
    publications, ranked = _search(publications, filters.query)
    if filters.order == Order.MOST_ADOPTED:
        return publications.order_by("-adoption_count", "-published_at", "-pk")
    if filters.order == Order.RELEVANCE and ranked:
        return publications.order_by(F("rank").desc(), "-published_at", "-pk")
    return publications.order_by("-published_at", "-pk")


def filter_signals() -> QuerySet[Signal]:
    """The shared signals that some visible publication names."""
    used = Publication.signals.through.objects.filter(publication__hidden_at__isnull=True).values(
        "signal_id"
    )
    return Signal.objects.filter(pk__in=used).order_by("name")


# --- one publication ---------------------------------------------------------------------------


def publisher_label(publication: Publication, organisation: Organisation | None) -> str:
    """Who published it, as the viewer may see it: the name only when the organisation chose
    to show it. Never reads the name otherwise, so no template can leak it by mistake."""
    if publication.show_organisation:
        return publication.organisation.name
    if organisation is not None and organisation.pk == publication.organisation_id:
        return _("Jouw organisatie (de naam is niet zichtbaar voor anderen)")
    return _("Een organisatie die anoniem wil blijven")


@dataclass(frozen=True)
class LineView:
    description: str
    payer: str
    funding_stream: str
    unit: str
    rate: Decimal
    quantity: Decimal | None
    hours_per_week: Decimal | None
    weeks: Decimal | None
    per_pupil: bool


@dataclass(frozen=True)
class ScenarioView:
    title: str
    lines: list[LineView]


@dataclass(frozen=True)
class SectionView:
    key: str
    heading: str
    items: list[str]


@dataclass(frozen=True)
class PublicationView:
    """The published copy as the page shows it (read from `content`, never from a persona)."""

    name: str
    status: str
    sections: list[SectionView]
    scenarios: list[ScenarioView]


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def publication_view(publication: Publication) -> PublicationView:
    persona = publication.content["persona"]
    name = persona["name"]
    sections = [
        SectionView(
            key=section.value,
            heading=section.heading(name),
            items=[item["text"] for item in persona["sections"].get(section.value, [])],
        )
        for section in Section
        if section.value in persona["sections"]
    ]
    payers = dict(Payer.objects.values_list("code", "name"))
    streams = dict(FundingStream.objects.values_list("code", "name"))
    scenarios = []
    for data in persona.get("scenarios", []):
        title = Scenario(kind=data["kind"], label=data["label"], name=data["name"]).title
        lines = [
            LineView(
                description=line["description"],
                payer=payers.get(line.get("payer", ""), line.get("payer", "")),
                funding_stream=streams.get(line["funding_stream"], line["funding_stream"]),
                unit=str(Unit(line["unit"]).label),
                rate=Decimal(line["rate"]),
                quantity=_decimal(line.get("quantity")),
                hours_per_week=_decimal(line.get("hours_per_week")),
                weeks=_decimal(line.get("weeks")),
                per_pupil=Unit(line["unit"]).per_pupil,
            )
            for line in data["lines"]
        ]
        scenarios.append(ScenarioView(title=title, lines=lines))
    # The scenarios keep the order of the copy: the source's, as on its cost page.
    status = str(PersonaStatus(persona["status"]).label)
    return PublicationView(name=name, status=status, sections=sections, scenarios=scenarios)


@dataclass(frozen=True)
class ReactionView:
    reaction: PublicationReaction
    author_label: str
    can_delete: bool
    can_moderate: bool


def _reaction_author(reaction: PublicationReaction, publication: Publication) -> str:
    if reaction.organisation_id is not None and (
        reaction.organisation_id == publication.organisation_id
    ):
        # Named only as the makers: their name would undo an anonymous publication.
        return _("De makers van deze persona")
    organisation = reaction.organisation
    if organisation is None:
        return _("Een organisatie die niet meer bestaat")
    if reaction.show_organisation:
        return organisation.name
    kind = str(OrganisationKind(organisation.kind).label)
    return _("%(kind)s (naam niet getoond)") % {"kind": kind}


def reactions_for_viewer(
    publication: Publication, user: User, membership: Membership | None
) -> list[ReactionView]:
    """The reactions, oldest first. Hidden ones only for moderators and their author."""
    moderator = may_moderate_reaction(user, membership, publication)
    result = []
    for reaction in publication.reactions.select_related("organisation"):
        own = reaction.author_id == user.pk
        if reaction.is_hidden and not (moderator or own):
            continue
        result.append(
            ReactionView(
                reaction=reaction,
                author_label=_reaction_author(reaction, publication),
                can_delete=own,
                can_moderate=moderator,
            )
        )
    return result


def reaction_for_viewer(
    user: User, membership: Membership | None, reaction_id: int
) -> PublicationReaction:
    """A reaction on a publication the viewer may see, that is not hidden from them; raises
    PublicationReaction.DoesNotExist otherwise."""
    organisation = membership.organisation if membership is not None else None
    reaction = PublicationReaction.objects.select_related("publication").get(
        pk=reaction_id,
        publication__in=publications_for_viewer(user, organisation),
    )
    if reaction.is_hidden and not (
        reaction.author_id == user.pk
        or may_moderate_reaction(user, membership, reaction.publication)
    ):
        raise PublicationReaction.DoesNotExist
    return reaction


# --- on the persona page ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonaLibraryNote:
    """What the persona page says about the library: where an adopted persona came from, and
    whether the persona itself is published."""

    adoption: Adoption | None
    adopted_from: Publication | None  # None when withdrawn or hidden
    publication: Publication | None


def persona_library_note(persona: Persona, organisation: Organisation) -> PersonaLibraryNote:
    adoption = Adoption.objects.filter(persona=persona).select_related("publication").first()
    adopted_from = None
    if adoption is not None and adoption.publication and not adoption.publication.is_hidden:
        adopted_from = adoption.publication
    publication = None
    if persona.organisation_id == organisation.pk:
        publication = publication_of_persona(persona)
    return PersonaLibraryNote(adoption=adoption, adopted_from=adopted_from, publication=publication)
