"""Writing the audit log.

Events are written inside a *recording*: the middleware opens one per request, and commands and
background tasks that change data on someone's behalf open one with `recording(...)`. Writes
outside any recording (the Django shell, test set-up) are not logged.

Within one recording each (action, subject) is logged once, so saving twelve cost lines of one
persona in a request is one "persona gewijzigd". Events of writes are inserted at once, inside
the transaction of the write: when the write is rolled back, so is its event.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from .models import Action, AuditEvent, Via

if TYPE_CHECKING:
    from django.http import HttpRequest

    from zio.accounts.models import User
    from zio.organisations.models import Organisation


@dataclass(frozen=True)
class Subject:
    """What an event is about: a persona, a screening, a membership …"""

    object_type: str
    object_id: str
    label: str = ""
    organisation_id: int | None = None
    organisation_name: str = ""


@dataclass
class Recording:
    via: str = Via.WEB
    request: HttpRequest | None = None
    actor: User | None = None
    organisation: Organisation | None = None
    # (action, object_type, object_id) already logged in this recording.
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    # Look-ups of parents (e.g. a scenario's persona), kept for the recording's length.
    cache: dict[Any, Any] = field(default_factory=dict)
    suppressed: bool = False


_current: ContextVar[Recording | None] = ContextVar("audit_recording", default=None)


def current() -> Recording | None:
    return _current.get()


@contextlib.contextmanager
def recording(
    *,
    via: str = Via.SYSTEM,
    request: HttpRequest | None = None,
    actor: User | None = None,
    organisation: Organisation | None = None,
) -> Iterator[Recording]:
    rec = Recording(via=via, request=request, actor=actor, organisation=organisation)
    token = _current.set(rec)
    try:
        yield rec
    finally:
        _current.reset(token)


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Write no per-row events, e.g. while a whole organisation is deleted: the caller logs one
    event that says so instead of thousands."""
    rec = _current.get()
    if rec is None:
        yield
        return
    before = rec.suppressed
    rec.suppressed = True
    try:
        yield
    finally:
        rec.suppressed = before


def _actor_of(rec: Recording) -> tuple[User | None, str]:
    """The user behind a recording, and the channel: a token of the API or a browser session."""
    if rec.actor is not None:
        return rec.actor, rec.via
    request = rec.request
    if request is None:
        return None, rec.via
    access = getattr(request, "auth", None)
    membership = getattr(access, "membership", None)
    if membership is not None:
        return membership.user, Via.API
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user, rec.via
    return None, rec.via


def _organisation_of(rec: Recording) -> Organisation | None:
    if rec.organisation is not None:
        return rec.organisation
    request = rec.request
    if request is None:
        return None
    membership = getattr(getattr(request, "auth", None), "membership", None)
    if membership is not None:
        return membership.organisation
    return getattr(request, "organisation", None)


def _address_of(rec: Recording) -> str | None:
    if rec.request is None:
        return None
    from zio.common.client import client_address

    return client_address(rec.request) or None


def build_event(rec: Recording, action: str, subject: Subject, detail: str = "") -> AuditEvent:
    actor, via = _actor_of(rec)
    organisation_id = subject.organisation_id
    organisation_name = subject.organisation_name
    if organisation_id is None:
        organisation = _organisation_of(rec)
        if organisation is not None:
            organisation_id, organisation_name = organisation.pk, organisation.name
    elif not organisation_name:
        organisation_name = _organisation_name(rec, organisation_id)
    return AuditEvent(
        organisation_id=organisation_id,
        organisation_name=organisation_name[:200],
        actor_id=actor.pk if actor is not None else None,
        actor_name=(actor.get_full_name() if actor is not None else "")[:254],
        via=via,
        action=action,
        object_type=subject.object_type,
        object_id=subject.object_id[:64],
        object_label=subject.label[:200],
        detail=detail[:300],
        client_address=_address_of(rec),
    )


def _organisation_name(rec: Recording, organisation_id: int) -> str:
    organisation = _organisation_of(rec)
    if organisation is not None and organisation.pk == organisation_id:
        return organisation.name
    key = ("organisation-name", organisation_id)
    if key not in rec.cache:
        from zio.organisations.models import Organisation

        rec.cache[key] = (
            Organisation.objects.filter(pk=organisation_id).values_list("name", flat=True).first()
            or ""
        )
    return str(rec.cache[key])


def record(action: str, subject: Subject, detail: str = "") -> AuditEvent | None:
    """Log `action` on `subject` in the current recording (once per recording); None when
    nothing is being recorded."""
    rec = _current.get()
    if rec is None or rec.suppressed:
        return None
    key = (action, subject.object_type, subject.object_id)
    if key in rec.seen:
        return None
    rec.seen.add(key)
    event = build_event(rec, action, subject, detail)
    event.save()
    return event


def record_for_user(
    user: User, action: str, memberships: list[Any], request: HttpRequest | None
) -> list[AuditEvent]:
    """Log-ins and log-outs: one event in the log of each organisation the user belongs to,
    so every beheerder sees their own members come and go."""
    rec = Recording(via=Via.WEB, request=request, actor=user)
    subject_type, subject_id = "account", str(user.pk)
    events = [
        build_event(
            rec,
            action,
            Subject(
                subject_type,
                subject_id,
                user.get_full_name(),
                m.organisation_id,
                m.organisation.name,
            ),
        )
        for m in memberships
    ] or [build_event(rec, action, Subject(subject_type, subject_id, user.get_full_name()))]
    return AuditEvent.objects.bulk_create(events)


def retention_cutoff(now: datetime | None = None, days: int | None = None) -> datetime:
    keep = settings.AUDIT_RETENTION_DAYS if days is None else days
    return (now or timezone.now()) - timedelta(days=keep)


def purge_expired(*, now: datetime | None = None, days: int | None = None) -> int:
    """Delete events older than the retention period; returns how many."""
    return AuditEvent.objects.purge_before(retention_cutoff(now, days))


__all__ = [
    "Action",
    "Recording",
    "Subject",
    "current",
    "purge_expired",
    "record",
    "record_for_user",
    "recording",
    "suppressed",
]
