"""Writes for persona's: the template editor, history, comments and the signal catalogue.

Every change to a persona goes through one of these functions. Each runs in one transaction,
checks the version the editor started from (so that nobody silently overwrites someone else),
and records a revision with a full snapshot, so any earlier version can be restored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zio.costs import services as costs_services
from zio.organisations.models import Organisation

from .avatars import AVATARS, DEFAULT_AVATAR
from .constants import MAX_ITEMS_PER_SECTION, META, PersonaStatus, Section
from .models import (
    HiddenSignal,
    Persona,
    PersonaComment,
    PersonaItem,
    PersonaRevision,
    Signal,
    SignalDomain,
)

if TYPE_CHECKING:
    from zio.accounts.models import User

TOO_MANY_ITEMS = gettext_lazy(
    "Een onderdeel heeft hooguit %(max)s regels. Houd de persona kort en krachtig."
)
ITEM_TOO_LONG = gettext_lazy("Regel %(number)s is te lang: hooguit 500 tekens.")
UNKNOWN_SIGNAL = gettext_lazy("Dit signaal staat niet in de catalogus van je organisatie.")
UNKNOWN_AVATAR = gettext_lazy("Kies een van de illustraties.")
ARCHIVED = gettext_lazy("Deze persona is gearchiveerd. Haal hem eerst terug uit het archief.")
SIGNAL_EXISTS = gettext_lazy("Dit signaal staat al in de catalogus.")
SIGNAL_LOOKS_LIKE_IDENTIFIER = gettext_lazy(
    "Deze naam lijkt op een gegeven dat een leerling herkenbaar maakt (zoals naam, BSN of "
    "geboortedatum). Kies een andere omschrijving van het signaal."
)
SIGNAL_IS_A_COLUMN = gettext_lazy(
    "Dit is al een vaste kolom van de screening (zoals Leeftijd of Schoolsoort). Kies een andere "
    "naam."
)
NOT_YOUR_SIGNAL = gettext_lazy("Je kunt alleen de eigen signalen van je organisatie wijzigen.")
EMPTY_COMMENT = gettext_lazy("Schrijf eerst een reactie.")
NOT_YOUR_COMMENT = gettext_lazy("Je kunt alleen je eigen reacties verwijderen.")


@dataclass(frozen=True)
class ItemInput:
    """One line of a section as the editor sends it."""

    text: str
    signal_id: int | None = None


@dataclass
class EditConflict(Exception):  # noqa: N818 - it is a situation, not a programming error
    """Someone else saved this part since the editor opened it.

    Carries what is saved now, so the editor can show both texts and lose neither.
    """

    part: str
    current_version: int
    current_items: list[ItemInput] = field(default_factory=list)
    current_meta: dict[str, Any] = field(default_factory=dict)
    changed_by: str = ""
    changed_at: datetime | None = None

    @property
    def status_label(self) -> str:
        status = self.current_meta.get("status", "")
        return str(PersonaStatus(status).label) if status in PersonaStatus.values else ""


# --- snapshots and revisions -----------------------------------------------------------------


def _meta_of(persona: Persona) -> dict[str, Any]:
    return {
        "name": persona.name,
        "group_size": persona.group_size,
        "age_min": persona.age_min,
        "age_max": persona.age_max,
        "school_types": list(persona.school_types),
        "avatar": persona.avatar,
        "status": persona.status,
    }


def _items_of(persona: Persona) -> dict[str, list[dict[str, Any]]]:
    items: dict[str, list[dict[str, Any]]] = {s.value: [] for s in Section}
    for item in persona.items.order_by("position", "pk"):
        items[item.section].append({"text": item.text, "signal_id": item.signal_id})
    return items


def persona_snapshot(persona: Persona) -> dict[str, Any]:
    """Everything that makes up the persona, as JSON-serialisable data."""
    return {
        "meta": _meta_of(persona),
        "items": _items_of(persona),
        "costs": costs_services.costs_snapshot(persona),
    }


def _record_revision(persona: Persona, user: User | None, summary: str) -> PersonaRevision:
    last = persona.revisions.aggregate(last=Max("number"))["last"] or 0
    return PersonaRevision.objects.create(
        persona=persona,
        number=last + 1,
        author=user,
        summary=summary[:300],
        snapshot=persona_snapshot(persona),
    )


def persona_changed(persona: Persona, *, user: User | None, summary: str) -> PersonaRevision:
    """Record a change made elsewhere (e.g. cost lines) in the persona's history."""
    persona.updated_by = user
    persona.save(update_fields=["updated_by", "updated_at"])
    return _record_revision(persona, user, summary)


def _lock(persona: Persona) -> Persona:
    return Persona.objects.select_for_update().get(pk=persona.pk)


def _bump(persona: Persona, user: User | None, *parts: str) -> None:
    """Raise the version of each part, and note who saved it and when (for the conflict
    message of someone who started from the old version)."""
    versions = dict(persona.versions)
    saved = dict(versions.get("saved", {}))
    for part in parts:
        versions[part] = int(versions.get(part, 0)) + 1
        saved[part] = {"by": _who(user), "at": timezone.now().isoformat()}
    versions["saved"] = saved
    persona.versions = versions


def _who(user: User | None) -> str:
    return user.get_full_name() if user is not None else str(_("iemand"))


def _conflict(persona: Persona, part: str, **current: Any) -> EditConflict:
    saved = persona.versions.get("saved", {}).get(part, {})
    at = saved.get("at")
    return EditConflict(
        part=part,
        current_version=persona.version_of(part),
        changed_by=saved.get("by") or _who(persona.updated_by),
        changed_at=datetime.fromisoformat(at) if at else persona.updated_at,
        **current,
    )


# --- create, meta, sections ------------------------------------------------------------------


def persona_create(
    *,
    organisation: Organisation,
    name: str,
    group_size: int,
    age_min: int,
    age_max: int,
    school_types: Sequence[str] = (),
    avatar: str = DEFAULT_AVATAR,
    status: PersonaStatus = PersonaStatus.CONCEPT,
    sections: Mapping[Section, Sequence[str]] | None = None,
    created_by: User | None = None,
) -> Persona:
    """Create a persona with the given lines per template section, all or nothing."""
    with transaction.atomic():
        persona = Persona(
            organisation=organisation,
            name=name.strip(),
            group_size=group_size,
            age_min=age_min,
            age_max=age_max,
            school_types=[str(t) for t in school_types],
            avatar=avatar,
            status=status,
            created_by=created_by,
            updated_by=created_by,
        )
        _check_avatar(avatar)
        persona.full_clean()
        persona.save()
        items = [
            PersonaItem(persona=persona, section=section, text=text.strip(), position=position)
            for section, texts in (sections or {}).items()
            for position, text in enumerate(texts)
        ]
        for item in items:
            item.full_clean(exclude=["persona"])
        PersonaItem.objects.bulk_create(items)
        costs_services.scenarios_ensure_defaults(persona=persona)
        _record_revision(persona, created_by, _("Persona aangemaakt"))
    return persona


def _check_avatar(avatar: str) -> None:
    if avatar not in AVATARS:
        raise ValidationError({"avatar": UNKNOWN_AVATAR})


def _check_editable(persona: Persona) -> None:
    if persona.is_archived:
        raise ValidationError(ARCHIVED)


def persona_update_meta(
    *,
    persona: Persona,
    expected_version: int,
    user: User,
    name: str,
    group_size: int,
    age_min: int,
    age_max: int,
    school_types: Sequence[str],
    avatar: str,
    status: PersonaStatus | str,
) -> Persona:
    with transaction.atomic():
        persona = _lock(persona)
        _check_editable(persona)
        if persona.version_of(META) != expected_version:
            raise _conflict(persona, META, current_meta=_meta_of(persona))
        persona.name = name.strip()
        persona.group_size = group_size
        persona.age_min = age_min
        persona.age_max = age_max
        persona.school_types = [str(t) for t in school_types]
        persona.avatar = avatar
        persona.status = status
        persona.updated_by = user
        _check_avatar(avatar)
        persona.full_clean()
        _bump(persona, user, META)
        persona.save()
        _record_revision(persona, user, _("Gegevens gewijzigd"))
    return persona


def section_items(persona: Persona, section: Section) -> list[ItemInput]:
    return [
        ItemInput(text=item.text, signal_id=item.signal_id)
        for item in persona.items.filter(section=section).order_by("position", "pk")
    ]


def _clean_items(persona: Persona, items: Sequence[ItemInput]) -> list[ItemInput]:
    """Drop empty lines, check length and number, and check signals against the catalogue."""
    kept = [ItemInput(text=i.text.strip(), signal_id=i.signal_id) for i in items if i.text.strip()]
    if len(kept) > MAX_ITEMS_PER_SECTION:
        raise ValidationError(TOO_MANY_ITEMS % {"max": MAX_ITEMS_PER_SECTION})
    for number, item in enumerate(kept, start=1):
        if len(item.text) > 500:
            raise ValidationError(ITEM_TOO_LONG % {"number": number})
    signal_ids = {i.signal_id for i in kept if i.signal_id is not None}
    if signal_ids:
        # Signals already on the persona stay valid even when the catalogue hides them later.
        known = set(
            Signal.objects.for_organisation(persona.organisation)
            .filter(pk__in=signal_ids)
            .values_list("pk", flat=True)
        ) | set(persona.items.filter(signal_id__in=signal_ids).values_list("signal_id", flat=True))
        if signal_ids - known:
            raise ValidationError(UNKNOWN_SIGNAL)
    return kept


def _describe_change(heading: str, before: list[ItemInput], after: list[ItemInput]) -> str:
    old, new = [i.text for i in before], [i.text for i in after]
    added = len([t for t in new if t not in old])
    removed = len([t for t in old if t not in new])
    parts = []
    if added:
        parts.append(
            ngettext("%(n)s regel toegevoegd", "%(n)s regels toegevoegd", added) % {"n": added}
        )
    if removed:
        parts.append(
            ngettext("%(n)s regel verwijderd", "%(n)s regels verwijderd", removed) % {"n": removed}
        )
    if not parts and old != new:
        parts.append(_("volgorde gewijzigd"))
    detail = ", ".join(parts) if parts else _("niets gewijzigd")
    return f"{heading}: {detail}"


def persona_section_save(
    *,
    persona: Persona,
    section: Section,
    items: Sequence[ItemInput],
    expected_version: int,
    user: User,
) -> Persona:
    """Replace the lines of one section, unless someone else saved it in the meantime."""
    with transaction.atomic():
        persona = _lock(persona)
        _check_editable(persona)
        before = section_items(persona, section)
        if persona.version_of(section) != expected_version:
            raise _conflict(persona, section.value, current_items=before)
        kept = _clean_items(persona, items)
        persona.items.filter(section=section).delete()
        PersonaItem.objects.bulk_create(
            PersonaItem(
                persona=persona,
                section=section,
                text=item.text,
                signal_id=item.signal_id,
                position=position,
            )
            for position, item in enumerate(kept)
        )
        _bump(persona, user, section.value)
        persona.updated_by = user
        persona.save(update_fields=["versions", "updated_by", "updated_at"])
        _record_revision(
            persona, user, _describe_change(section.heading(persona.name), before, kept)
        )
    return persona


# --- copies, archive, delete ----------------------------------------------------------------


def persona_duplicate(*, persona: Persona, user: User) -> Persona:
    """A new concept persona with the same content, cost lines included."""
    with transaction.atomic():
        copy = Persona.objects.create(
            organisation=persona.organisation,
            name=_("Kopie van %(name)s") % {"name": persona.name},
            group_size=persona.group_size,
            age_min=persona.age_min,
            age_max=persona.age_max,
            school_types=list(persona.school_types),
            avatar=persona.avatar,
            status=PersonaStatus.CONCEPT,
            created_by=user,
            updated_by=user,
            based_on=persona,
        )
        PersonaItem.objects.bulk_create(
            PersonaItem(
                persona=copy,
                section=item.section,
                text=item.text,
                signal_id=item.signal_id,
                position=item.position,
            )
            for item in persona.items.all()
        )
        costs_services.costs_copy(source=persona, target=copy)
        _record_revision(copy, user, _("Kopie gemaakt van %(name)s") % {"name": persona.name})
    return copy


def persona_archive(*, persona: Persona, user: User) -> Persona:
    with transaction.atomic():
        persona = _lock(persona)
        persona.archived_at = timezone.now()
        persona.updated_by = user
        persona.save(update_fields=["archived_at", "updated_by", "updated_at"])
        _record_revision(persona, user, _("Gearchiveerd"))
    return persona


def persona_unarchive(*, persona: Persona, user: User) -> Persona:
    with transaction.atomic():
        persona = _lock(persona)
        persona.archived_at = None
        persona.updated_by = user
        persona.save(update_fields=["archived_at", "updated_by", "updated_at"])
        _record_revision(persona, user, _("Teruggehaald uit het archief"))
    return persona


def persona_delete(*, persona: Persona) -> None:
    """Delete the persona with its lines, cost lines, comments and history."""
    persona.delete()


def persona_restore(*, persona: Persona, revision: PersonaRevision, user: User) -> Persona:
    """Put back the content of an earlier version, as a new version (nothing is lost)."""
    with transaction.atomic():
        persona = _lock(persona)
        _check_editable(persona)
        snapshot = revision.snapshot
        meta = snapshot["meta"]
        for key in ("name", "group_size", "age_min", "age_max", "school_types", "avatar", "status"):
            setattr(persona, key, meta[key])
        _check_avatar(persona.avatar)
        persona.full_clean()
        persona.items.all().delete()
        valid_signals = set(Signal.objects.values_list("pk", flat=True))
        PersonaItem.objects.bulk_create(
            PersonaItem(
                persona=persona,
                section=section,
                text=item["text"],
                signal_id=item["signal_id"] if item["signal_id"] in valid_signals else None,
                position=position,
            )
            for section, items in snapshot["items"].items()
            for position, item in enumerate(items)
        )
        if "costs" in snapshot:
            costs_services.costs_restore(persona=persona, snapshot=snapshot["costs"])
        # Every open editor now works on an old version and will see a conflict.
        _bump(persona, user, META, *[s.value for s in Section])
        persona.updated_by = user
        persona.save()
        _record_revision(persona, user, _("Versie %(n)s teruggezet") % {"n": revision.number})
    return persona


# --- comments ---------------------------------------------------------------------------------


def persona_comment_add(
    *, persona: Persona, section: Section, author: User, text: str
) -> PersonaComment:
    text = text.strip()
    if not text:
        raise ValidationError({"text": EMPTY_COMMENT})
    comment = PersonaComment(persona=persona, section=section, author=author, text=text)
    comment.full_clean()
    comment.save()
    return comment


def persona_comment_delete(*, comment: PersonaComment, user: User, is_beheerder: bool) -> None:
    if comment.author_id != user.pk and not is_beheerder:
        raise ValidationError(NOT_YOUR_COMMENT)
    comment.delete()


# --- signal catalogue -------------------------------------------------------------------------


def signal_add(*, organisation: Organisation, domain: SignalDomain, name: str) -> Signal:
    from zio.screening.importers import identifier_reason, normalise_header
    from zio.screening.spec import ScreeningSpec

    name = " ".join(name.split())
    if identifier_reason(name):
        # A signal becomes a column of the screening, which refuses identifier columns.
        raise ValidationError({"name": SIGNAL_LOOKS_LIKE_IDENTIFIER})
    # The screening compares column titles without case, accents or extra spaces: a signal
    # must differ from the fixed columns and from every other signal in that way too.
    key = normalise_header(name)
    taken = {normalise_header(h) for h in ScreeningSpec(signals=()).headers}
    if key in taken:
        raise ValidationError({"name": SIGNAL_IS_A_COLUMN})
    visible = Signal.objects.for_organisation(organisation)
    if any(normalise_header(s.name) == key for s in visible):
        raise ValidationError({"name": SIGNAL_EXISTS})
    existing = Signal.objects.filter(organisation=organisation, name__iexact=name).first()
    if existing is not None:  # retired earlier: bring it back
        existing.retired_at = None
        existing.domain = domain
        existing.save(update_fields=["retired_at", "domain"])
        return existing
    signal = Signal(organisation=organisation, domain=domain, name=name, position=999)
    signal.full_clean()
    signal.save()
    return signal


def signal_retire(*, organisation: Organisation, signal: Signal) -> None:
    """Stop offering a signal: the organisation's own one is retired, a shared one hidden.
    Persona's that already use it keep their lines."""
    if signal.organisation_id is None:
        HiddenSignal.objects.get_or_create(organisation=organisation, signal=signal)
        return
    if signal.organisation_id != organisation.pk:
        raise ValidationError(NOT_YOUR_SIGNAL)
    signal.retired_at = timezone.now()
    signal.save(update_fields=["retired_at"])


def signal_unhide(*, organisation: Organisation, signal: Signal) -> None:
    HiddenSignal.objects.filter(organisation=organisation, signal=signal).delete()
