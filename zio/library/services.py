"""Writes of the library: publish (or update) a persona, withdraw it, adopt it, react to it,
and moderation (hide and show again)."""

from __future__ import annotations

import copy
import json
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zio.exports.document import Audience
from zio.exports.exchange import IMPORTED, ExchangeError, persona_export_data, persona_import
from zio.organisations.constants import SchoolType
from zio.organisations.models import Membership, Organisation
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Persona, Signal

from . import search
from .models import Adoption, Moderated, Publication, PublicationReaction
from .public_copy import has_email, mentions, scrub, size_band, texts
from .selectors import may_moderate_publication, may_moderate_reaction

if TYPE_CHECKING:
    from zio.accounts.models import User

logger = logging.getLogger(__name__)

ARCHIVED = _("Een gearchiveerde persona kun je niet publiceren.")
TITLE_REQUIRED = _("Geef de publicatie een titel.")
ORGANISATION_NAMED = _(
    "De naam van je organisatie staat in de persona (bij: %(where)s). Haal hem daar weg, of "
    "kies ervoor de naam van je organisatie te tonen."
)
PERSON_NAMED = _(
    "De persona noemt een medewerker van je organisatie bij naam (bij: %(where)s). Haal die "
    "naam weg voordat je publiceert."
)
EMAIL_IN_TEXT = _(
    "Er staat een e-mailadres in de persona (bij: %(where)s). Haal het weg voordat je publiceert."
)
NOT_YOURS = _("Alleen de organisatie die deze persona publiceerde, kan hem intrekken.")
HIDDEN = _("Deze publicatie is verborgen door de moderatie.")
GONE = _("Deze publicatie is intussen ingetrokken.")
ADOPT_FAILED = _(
    "Overnemen is niet gelukt: de publicatie past niet meer bij deze installatie. Laat het "
    "de beheerder van het platform weten."
)
ADOPTED_SUMMARY = _("Overgenomen uit de bibliotheek: %(title)s")
EMPTY_REACTION = _("Schrijf eerst je reactie.")
REACTION_EMAIL = _("Zet geen e-mailadres in een reactie: iedereen met een account leest mee.")
NOT_YOUR_REACTION = _("Je kunt alleen je eigen reacties verwijderen.")
NOT_MODERATOR = _("Je mag dit niet verbergen.")
REASON_REQUIRED = _("Schrijf kort waarom je dit verbergt.")

TITLE_WHERE = _("titel")
SUMMARY_WHERE = _("samenvatting")
NAME_WHERE = _("naam van de persona")
COSTS_WHERE = _("kosten")


def _where(key: str, persona_name: str) -> str:
    if key == "naam":
        return str(NAME_WHERE)
    if key == "kosten":
        return str(COSTS_WHERE)
    return Section(key).heading(persona_name)


def _member_names(organisation: Organisation) -> list[str]:
    # Only first and last name together: a lone first name is too common to refuse a text.
    names = Membership.objects.filter(organisation=organisation).values_list(
        "user__full_name", flat=True
    )
    return [n for n in names if len(n.split()) >= 2]


def _check_public(
    content: dict[str, Any],
    *,
    title: str,
    summary: str,
    organisation: Organisation,
    show_organisation: bool,
) -> None:
    """Refuse a copy that names the organisation (when it chose not to be named), one of its
    people, or an e-mail address, in a field that people typed."""
    persona_name = content["persona"]["name"]
    places = [
        (str(TITLE_WHERE), title),
        (str(SUMMARY_WHERE), summary),
        *((_where(key, persona_name), text) for key, text in texts(content)),
    ]
    checks = [(PERSON_NAMED, _member_names(organisation))]
    if not show_organisation:
        checks.insert(0, (ORGANISATION_NAMED, [organisation.name]))
    problems = []
    for message, names in checks:
        where = list(dict.fromkeys(w for w, text in places if mentions(text, names)))
        if where:
            problems.append(message % {"where": ", ".join(where)})
    where = list(dict.fromkeys(w for w, text in places if has_email(text)))
    if where:
        problems.append(EMAIL_IN_TEXT % {"where": ", ".join(where)})
    if problems:
        raise ValidationError(problems)


def _search_text(publication: Publication) -> str:
    content = publication.content
    parts = [publication.title, publication.summary]
    parts.extend(text for _key, text in texts(content))
    for items in content["persona"]["sections"].values():
        parts.extend(item["signal"]["name"] for item in items if "signal" in item)
    parts.extend(str(SchoolType(code).label) for code in publication.school_types)
    if publication.show_organisation:
        parts.append(publication.organisation.name)
    return "\n".join(p for p in parts if p)


def publication_publish(
    *,
    persona: Persona,
    user: User,
    title: str,
    summary: str = "",
    show_organisation: bool,
    with_costs: bool,
) -> Publication:
    """Publish a copy of the persona in the library, or replace the copy of its existing
    publication (its reactions, adoptions and moderation stay)."""
    if persona.archived_at is not None:
        raise ValidationError(ARCHIVED)
    title, summary = title.strip(), summary.strip()
    if not title:
        raise ValidationError({"title": TITLE_REQUIRED})
    shared = Signal.objects.filter(organisation__isnull=True)
    content = scrub(
        persona_export_data(persona, Audience.PARTNERS),
        with_costs=with_costs,
        shared_signals=shared.values_list("name", flat=True),
    )
    organisation = persona.organisation
    _check_public(
        content,
        title=title,
        summary=summary,
        organisation=organisation,
        show_organisation=show_organisation,
    )
    lower, upper = size_band(persona.group_size, settings.SMALL_CELL_THRESHOLD)
    now = timezone.now()
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(
            source=persona
        ).first() or Publication(source=persona, published_at=now, published_by=user)
        publication.organisation = organisation
        publication.title = title
        publication.summary = summary
        publication.persona_name = persona.name
        publication.avatar = persona.avatar
        publication.age_min = persona.age_min
        publication.age_max = persona.age_max
        publication.school_types = list(persona.school_types)
        publication.school_type_codes = " " + " ".join(persona.school_types) + " "
        publication.group_size_min = lower
        publication.group_size_max = upper
        publication.show_organisation = show_organisation
        publication.with_costs = with_costs
        publication.content = content
        publication.updated_at = now
        publication.search_text = _search_text(publication)
        publication.search_normalised = search.normalise(publication.search_text)
        publication.full_clean(exclude=["source", "published_by"])
        publication.save()
        used = persona.items.filter(signal__isnull=False).values("signal_id")
        publication.signals.set(shared.filter(pk__in=used))
    return publication


def publication_withdraw(*, publication: Publication, organisation: Organisation) -> None:
    """Delete the publication and its reactions. Adopted persona's stay, with their title."""
    if publication.organisation_id != organisation.pk:
        raise ValidationError(NOT_YOURS)
    publication.delete()


def publication_adopt(
    *, publication: Publication, organisation: Organisation, user: User
) -> Persona:
    """A new persona in `organisation` from the publication's copy, as a concept, with an
    `Adoption` that links it to the publication."""
    with transaction.atomic():
        try:
            publication = Publication.objects.select_for_update().get(pk=publication.pk)
        except Publication.DoesNotExist:
            raise ValidationError(GONE) from None
        if publication.is_hidden:
            raise ValidationError(HIDDEN)
        data = copy.deepcopy(publication.content)
        # The adopting team has not discussed it yet, whatever its status was at the source.
        data["persona"]["status"] = PersonaStatus.CONCEPT.value
        try:
            persona = persona_import(
                organisation=organisation, user=user, raw=json.dumps(data).encode()
            )
        except ExchangeError as exc:
            logger.error("Publication %s could not be adopted: %s", publication.pk, exc)
            raise ValidationError(ADOPT_FAILED) from exc
        Adoption.objects.create(
            persona=persona,
            publication=publication,
            title_at_adoption=publication.title,
            adopted_by=user,
        )
        Publication.objects.filter(pk=publication.pk).update(adoption_count=F("adoption_count") + 1)
        # The import wrote "Geïmporteerd uit een JSON-bestand"; say where it really came from
        # (keeping the importer's note about signals that are not in the catalogue).
        revision = persona.revisions.order_by("-number").first()
        if revision is not None:
            rest = revision.summary.removeprefix(str(IMPORTED))
            revision.summary = (str(ADOPTED_SUMMARY % {"title": publication.title}) + rest)[:300]
            revision.save(update_fields=["summary"])
    return persona


def reaction_add(
    *,
    publication: Publication,
    user: User,
    organisation: Organisation,
    text: str,
    show_organisation: bool,
) -> PublicationReaction:
    text = text.strip()
    if not text:
        raise ValidationError({"text": EMPTY_REACTION})
    if has_email(text):
        raise ValidationError({"text": REACTION_EMAIL})
    if publication.is_hidden:
        raise ValidationError(HIDDEN)
    reaction = PublicationReaction(
        publication=publication,
        author=user,
        organisation=organisation,
        show_organisation=show_organisation,
        text=text,
    )
    reaction.full_clean()
    reaction.save()
    return reaction


def reaction_delete(*, reaction: PublicationReaction, user: User) -> None:
    if reaction.author_id != user.pk:
        raise ValidationError(NOT_YOUR_REACTION)
    reaction.delete()


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason


MODERATION_FIELDS = ["hidden_at", "hidden_by", "hidden_reason"]


def _hide(item: Moderated, *, user: User, reason: str, exclude: list[str] | None = None) -> None:
    item.hidden_reason = _reason(reason)
    item.hidden_at = timezone.now()
    item.hidden_by = user
    item.full_clean(exclude=exclude)
    item.save(update_fields=MODERATION_FIELDS)


def _show(item: Moderated) -> None:
    item.hidden_at = None
    item.hidden_by = None
    item.hidden_reason = ""
    item.save(update_fields=MODERATION_FIELDS)


def publication_hide(*, publication: Publication, user: User, reason: str) -> None:
    if not may_moderate_publication(user):
        raise ValidationError(NOT_MODERATOR)
    _hide(publication, user=user, reason=reason, exclude=["source", "published_by"])


def publication_unhide(*, publication: Publication, user: User) -> None:
    if not may_moderate_publication(user):
        raise ValidationError(NOT_MODERATOR)
    _show(publication)


def reaction_hide(
    *, reaction: PublicationReaction, user: User, membership: Membership | None, reason: str
) -> None:
    if not may_moderate_reaction(user, membership, reaction.publication):
        raise ValidationError(NOT_MODERATOR)
    _hide(reaction, user=user, reason=reason)


def reaction_unhide(
    *, reaction: PublicationReaction, user: User, membership: Membership | None
) -> None:
    if not may_moderate_reaction(user, membership, reaction.publication):
        raise ValidationError(NOT_MODERATOR)
    _show(reaction)
