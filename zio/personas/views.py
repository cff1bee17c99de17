from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .constants import META, Section
from .forms import CommentForm, PersonaMetaForm, SectionEdit, SignalForm
from .models import Persona, PersonaComment, PersonaRevision, Signal
from .services import EditConflict


def _persona(request: OrganisationRequest, persona_id: int) -> Persona:
    try:
        return selectors.persona_for_organisation(request.organisation, persona_id)
    except Persona.DoesNotExist:
        raise Http404 from None


def _section(code: str) -> Section:
    try:
        return Section(code)
    except ValueError:
        raise Http404 from None


def _refuse_if_archived(request: OrganisationRequest, persona: Persona) -> HttpResponse | None:
    if persona.is_archived:
        messages.error(request, str(services.ARCHIVED))
        return redirect("personas:detail", persona.pk)
    return None


# --- overview and create ----------------------------------------------------------------------


@membership_required()
@require_GET
def persona_list(request: OrganisationRequest) -> HttpResponse:
    archived = request.GET.get("archief") == "1"
    return render(
        request,
        "personas/persona_list.html",
        {
            "personas": selectors.personas_for_organisation(
                request.organisation, archived=archived
            ),
            "archived_count": selectors.personas_for_organisation(
                request.organisation, archived=True
            ).count(),
            "showing_archive": archived,
            "can_edit": request.membership.can_edit,
        },
    )


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_create(request: OrganisationRequest) -> HttpResponse:
    form = PersonaMetaForm(
        request.POST or None,
        initial={"avatar": "avatar-01", "status": "concept", "age_min": 4, "age_max": 12},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            persona = services.persona_create(
                organisation=request.organisation,
                name=data["name"],
                group_size=data["group_size"],
                age_min=data["age_min"],
                age_max=data["age_max"],
                school_types=data["school_types"],
                avatar=data["avatar"],
                status=data["status"],
                created_by=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Persona %(name)s is gemaakt. Vul nu de onderdelen in.") % {"name": persona.name},
            )
            return redirect("personas:detail", persona.pk)
    return render(
        request,
        "personas/persona_form.html",
        {"form": form, "persona": None},
        status=400 if form.is_bound else 200,
    )


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- the persona page and its sections ---------------------------------------------------------


def _detail_context(request: OrganisationRequest, persona: Persona) -> dict[str, Any]:
    from zio.costs.selectors import persona_cost_overview

    group = persona.source_group
    # Only link a group the active organisation can open (pooled runs belong to who ran them).
    if group is not None and group.run.organisation_id != request.organisation.pk:
        group = None
    return {
        "source_group": group,
        "source_years": (
            ", ".join(sorted({s.school_year for s in group.run.screenings.all()})) if group else ""
        ),
        "persona": persona,
        "sections": selectors.persona_sections(persona, with_comments=True),
        "can_edit": request.membership.can_edit and not persona.is_archived,
        "can_manage": request.membership.can_edit,
        "is_beheerder": request.membership.is_beheerder,
        "comment_form": CommentForm(),
        "costs": persona_cost_overview(persona),
    }


@membership_required()
@require_GET
def persona_detail(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    return render(request, "personas/persona_detail.html", _detail_context(request, persona))


def _section_context(
    request: OrganisationRequest,
    persona: Persona,
    section: Section,
    *,
    edit: SectionEdit | None = None,
    conflict: EditConflict | None = None,
    saved: bool = False,
) -> dict[str, Any]:
    context = {
        "persona": persona,
        "sv": selectors.section_view(persona, section),
        "edit": edit,
        "conflict": conflict,
        "saved": saved,
        "can_edit": request.membership.can_edit and not persona.is_archived,
        "is_beheerder": request.membership.is_beheerder,
        "comment_form": CommentForm(),
    }
    if edit is not None:
        context["prefix"] = f"s-{section.value}"
        if section == Section.PROBLEMS:
            context["catalogue"] = selectors.signal_catalogue(request.organisation)
        if section == Section.NEEDS:
            context["need_suggestions"] = selectors.need_suggestions()
    return context


def _render_section(
    request: OrganisationRequest, persona: Persona, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if request.htmx:
        # htmx swaps only 2xx answers into the page; the card itself says what went wrong.
        return render(request, "personas/persona_detail.html#section-card", context)
    page = _detail_context(request, persona)
    page.update(context)
    page["editing"] = context["sv"].section.value if context.get("edit") else ""
    return render(request, "personas/persona_detail.html", page, status=status)


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_section(request: OrganisationRequest, persona_id: int, section: str) -> HttpResponse:
    persona = _persona(request, persona_id)
    part = _section(section)
    if refused := _refuse_if_archived(request, persona):
        return refused
    if request.method == "GET":
        edit = SectionEdit(
            items=services.section_items(persona, part),
            version=persona.version_of(part.value),
            action="",
            focus_kind="item",
        )
        return _render_section(
            request, persona, _section_context(request, persona, part, edit=edit)
        )

    edit = SectionEdit.from_post(request.POST)
    signal_id, signal_name = None, ""
    if edit.action == "add-signal":
        raw = request.POST.get("new_signal", "")
        signal = (
            Signal.objects.for_organisation(request.organisation).filter(pk=raw).first()
            if raw.isdigit()
            else None
        )
        if signal is not None:
            signal_id, signal_name = signal.pk, signal.name
        else:
            edit.error = str(services.UNKNOWN_SIGNAL)
    if edit.apply(signal_name=signal_name, signal_id=signal_id):
        return _render_section(
            request, persona, _section_context(request, persona, part, edit=edit)
        )
    try:
        persona = services.persona_section_save(
            persona=persona,
            section=part,
            items=edit.items,
            expected_version=edit.version,
            user=request.user,
        )
    except EditConflict as conflict:
        # Keep the user's text in the editor and show what was saved meanwhile.
        edit.version = conflict.current_version
        context = _section_context(request, persona, part, edit=edit, conflict=conflict)
        return _render_section(request, persona, context, status=409)
    except ValidationError as exc:
        edit.error = " ".join(exc.messages)
        context = _section_context(request, persona, part, edit=edit)
        return _render_section(request, persona, context, status=400)
    if not request.htmx:
        messages.success(request, _("Opgeslagen."))
        return redirect(reverse("personas:detail", args=[persona.pk]) + f"#onderdeel-{part.value}")
    return _render_section(request, persona, _section_context(request, persona, part, saved=True))


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_edit_meta(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    if refused := _refuse_if_archived(request, persona):
        return refused
    form = PersonaMetaForm(request.POST or None, initial=PersonaMetaForm.initial_for(persona))
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.persona_update_meta(
                persona=persona,
                expected_version=data["version"] if data["version"] is not None else -1,
                user=request.user,
                name=data["name"],
                group_size=data["group_size"],
                age_min=data["age_min"],
                age_max=data["age_max"],
                school_types=data["school_types"],
                avatar=data["avatar"],
                status=data["status"],
            )
        except EditConflict as exc:
            conflict = exc
            # Keep the user's values; the next save goes against the current version.
            form = PersonaMetaForm(
                {
                    **request.POST.dict(),
                    "version": exc.current_version,
                    "school_types": request.POST.getlist("school_types"),
                },
                initial=PersonaMetaForm.initial_for(persona),
            )
            form.is_valid()
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("personas:detail", persona.pk)
    status = 409 if conflict else (400 if form.is_bound else 200)
    return render(
        request,
        "personas/persona_form.html",
        {"form": form, "persona": persona, "conflict": conflict, "meta_part": META},
        status=status,
    )


# --- comments --------------------------------------------------------------------------------


@membership_required()
@require_POST
def comment_add(request: OrganisationRequest, persona_id: int, section: str) -> HttpResponse:
    persona = _persona(request, persona_id)
    part = _section(section)
    form = CommentForm(request.POST)
    status = 200
    if form.is_valid():
        services.persona_comment_add(
            persona=persona, section=part, author=request.user, text=form.cleaned_data["text"]
        )
        if not request.htmx:
            messages.success(request, _("Je reactie is geplaatst."))
    else:
        status = 400
        if not request.htmx:
            messages.error(request, " ".join(str(e) for e in form.errors.get("text", [])))
    if not request.htmx:
        return redirect(reverse("personas:detail", args=[persona.pk]) + f"#onderdeel-{part.value}")
    context = _section_context(request, persona, part)
    context["comment_form"] = form if status == 400 else CommentForm()
    context["comments_open"] = True
    return render(request, "personas/persona_detail.html#section-card", context)


@membership_required()
@require_POST
def comment_delete(request: OrganisationRequest, persona_id: int, comment_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    try:
        comment = selectors.persona_comment(persona, comment_id)
    except PersonaComment.DoesNotExist:
        raise Http404 from None
    try:
        services.persona_comment_delete(
            comment=comment, user=request.user, is_beheerder=request.membership.is_beheerder
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("De reactie is verwijderd."))
    return redirect(reverse("personas:detail", args=[persona.pk]) + f"#onderdeel-{comment.section}")


# --- copy, archive, delete -------------------------------------------------------------------


@membership_required(Role.OPSTELLER)
@require_POST
def persona_duplicate(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    copy = services.persona_duplicate(persona=persona, user=request.user)
    messages.success(request, _("Kopie gemaakt. Je kijkt nu naar %(name)s.") % {"name": copy.name})
    return redirect("personas:detail", copy.pk)


@membership_required(Role.OPSTELLER)
@require_POST
def persona_archive(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    if persona.is_archived:
        services.persona_unarchive(persona=persona, user=request.user)
        messages.success(
            request, _("%(name)s is teruggehaald uit het archief.") % {"name": persona.name}
        )
    else:
        services.persona_archive(persona=persona, user=request.user)
        messages.success(
            request,
            _("%(name)s is gearchiveerd. Je vindt hem terug onder 'Gearchiveerd'.")
            % {"name": persona.name},
        )
    return redirect("personas:detail", persona.pk)


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_delete(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    if request.method == "POST":
        name = persona.name
        services.persona_delete(persona=persona)
        messages.success(request, _("%(name)s is verwijderd.") % {"name": name})
        return redirect("personas:list")
    return render(request, "personas/persona_delete.html", {"persona": persona})


# --- history ---------------------------------------------------------------------------------


@membership_required()
@require_GET
def persona_history(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    persona = _persona(request, persona_id)
    return render(
        request,
        "personas/persona_history.html",
        {"persona": persona, "revisions": selectors.persona_revisions(persona)},
    )


def _revision(persona: Persona, revision_id: int) -> PersonaRevision:
    try:
        return selectors.persona_revision(persona, revision_id)
    except PersonaRevision.DoesNotExist:
        raise Http404 from None


@membership_required()
@require_GET
def persona_revision(
    request: OrganisationRequest, persona_id: int, revision_id: int
) -> HttpResponse:
    persona = _persona(request, persona_id)
    revision = _revision(persona, revision_id)
    meta = revision.snapshot["meta"]
    sections = [
        {"heading": s.heading(meta["name"]), "items": revision.snapshot["items"].get(s.value, [])}
        for s in Section
    ]
    return render(
        request,
        "personas/persona_revision.html",
        {
            "persona": persona,
            "revision": revision,
            "meta": meta,
            "sections": sections,
            "can_edit": request.membership.can_edit and not persona.is_archived,
        },
    )


@membership_required(Role.OPSTELLER)
@require_POST
def persona_restore(
    request: OrganisationRequest, persona_id: int, revision_id: int
) -> HttpResponse:
    persona = _persona(request, persona_id)
    revision = _revision(persona, revision_id)
    try:
        services.persona_restore(persona=persona, revision=revision, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("personas:revision", persona.pk, revision.pk)
    messages.success(
        request,
        _("Versie %(n)s is teruggezet. De versie daarvoor staat nog in de geschiedenis.")
        % {"n": revision.number},
    )
    return redirect("personas:detail", persona.pk)


# --- signal catalogue ------------------------------------------------------------------------


@membership_required()
@require_http_methods(["GET", "POST"])
def catalogue(request: OrganisationRequest) -> HttpResponse:
    can_edit = request.membership.can_edit
    form = SignalForm(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(
                _("Alleen opstellers en beheerders kunnen de catalogus aanvullen.")
            )
        if form.is_valid():
            try:
                signal = services.signal_add(
                    organisation=request.organisation,
                    domain=form.cleaned_data["domain"],
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("'%(name)s' staat nu in jullie catalogus.") % {"name": signal.name}
                )
                return redirect("personas:catalogue")
    return render(
        request,
        "personas/catalogue.html",
        {
            "domains": selectors.signal_catalogue_management(request.organisation),
            "form": form if can_edit else None,
            "can_edit": can_edit,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@membership_required(Role.OPSTELLER)
@require_POST
def signal_toggle(request: OrganisationRequest, signal_id: int) -> HttpResponse:
    try:
        signal = selectors.signal_for_organisation(request.organisation, signal_id)
    except Signal.DoesNotExist:
        raise Http404 from None
    if request.POST.get("action") == "show":
        services.signal_unhide(organisation=request.organisation, signal=signal)
        messages.success(request, _("'%(name)s' is weer in gebruik.") % {"name": signal.name})
    else:
        services.signal_retire(organisation=request.organisation, signal=signal)
        messages.success(
            request,
            _("'%(name)s' is niet meer in gebruik. Persona's die het al hebben, houden het.")
            % {"name": signal.name},
        )
    return redirect("personas:catalogue")
