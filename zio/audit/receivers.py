"""What is logged when data changes: model signals mapped to events about a *subject*.

A change to a part of something (a cost line, a section, a group) is logged as a change of the
whole it belongs to (the persona, the grouping), which is what a beheerder asks about: "who
changed Esra?". Live board content of doen-sessies (post-its, votes) is not logged one by one;
the session itself and its follow-up actions are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import gettext_noop

from .models import Action
from .services import Subject, current, record, record_for_user

# Field-only updates that are bookkeeping, not a change by a person.
BOOKKEEPING_FIELDS = frozenset(
    {"last_used_at", "last_t", "throttling_failure_count", "throttling_failure_timestamp"}
)


def _cached(key: Any, compute: Callable[[], Subject | None]) -> Subject | None:
    rec = current()
    if rec is None:
        return compute()
    if key not in rec.cache:
        rec.cache[key] = compute()
    value = rec.cache[key]
    return value if isinstance(value, Subject) or value is None else None


def _persona_subject(persona_id: int | None) -> Subject | None:
    if persona_id is None:
        return None

    def compute() -> Subject | None:
        from zio.personas.models import Persona

        row = (
            Persona.objects.filter(pk=persona_id)
            .values_list("name", "organisation_id", "organisation__name")
            .first()
        )
        if row is None:
            return None
        return Subject("persona", str(persona_id), row[0], row[1], row[2])

    return _cached(("persona", persona_id), compute)


def _scenario_persona(scenario_id: int | None) -> Subject | None:
    if scenario_id is None:
        return None
    rec = current()
    key = ("scenario", scenario_id)
    if rec is not None and key in rec.cache:
        return _persona_subject(rec.cache[key])
    from zio.costs.models import Scenario

    persona_id = (
        Scenario.objects.filter(pk=scenario_id).values_list("persona_id", flat=True).first()
    )
    if rec is not None:
        rec.cache[key] = persona_id
    return _persona_subject(persona_id)


def _own(object_type: str, label: Callable[[Any], str]) -> Callable[[Any], Subject]:
    def subject(instance: Any) -> Subject:
        organisation_id = getattr(instance, "organisation_id", None)
        return Subject(object_type, str(instance.pk), label(instance), organisation_id)

    return subject


def _run_subject(run_id: int | None) -> Subject | None:
    if run_id is None:
        return None

    def compute() -> Subject | None:
        from zio.grouping.models import GroupingRun

        run = GroupingRun.objects.filter(pk=run_id).values_list("organisation_id").first()
        return Subject("grouping", str(run_id), "", run[0]) if run else None

    return _cached(("run", run_id), compute)


def _workshop_subject(workshop_id: int | None) -> Subject | None:
    if workshop_id is None:
        return None

    def compute() -> Subject | None:
        from zio.workshops.models import Workshop

        row = (
            Workshop.objects.filter(pk=workshop_id).values_list("title", "organisation_id").first()
        )
        return Subject("workshop", str(workshop_id), row[0], row[1]) if row else None

    return _cached(("workshop", workshop_id), compute)


def _membership_label(membership: Any) -> str:
    return f"{membership.user.get_full_name()} ({membership.get_role_display()})"


def _device_subject(device: Any) -> Subject:
    return Subject("two_factor", str(device.user_id), device.user.get_full_name())


# model label -> (subject of the instance, True when the instance is a part of that subject)
REGISTRY: dict[str, tuple[Callable[[Any], Subject | None], bool, str]] = {
    "personas.persona": (_own("persona", lambda p: p.name), False, ""),
    "personas.personaitem": (lambda i: _persona_subject(i.persona_id), True, "onderdeel"),
    "personas.personacomment": (lambda c: _persona_subject(c.persona_id), True, "reactie"),
    "costs.scenario": (lambda s: _persona_subject(s.persona_id), True, "kosten"),
    "costs.costline": (lambda line: _scenario_persona(line.scenario_id), True, "kosten"),
    "regions.regionshare": (lambda s: _persona_subject(s.persona_id), True, "regio"),
    "costs.tariff": (_own("tariff", lambda t: t.name), False, ""),
    "screening.screening": (_own("screening", lambda s: s.school_year), False, ""),
    "grouping.groupingrun": (
        _own("grouping", lambda r: f"{r.created_at:%Y-%m-%d %H:%M}" if r.created_at else ""),
        False,
        "",
    ),
    "grouping.group": (lambda g: _run_subject(g.run_id), True, "groep"),
    "exports.exportjob": (_own("export", lambda j: j.format), False, ""),
    "workshops.workshop": (_own("workshop", lambda w: w.title), False, ""),
    "workshops.workshoptable": (lambda t: _workshop_subject(t.workshop_id), True, "tafel"),
    "workshops.action": (_own("action", lambda a: a.title), False, ""),
    "organisations.organisation": (
        lambda o: Subject("organisation", str(o.pk), o.name, o.pk, o.name),
        False,
        "",
    ),
    "organisations.membership": (_own("membership", _membership_label), False, ""),
    "organisations.invitation": (_own("invitation", lambda i: i.email), False, ""),
    "api.apitoken": (_own("api_token", lambda t: t.name), False, ""),
    "library.publication": (_own("publication", lambda p: p.title), False, ""),
    "library.publicationreaction": (_own("publication_reaction", lambda r: ""), False, ""),
    "otp_totp.totpdevice": (_device_subject, False, ""),
    "otp_static.staticdevice": (_device_subject, False, ""),
}

# The detail texts are stored in Dutch and translated when shown (see templatetags).
DETAILS = [
    gettext_noop("onderdeel"),
    gettext_noop("reactie"),
    gettext_noop("kosten"),
    gettext_noop("regio"),
    gettext_noop("groep"),
    gettext_noop("tafel"),
]


def _log(instance: Model, action: str) -> None:
    if current() is None:  # cheap exit outside a recording (tests' set-up, the shell)
        return
    entry = REGISTRY.get(instance._meta.label_lower)
    if entry is None:
        return
    subject_of, is_part, detail = entry
    subject = subject_of(instance)
    if subject is None:
        return
    # A part that is added or removed changes its whole.
    record(Action.CHANGED if is_part else action, subject, detail)


def on_save(
    sender: type[Model],
    instance: Model,
    created: bool,
    raw: bool = False,
    update_fields: Any = None,
    **kwargs: Any,
) -> None:
    if raw:  # loading a backup or fixtures
        return
    if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    _log(instance, Action.CREATED if created else Action.CHANGED)


def on_delete(sender: type[Model], instance: Model, origin: Any = None, **kwargs: Any) -> None:
    entry = REGISTRY.get(instance._meta.label_lower)
    if entry is not None and entry[1] and not _deleted_on_its_own(instance, origin):
        return  # a part removed because its whole is deleted: the whole's event says it
    _log(instance, Action.DELETED)


def _deleted_on_its_own(instance: Model, origin: Any) -> bool:
    """True when the delete started at this kind of row (a cost line removed), not at a
    whole it belongs to (a persona deleted with its cost lines)."""
    if origin is None:
        return True
    origin_model = origin.model if hasattr(origin, "model") else type(origin)
    return bool(origin_model._meta.label_lower == instance._meta.label_lower)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    from zio.organisations.selectors import memberships_for_user

    record_for_user(user, Action.LOGGED_IN, list(memberships_for_user(user)), request)


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    from zio.organisations.selectors import memberships_for_user

    record_for_user(user, Action.LOGGED_OUT, list(memberships_for_user(user)), request)


# Connected per model, not to every model: a delete signal receiver makes Django load rows
# before deleting them, which only the logged models should pay for.
for _label in REGISTRY:
    _model = apps.get_model(_label)
    post_save.connect(on_save, sender=_model, dispatch_uid=f"audit_save_{_label}")
    post_delete.connect(on_delete, sender=_model, dispatch_uid=f"audit_delete_{_label}")
user_logged_in.connect(on_logged_in, dispatch_uid="audit_logged_in")
user_logged_out.connect(on_logged_out, dispatch_uid="audit_logged_out")
