"""Pages of the doen-sessie: the sessions of an organisation, making one, its page for the
organiser (code, tables, gespreksleiders), joining with a code, the canvas of a table with its
rounds, the plenary view, and the action list where next steps are followed up.

Workshop pages go through `access.workshop_view`: members of the organising organisation,
participants with an account and guests with a token may open them; the services check what
each may do. The report and the route page are in `report_views.py`."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.accounts.models import User
from zio.common.client import client_address
from zio.common.htmx import reload_page
from zio.common.types import HtmxHttpRequest, OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required
from zio.personas.selectors import personas_for_organisation

from . import selectors, services
from .access import WorkshopAccess, remember_guest, workshop_view
from .constants import (
    DEFAULT_QUESTION,
    POLL_SECONDS,
    ROUND_MINUTES,
    TOP,
    VOTES_PER_KIND,
    NoteKind,
    Round,
    Starter,
    WorkshopKind,
)
from .forms import (
    ActionForm,
    ClosingForm,
    IntroductionForm,
    JoinForm,
    NextStepForm,
    NoteForm,
    PlacementForm,
    ReactionForm,
    RoundForm,
    TableSettingsForm,
    TopForm,
    WorkshopForm,
)
from .models import Action, Choice, NextStep, Note, Participant, Workshop, WorkshopTable


def _actions_page(
    request: OrganisationRequest,
    *,
    failed: Action | None = None,
    form: ActionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = list(selectors.actions_for_organisation(request.organisation))
    can_edit = request.membership.can_edit
    rows = []
    for action in actions:
        if failed is not None and action.pk == failed.pk:
            rows.append((action, form))
        elif can_edit:
            rows.append(
                (
                    action,
                    ActionForm(
                        prefix=f"actie-{action.pk}",
                        initial={
                            "status": action.status,
                            "owner": action.owner,
                            "due_date": action.due_date,
                        },
                    ),
                )
            )
        else:
            rows.append((action, None))
    return render(
        request,
        "workshops/actions.html",
        {
            "rows": rows,
            "overdue": sum(1 for a in actions if a.is_overdue),
            "can_edit": can_edit,
        },
        status=status,
    )


@membership_required()
@require_GET
def action_list(request: OrganisationRequest) -> HttpResponse:
    return _actions_page(request)


@membership_required(Role.OPSTELLER)
@require_POST
def action_update(request: OrganisationRequest, action_id: int) -> HttpResponse:
    try:
        action = selectors.action_for_organisation(request.organisation, action_id)
    except Action.DoesNotExist:
        raise Http404 from None
    form = ActionForm(request.POST, prefix=f"actie-{action.pk}")
    if not form.is_valid():
        return _actions_page(request, failed=action, form=form, status=400)
    data = form.cleaned_data
    try:
        services.action_update(
            action=action,
            status=data["status"],
            owner=data["owner"],
            due_date=data["due_date"],
            clear_due_date=data["due_date"] is None,
        )
    except ValidationError as exc:
        form.add_error(None, exc.messages[0])
        return _actions_page(request, failed=action, form=form, status=400)
    messages.success(request, _("Actie bijgewerkt: %(title)s") % {"title": action.title})
    return redirect(reverse("workshops:actions") + f"#actie-{action.pk}")


# --- sessions of the organisation --------------------------------------------------------------


@membership_required()
@require_GET
def workshop_list(request: OrganisationRequest) -> HttpResponse:
    return render(
        request,
        "workshops/workshop_list.html",
        {
            "workshops": selectors.workshops_for_organisation(request.organisation),
            "can_edit": request.membership.can_edit,
        },
    )


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@membership_required(Role.OPSTELLER)
def workshop_create(request: OrganisationRequest) -> HttpResponse:
    personas = personas_for_organisation(request.organisation)
    if request.method == "POST":
        form = WorkshopForm(request.POST, personas=personas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workshop = services.workshop_create(
                    organisation=request.organisation,
                    user=request.user,
                    title=data["title"],
                    question=data["question"],
                    kind=data["kind"],
                    personas=list(data["personas"]),
                    tables=data["tables"],
                    expires_at=_end_of_day(data["expires_on"]),
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(
                    request,
                    _("Sessie gemaakt. Deel de code of de link met de deelnemers."),
                )
                return redirect("workshops:detail", workshop.pk)
        status = 400
    else:
        form = WorkshopForm(
            personas=personas,
            initial={
                "question": DEFAULT_QUESTION,
                "expires_on": timezone.localdate() + timedelta(days=1),
                "tables": 1,
                "kind": WorkshopKind.DOEN_SESSIE,
            },
        )
        status = 200
    return render(request, "workshops/workshop_form.html", {"form": form}, status=status)


def _own_table_or_detail(access: WorkshopAccess) -> HttpResponse:
    """Where a participant from outside the organisation goes instead of the organiser's page."""
    if access.participant is not None and access.participant.table_id is not None:
        return redirect("workshops:table", access.workshop.pk, access.participant.table_id)
    raise Http404


def _facilitator_candidates(workshop: Workshop) -> list[tuple[int, str]]:
    """Who may lead a table: the participants with an account, as the organiser sees them."""
    return [
        (
            p.user_id,
            f"{p.display_name} ({p.organisation_name})" if p.organisation_name else p.display_name,
        )
        for p in workshop.participants.filter(user__isnull=False)
        if p.user_id is not None
    ]


def _table_forms(
    access: WorkshopAccess, tables: list[WorkshopTable], bound: tuple[int, TableSettingsForm] | None
) -> list[tuple[WorkshopTable, TableSettingsForm | None]]:
    if not access.can_organise:
        return [(table, None) for table in tables]
    candidates = _facilitator_candidates(access.workshop)
    rows: list[tuple[WorkshopTable, TableSettingsForm | None]] = []
    for table in tables:
        if bound is not None and bound[0] == table.pk:
            rows.append((table, bound[1]))
        else:
            rows.append(
                (
                    table,
                    TableSettingsForm(
                        prefix=f"tafel-{table.pk}",
                        candidates=candidates,
                        initial={"name": table.name, "facilitator": table.facilitator_id},
                    ),
                )
            )
    return rows


def _detail_page(
    request: HtmxHttpRequest,
    access: WorkshopAccess,
    bound: tuple[int, TableSettingsForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    workshop = access.workshop
    tables = selectors.workshop_tables(workshop)
    join_url = request.build_absolute_uri(reverse("workshops:join")) + f"?code={workshop.join_code}"
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            "access": access,
            "tables": _table_forms(access, tables, bound),
            "participants": workshop.participants.select_related("table"),
            "personas": workshop.personas.all(),
            "code": format_code(workshop.join_code),
            "join_url": join_url,
        },
        status=status,
    )


@workshop_view
@require_GET
def workshop_detail(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    if not access.is_member:
        return _own_table_or_detail(access)
    return _detail_page(request, access)


def _account(request: HtmxHttpRequest) -> User:
    """The logged-in user; guests get the reason why they cannot do this."""
    if not isinstance(request.user, User):
        raise ValidationError(services.NOT_FACILITATOR)
    return request.user


def _require_organiser(access: WorkshopAccess) -> None:
    if not access.can_organise:
        raise PermissionDenied(
            _("Alleen een opsteller of beheerder van de organiserende organisatie kan dit doen.")
        )


@workshop_view
@require_POST
def workshop_code(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    _require_organiser(access)
    workshop = services.workshop_extend(workshop=access.workshop)
    messages.success(
        request,
        _("De code is nu geldig tot en met %(date)s.")
        % {"date": date_format(timezone.localtime(workshop.expires_at), "j F Y, H:i")},
    )
    return redirect("workshops:detail", workshop.pk)


@workshop_view
@require_http_methods(["GET", "POST"])
def workshop_delete(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    if not access.is_member:
        raise Http404
    _require_organiser(access)
    workshop = access.workshop
    if request.method == "POST":
        services.workshop_delete(workshop=workshop)
        messages.success(request, _("%(title)s is verwijderd.") % {"title": workshop.title})
        return redirect("workshops:list")
    return render(
        request,
        "workshops/workshop_delete.html",
        {
            "workshop": workshop,
            "action_count": Action.objects.filter(next_step__table__workshop=workshop).count(),
        },
    )


@workshop_view
@require_POST
def table_settings(request: HtmxHttpRequest, access: WorkshopAccess, table_id: int) -> HttpResponse:
    _require_organiser(access)
    table = get_object_or_404(WorkshopTable, workshop=access.workshop, pk=table_id)
    candidates = _facilitator_candidates(access.workshop)
    form = TableSettingsForm(request.POST, prefix=f"tafel-{table.pk}", candidates=candidates)
    if form.is_valid():
        facilitator_id = form.cleaned_data["facilitator"]
        facilitator = User.objects.filter(pk=facilitator_id).first() if facilitator_id else None
        try:
            services.table_update(
                table=table, name=form.cleaned_data["name"], facilitator=facilitator
            )
        except ValidationError as exc:
            form.add_error("facilitator", exc.messages[0])
        else:
            messages.success(request, _("%(table)s is bijgewerkt.") % {"table": table.name})
            return redirect(
                reverse("workshops:detail", args=[access.workshop.pk]) + f"#tafel-{table.pk}"
            )
    return _detail_page(request, access, bound=(table.pk, form), status=400)


@workshop_view
@require_POST
def member_join(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    """Sit down at a table: a member of the organisation joins first; a participant moves."""
    table = get_object_or_404(
        WorkshopTable, workshop=access.workshop, pk=request.POST.get("table") or 0
    )
    participant = access.participant
    if participant is None:
        participant = services.participant_join_as_member(
            workshop=access.workshop,
            user=_account(request),
            organisation=getattr(request, "organisation", None),
        )
    services.participant_move(participant=participant, table=table)
    return redirect("workshops:table", access.workshop.pk, table.pk)


# --- joining with a code ---------------------------------------------------------------------


def format_code(code: str) -> str:
    """KX7P2MQR as "KX7P 2MQR": easier to read aloud and to type over."""
    return f"{code[:4]} {code[4:]}"


@require_http_methods(["GET", "POST"])
def guest_join(request: HtmxHttpRequest) -> HttpResponse:
    """Join a session with its code: as a guest with a name, or, when logged in, with the
    account. Public, like the login page: the code is the credential."""
    member = request.user.is_authenticated
    address = client_address(request)
    if request.method == "POST":
        form = JoinForm(request.POST, member=member)
        try:
            services.join_guard(address)
        except ValidationError as exc:
            form.is_valid()  # a bound form takes an extra error only after its own checks
            form.add_error(None, exc.messages[0])
            return render(
                request, "workshops/join.html", {"form": form, "member": member}, status=429
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                if member:
                    workshop = services.workshop_for_code(data["code"])
                    participant = services.participant_join_as_member(
                        workshop=workshop,
                        user=_account(request),
                        organisation=getattr(request, "organisation", None),
                    )
                else:
                    participant, token = services.participant_join_as_guest(
                        code=data["code"],
                        display_name=data["display_name"],
                        organisation_name=data["organisation_name"],
                    )
                    remember_guest(request, participant.workshop, token)
            except ValidationError as exc:
                if exc.messages[0] in (str(services.CODE_UNKNOWN), str(services.CODE_EXPIRED)):
                    services.join_failed(address)
                form.add_error("code", exc.messages[0])
            else:
                if participant.table_id is None:
                    raise Http404
                return redirect("workshops:table", participant.workshop_id, participant.table_id)
        status = 400
    else:
        form = JoinForm(initial={"code": request.GET.get("code", "")[:20]}, member=member)
        status = 200
    return render(request, "workshops/join.html", {"form": form, "member": member}, status=status)


# --- the canvas of a table -------------------------------------------------------------------


def _stand(table: WorkshopTable) -> str:
    """What the forms on the page depend on: when it changes, the page reloads as a whole
    (a new round brings other forms); post-its and votes only refresh the board."""
    chosen = sorted(table.choices.values_list("pk", flat=True))
    started = table.round_started_at.timestamp() if table.round_started_at else 0
    raw = f"{table.round}|{table.facilitator_id}|{started}|{table.round_minutes}|{chosen}"
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def _marks(table: WorkshopTable, viewer: Participant | None) -> tuple[str, str]:
    return _version(table, viewer), _stand(table)


def _version(table: WorkshopTable, viewer: Participant | None) -> str:
    """The board as this viewer sees it, in one string: the table's revision (raised by every
    write), the minutes left on the timer, and where the viewer sits."""
    timer = selectors.table_timer(table)
    minutes = timer.minutes_left if timer else ""
    seat = viewer.table_id if viewer else ""
    return f"{table.revision}-{minutes}-{seat}"


def _board_html(
    request: HtmxHttpRequest,
    access: WorkshopAccess,
    table: WorkshopTable,
    board: selectors.Board | None = None,
    marks: tuple[str, str] | None = None,
) -> str:
    """The polled board. `marks` (version, stand) must be read before the board's data: a
    write that lands in between then makes them stale, and the next poll fetches it, where
    marks read last could claim a state that the rendered board does not show yet."""
    version, stand = marks or _marks(table, access.participant)
    board = board or selectors.table_board(table, access.participant)
    context = {
        "workshop": access.workshop,
        "table": table,
        "board": board,
        "participant": access.participant,
        "seated": access.participant is not None and access.participant.table_id == table.pk,
        "timer": selectors.table_timer(table),
        "rounds": Round,
        "version": version,
        "stand": stand,
        "poll_seconds": POLL_SECONDS,
    }
    return render_to_string("workshops/_board.html", context, request=request)


ROUND_STATES = ("done", "current", "next")


def _canvas_page(
    request: HtmxHttpRequest,
    access: WorkshopAccess,
    table: WorkshopTable,
    *,
    bound: dict[str, forms.Form] | None = None,
    problem: str = "",
    done: str = "",
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    participant = access.participant
    marks = _marks(table, participant)  # first: see _board_html
    board = selectors.table_board(table, participant)
    is_facilitator = request.user.is_authenticated and table.facilitator_id == request.user.pk
    intro = getattr(participant, "introduction", None) if participant else None
    closing = getattr(participant, "closing", None) if participant else None
    order = list(Round)
    current = order.index(Round(table.round))
    top_forms = {}
    if is_facilitator and table.round == Round.CHOOSE:
        for kind in NoteKind:
            notes = board.actors if kind == NoteKind.ACTOR else board.factors
            chosen = [c.note_id for c in board.choices[kind]]
            proposal = board.proposals[kind]
            top_forms[kind.value] = bound.get(f"top-{kind.value}") or TopForm(
                prefix=f"top-{kind.value}",
                choices=[(n.note.pk, f"{n.note.text} ({n.votes})") for n in notes],
                initial={"notes": chosen or [n.pk for n in proposal.chosen]},
            )
    placement_forms = [
        (
            choice,
            bound.get(f"plaats-{choice.pk}")
            or PlacementForm(
                prefix=f"plaats-{choice.pk}",
                initial={"support": choice.support, "feasibility": choice.feasibility},
            ),
        )
        for kind in NoteKind.values
        for choice in board.choices[kind]
    ]
    context = {
        "workshop": access.workshop,
        "table": table,
        "access": access,
        "participant": participant,
        "seated": participant is not None and participant.table_id == table.pk,
        "is_facilitator": is_facilitator,
        "tables": list(access.workshop.tables.all()),
        "personas": list(access.workshop.personas.all()),
        "rounds": [
            (
                r,
                ROUND_STATES[0]
                if i < current
                else ROUND_STATES[1]
                if i == current
                else ROUND_STATES[2],
            )
            for i, r in enumerate(order)
        ],
        "round": Round(table.round),
        "Round": Round,
        "timer": selectors.table_timer(table),
        "board": board,
        "board_html": mark_safe(_board_html(request, access, table, board, marks)),  # noqa: S308
        "note_form": bound.get("post-it")
        or NoteForm(prefix="postit", initial={"kind": NoteKind.ACTOR}),
        "round_form": bound.get("ronde")
        or RoundForm(prefix="ronde", initial={"round": order[min(current + 1, len(order) - 1)]}),
        "top_forms": top_forms,
        "placement_forms": placement_forms,
        "step_form": bound.get("stap") or NextStepForm(prefix="stap"),
        "intro_form": bound.get("voorstellen")
        or IntroductionForm(
            prefix="voorstellen",
            initial={"who": participant.display_name if participant else ""}
            if intro is None
            else {
                "who": intro.who,
                "where_from": intro.where_from,
                "why_here": intro.why_here,
                "question": intro.question,
            },
        ),
        "closing_form": bound.get("afronding")
        or ClosingForm(
            prefix="afronding",
            initial={}
            if closing is None
            else {
                "my_next_step": closing.my_next_step,
                "follow_up_question": closing.follow_up_question,
                "who_needed": closing.who_needed,
                "apply_tomorrow": closing.apply_tomorrow,
            },
        ),
        "has_intro": intro is not None,
        "has_closing": closing is not None,
        "problem": problem,
        "done": done,
        "round_minutes": ROUND_MINUTES,
        "votes_per_kind": VOTES_PER_KIND,
        "top": TOP,
    }
    return render(request, "workshops/table.html", context, status=status)


def _table_of(access: WorkshopAccess, table_id: int) -> WorkshopTable:
    return get_object_or_404(
        WorkshopTable.objects.select_related("facilitator"), workshop=access.workshop, pk=table_id
    )


@workshop_view
@require_GET
def table(request: HtmxHttpRequest, access: WorkshopAccess, table_id: int) -> HttpResponse:
    return _canvas_page(request, access, _table_of(access, table_id))


@workshop_view
@require_GET
def table_board(request: HtmxHttpRequest, access: WorkshopAccess, table_id: int) -> HttpResponse:
    """What the canvas polls: 204 while nothing changed, the new board when something did,
    and a full reload when the round or the top 3 changed (the forms depend on those)."""
    table_ = _table_of(access, table_id)
    version, stand = _marks(table_, access.participant)
    if request.GET.get("stand") != stand:
        return reload_page()
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return HttpResponse(_board_html(request, access, table_, marks=(version, stand)))


def _participant(access: WorkshopAccess) -> Participant:
    if access.participant is None:
        raise ValidationError(services.NOT_AT_TABLE)
    return access.participant


def _cleaned(
    request: HtmxHttpRequest, form_class: type[forms.Form], key: str, prefix: str
) -> dict[str, Any]:
    """The form's data, or _FormInvalid so that the canvas shows the form with its errors."""
    form = form_class(request.POST, prefix=prefix)
    if not form.is_valid():
        raise _FormInvalid(key, form)
    return form.cleaned_data


def _post_note(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    data = _cleaned(request, NoteForm, "post-it", "postit")
    services.note_add(
        table=table,
        participant=_participant(access),
        kind=NoteKind(data["kind"]),
        text=data["text"],
        detail=data["detail"],
    )
    return _("Post-it geplakt: %(text)s") % {"text": data["text"]}


def _note_of(table: WorkshopTable, request: HtmxHttpRequest) -> Note:
    try:
        note_id = int(request.POST.get("note", ""))
    except ValueError:
        raise Http404 from None
    return get_object_or_404(Note, table=table, pk=note_id)


def _post_vote(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    note = _note_of(table, request)
    services.vote_cast(participant=_participant(access), note=note)
    return _("Gestemd op: %(text)s") % {"text": note.text}


def _post_unvote(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    note = _note_of(table, request)
    services.vote_withdraw(participant=_participant(access), note=note)
    return _("Stem teruggenomen van: %(text)s") % {"text": note.text}


def _post_round(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    data = _cleaned(request, RoundForm, "ronde", "ronde")
    round_ = Round(data["round"])
    services.round_start(table=table, user=_account(request), round=round_, minutes=data["minutes"])
    return _("Ronde gestart: %(round)s") % {"round": round_.label}


def _post_top(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    kind = request.POST.get("kind", "")
    if kind not in NoteKind.values:
        raise Http404
    notes = table.notes.filter(kind=kind)
    form = TopForm(request.POST, prefix=f"top-{kind}", choices=[(n.pk, n.text) for n in notes])
    if not form.is_valid():
        raise _FormInvalid(f"top-{kind}", form)
    # The rank follows the votes; the gespreksleider only decides which three.
    ranked = [
        n.pk
        for n in selectors.top_notes_ranked(table, NoteKind(kind))
        if n.pk in form.cleaned_data["notes"]
    ]
    try:
        services.choices_set(
            table=table, user=_account(request), kind=NoteKind(kind), note_ids=ranked
        )
    except ValidationError as exc:
        form.add_error("notes", exc.messages[0])
        raise _FormInvalid(f"top-{kind}", form) from None
    if kind == NoteKind.ACTOR:
        return _("De top 3 actoren is vastgelegd.")
    return _("De top 3 factoren is vastgelegd.")


def _post_place(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    try:
        choice_id = int(request.POST.get("choice", ""))
    except ValueError:
        raise Http404 from None
    choice = get_object_or_404(
        Choice.objects.select_related("note", "table"), table=table, pk=choice_id
    )
    form = PlacementForm(request.POST, prefix=f"plaats-{choice.pk}")
    if not form.is_valid():
        raise _FormInvalid(f"plaats-{choice.pk}", form)
    services.choice_place(
        choice=choice,
        participant=_participant(access),
        support=form.cleaned_data["support"],
        feasibility=form.cleaned_data["feasibility"],
    )
    return _("Geplaatst: %(text)s, draagvlak %(support)s, haalbaarheid %(feasibility)s") % {
        "text": choice.note.text,
        "support": choice.support,
        "feasibility": choice.feasibility,
    }


def _post_step(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    data = _cleaned(request, NextStepForm, "stap", "stap")
    services.next_step_add(
        table=table,
        participant=_participant(access),
        starter=Starter(data["starter"]),
        who=data["who"],
        what=data["what"],
        when=data["when"],
        where=data["where"],
        why=data["why"],
        how=data["how"],
        due_date=data["due_date"],
    )
    return _("Vervolgstap toegevoegd; hij staat ook op de actielijst.")


def _post_intro(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    data = _cleaned(request, IntroductionForm, "voorstellen", "voorstellen")
    services.introduction_save(participant=_participant(access), **data)
    return _("Je voorstelrondje is bewaard.")


def _post_closing(request: HtmxHttpRequest, access: WorkshopAccess, table: WorkshopTable) -> str:
    data = _cleaned(request, ClosingForm, "afronding", "afronding")
    services.closing_answer_save(participant=_participant(access), **data)
    return _("Je antwoorden voor de afronding zijn bewaard.")


class _FormInvalid(Exception):
    def __init__(self, key: str, form: forms.Form) -> None:
        self.key, self.form = key, form


TABLE_ACTIONS = {
    "post-it": _post_note,
    "stem": _post_vote,
    "stem-terug": _post_unvote,
    "ronde": _post_round,
    "top": _post_top,
    "plaats": _post_place,
    "stap": _post_step,
    "voorstellen": _post_intro,
    "afronding": _post_closing,
}


@workshop_view
@require_POST
def table_post(
    request: HtmxHttpRequest, access: WorkshopAccess, table_id: int, action: str
) -> HttpResponse:
    """Every change on the canvas. With htmx the answer is the canvas itself (also when
    something was wrong: htmx only swaps 2xx answers); without, a redirect back to it."""
    handler = TABLE_ACTIONS.get(action)
    if handler is None:
        raise Http404
    table_ = _table_of(access, table_id)
    error_status = 200 if request.htmx else 400
    try:
        with transaction.atomic():
            done = handler(request, access, table_)
    except _FormInvalid as invalid:
        return _canvas_page(
            request, access, table_, bound={invalid.key: invalid.form}, status=error_status
        )
    except ValidationError as exc:
        return _canvas_page(request, access, table_, problem=exc.messages[0], status=error_status)
    table_.refresh_from_db()
    if request.htmx:
        return _canvas_page(request, access, table_, done=done)
    messages.success(request, done)
    return redirect("workshops:table", access.workshop.pk, table_.pk)


# --- the plenary view ------------------------------------------------------------------------


def _plenary_html(request: HtmxHttpRequest, access: WorkshopAccess) -> str:
    context = {
        "workshop": access.workshop,
        "plenary": selectors.plenary(access.workshop),
        "access": access,
    }
    inner = render_to_string("workshops/_plenary_inner.html", context, request=request)
    version = hashlib.sha256(inner.encode()).hexdigest()[:16]
    return render_to_string(
        "workshops/_plenary.html",
        {**context, "inner": mark_safe(inner), "version": version, "poll_seconds": POLL_SECONDS},  # noqa: S308
        request=request,
    )


def _plenary_page(
    request: HtmxHttpRequest,
    access: WorkshopAccess,
    form: ReactionForm | None = None,
    step_id: int = 0,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "workshops/plenary.html",
        {
            "workshop": access.workshop,
            "access": access,
            "plenary_html": mark_safe(_plenary_html(request, access)),  # noqa: S308
            "steps": NextStep.objects.filter(table__workshop=access.workshop).select_related(
                "table"
            ),
            "form": form,
            "form_step": step_id,
        },
        status=status,
    )


@workshop_view
@require_GET
def plenary(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    return _plenary_page(request, access)


@workshop_view
@require_GET
def plenary_board(request: HtmxHttpRequest, access: WorkshopAccess) -> HttpResponse:
    html = _plenary_html(request, access)
    if f'data-version="{request.GET.get("v", "")}"' in html:
        return HttpResponse(status=204)
    return HttpResponse(html)


@workshop_view
@require_POST
def reaction_add(request: HtmxHttpRequest, access: WorkshopAccess, step_id: int) -> HttpResponse:
    step = get_object_or_404(
        NextStep.objects.select_related("table"), table__workshop=access.workshop, pk=step_id
    )
    form = ReactionForm(request.POST, prefix=f"reactie-{step.pk}")
    if form.is_valid():
        participant = access.participant
        if participant is None:
            participant = services.participant_join_as_member(
                workshop=access.workshop,
                user=_account(request),
                organisation=getattr(request, "organisation", None),
            )
        try:
            services.reaction_add(
                participant=participant, next_step=step, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form.add_error("text", exc.messages[0])
        else:
            messages.success(request, _("Je reactie staat erbij."))
            return redirect(
                reverse("workshops:plenary", args=[access.workshop.pk]) + f"#stap-{step.pk}"
            )
    return _plenary_page(request, access, form=form, step_id=step.pk, status=400)
