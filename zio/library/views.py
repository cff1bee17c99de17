"""Pages of the library: the list with search and filters, one publication with its
reactions, publishing from the persona page, and the POST actions around them (adopt,
withdraw, react, moderate).

Reading is open to every member of any organisation (and to platform staff, who moderate);
every write is a POST checked against the active organisation or the moderator's rights."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zio.accounts.models import User
from zio.common.types import HtmxHttpRequest, OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required
from zio.personas.models import Persona
from zio.personas.selectors import persona_for_organisation

from . import selectors, services
from .forms import COSTS_WITH, COSTS_WITHOUT, HideForm, LibraryFilterForm, PublishForm, ReactionForm
from .models import Publication, PublicationReaction

PER_PAGE = 20


class LibraryRequest(HtmxHttpRequest):
    """A request that passed `member_or_staff`: logged in, a member or platform staff."""

    user: User


# The library's helpers serve both kinds of request.
AnyRequest = LibraryRequest | OrganisationRequest
View = Callable[..., HttpResponse]


def member_or_staff(view: View) -> View:
    """Any member of any organisation; platform staff also without a membership, so that
    they can moderate."""
    as_member = membership_required()(view)

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.user.is_staff:
            return view(request, *args, **kwargs)
        return as_member(request, *args, **kwargs)

    return wrapped


def staff_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied(services.NOT_MODERATOR)
        return view(request, *args, **kwargs)

    return wrapped


def _visible(request: AnyRequest, publication_id: int) -> Publication:
    try:
        return selectors.publication_for_viewer(request.user, request.organisation, publication_id)
    except Publication.DoesNotExist:
        raise Http404 from None


def _reaction(request: LibraryRequest, reaction_id: int) -> PublicationReaction:
    try:
        return selectors.reaction_for_viewer(request.user, request.membership, reaction_id)
    except PublicationReaction.DoesNotExist:
        raise Http404 from None


# --- list and detail ----------------------------------------------------------------------------


def _filters(request: LibraryRequest) -> tuple[LibraryFilterForm, selectors.Filters]:
    form = LibraryFilterForm(request.GET or None, signals=selectors.filter_signals())
    if not form.is_bound or not form.is_valid():
        return form, selectors.Filters()
    data = form.cleaned_data
    costs = {COSTS_WITH: True, COSTS_WITHOUT: False}.get(data["costs"])
    return form, selectors.Filters(
        query=data["q"].strip(),
        school_type=data["school_type"],
        signal_id=data["signal"].pk if data["signal"] else None,
        with_costs=costs,
        order=data["order"],
    )


@member_or_staff
@require_GET
def publication_list(request: LibraryRequest) -> HttpResponse:
    form, filters = _filters(request)
    publications = selectors.publication_search(
        selectors.publications_for_viewer(request.user, request.organisation), filters
    ).defer("content", "search_text", "search_normalised")
    page = Paginator(publications, PER_PAGE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "library/list.html",
        {
            "form": form,
            "page_obj": page,
            "cards": [
                (p, selectors.publisher_label(p, request.organisation)) for p in page.object_list
            ],
            "page_query": f"{query.urlencode()}&" if query else "",
            "is_filtered": filters != selectors.Filters(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _detail(
    request: AnyRequest,
    publication: Publication,
    *,
    reaction_form: ReactionForm | None = None,
    hide_form: HideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    membership = request.membership
    own = membership is not None and membership.organisation_id == publication.organisation_id
    return render(
        request,
        "library/detail.html",
        {
            "publication": publication,
            "view": selectors.publication_view(publication),
            "publisher": selectors.publisher_label(publication, request.organisation),
            "reactions": selectors.reactions_for_viewer(publication, request.user, membership),
            "reaction_form": reaction_form or ReactionForm(),
            "hide_form": hide_form or HideForm(),
            "is_member": membership is not None,
            "can_adopt": membership is not None
            and membership.can_edit
            and not publication.is_hidden,
            "can_withdraw": own and membership is not None and membership.can_edit,
            "is_own": own,
            "can_moderate": selectors.may_moderate_publication(request.user),
            "show_hidden_reason": own or selectors.may_moderate_publication(request.user),
        },
        status=status,
    )


@member_or_staff
@require_GET
def publication_detail(request: LibraryRequest, publication_id: int) -> HttpResponse:
    return _detail(request, _visible(request, publication_id))


# --- publish and withdraw -------------------------------------------------------------------


@membership_required(Role.OPSTELLER)
@require_http_methods(["GET", "POST"])
def persona_publish(request: OrganisationRequest, persona_id: int) -> HttpResponse:
    try:
        persona = persona_for_organisation(request.organisation, persona_id)
    except Persona.DoesNotExist:
        raise Http404 from None
    existing = selectors.publication_of_persona(persona)
    status = 200
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                publication = services.publication_publish(
                    persona=persona,
                    user=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    show_organisation=data["show_organisation"],
                    with_costs=data["with_costs"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                if existing is None:
                    messages.success(request, _("De persona staat in de bibliotheek."))
                else:
                    messages.success(request, _("De publicatie in de bibliotheek is bijgewerkt."))
                return redirect("library:detail", publication.pk)
        status = 400
    elif existing is not None:
        form = PublishForm(
            initial={
                "title": existing.title,
                "summary": existing.summary,
                "show_organisation": existing.show_organisation,
                "with_costs": existing.with_costs,
            }
        )
    else:
        form = PublishForm(initial={"title": persona.name, "with_costs": True})
    return render(
        request,
        "library/publish.html",
        {"persona": persona, "form": form, "publication": existing},
        status=status,
    )


@membership_required(Role.OPSTELLER)
@require_POST
def publication_withdraw(request: OrganisationRequest, publication_id: int) -> HttpResponse:
    try:
        publication = selectors.publication_of_organisation(request.organisation, publication_id)
    except Publication.DoesNotExist:
        raise Http404 from None
    with transaction.atomic():
        services.publication_withdraw(publication=publication, organisation=request.organisation)
    messages.success(
        request,
        _(
            "De persona is uit de bibliotheek gehaald. Persona's die anderen al overnamen, "
            "blijven van hen."
        ),
    )
    return redirect("library:list")


# --- adopt and react --------------------------------------------------------------------------


@membership_required(Role.OPSTELLER)
@require_POST
def publication_adopt(request: OrganisationRequest, publication_id: int) -> HttpResponse:
    publication = _visible(request, publication_id)
    try:
        persona = services.publication_adopt(
            publication=publication, organisation=request.organisation, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("library:detail", publication.pk)
    messages.success(
        request,
        _(
            "%(name)s is overgenomen als concept in %(organisation)s. Maak de persona nu van "
            "jullie: vul de groepsgrootte in en, bij kosten per leerling, voor hoeveel "
            "leerlingen een regel geldt."
        )
        % {"name": persona.name, "organisation": request.organisation.name},
    )
    return redirect("personas:detail", persona.pk)


@membership_required()
@require_POST
def reaction_add(request: OrganisationRequest, publication_id: int) -> HttpResponse:
    publication = _visible(request, publication_id)
    form = ReactionForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.reaction_add(
                    publication=publication,
                    user=request.user,
                    organisation=request.organisation,
                    text=form.cleaned_data["text"],
                    show_organisation=form.cleaned_data["show_organisation"],
                )
        except ValidationError as exc:
            form.add_error("text" if hasattr(exc, "error_dict") else None, exc.messages)
        else:
            messages.success(request, _("Je reactie is geplaatst."))
            return redirect(f"{publication_url(publication)}#reacties")
    return _detail(request, publication, reaction_form=form, status=400)


@membership_required()
@require_POST
def reaction_delete(request: OrganisationRequest, reaction_id: int) -> HttpResponse:
    try:
        reaction = PublicationReaction.objects.select_related("publication").get(
            pk=reaction_id, author=request.user
        )
    except PublicationReaction.DoesNotExist:
        raise Http404 from None
    publication = reaction.publication
    with transaction.atomic():
        services.reaction_delete(reaction=reaction, user=request.user)
    messages.success(request, _("Je reactie is verwijderd."))
    return redirect(f"{publication_url(publication)}#reacties")


def publication_url(publication: Publication) -> str:
    return reverse("library:detail", args=[publication.pk])


# --- moderation -------------------------------------------------------------------------------


@staff_required
@require_POST
def publication_hide(request: LibraryRequest, publication_id: int) -> HttpResponse:
    publication = _visible(request, publication_id)
    form = HideForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            services.publication_hide(
                publication=publication, user=request.user, reason=form.cleaned_data["reason"]
            )
        messages.success(request, _("De publicatie is verborgen voor iedereen behalve de makers."))
        return redirect("library:detail", publication.pk)
    return _detail(request, publication, hide_form=form, status=400)


@staff_required
@require_POST
def publication_unhide(request: LibraryRequest, publication_id: int) -> HttpResponse:
    publication = _visible(request, publication_id)
    with transaction.atomic():
        services.publication_unhide(publication=publication, user=request.user)
    messages.success(request, _("De publicatie is weer zichtbaar."))
    return redirect("library:detail", publication.pk)


def _moderated_reaction(request: LibraryRequest, reaction_id: int) -> PublicationReaction:
    reaction = _reaction(request, reaction_id)
    if not selectors.may_moderate_reaction(request.user, request.membership, reaction.publication):
        raise PermissionDenied(services.NOT_MODERATOR)
    return reaction


@member_or_staff
@require_POST
def reaction_hide(request: LibraryRequest, reaction_id: int) -> HttpResponse:
    reaction = _moderated_reaction(request, reaction_id)
    form = HideForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            services.reaction_hide(
                reaction=reaction,
                user=request.user,
                membership=request.membership,
                reason=form.cleaned_data["reason"],
            )
        messages.success(request, _("De reactie is verborgen."))
        return redirect(f"{publication_url(reaction.publication)}#reacties")
    messages.error(request, str(form.errors["reason"][0]))
    return redirect(f"{publication_url(reaction.publication)}#reactie-{reaction.pk}")


@member_or_staff
@require_POST
def reaction_unhide(request: LibraryRequest, reaction_id: int) -> HttpResponse:
    reaction = _moderated_reaction(request, reaction_id)
    with transaction.atomic():
        services.reaction_unhide(
            reaction=reaction, user=request.user, membership=request.membership
        )
    messages.success(request, _("De reactie is weer zichtbaar."))
    return redirect(f"{publication_url(reaction.publication)}#reacties")
