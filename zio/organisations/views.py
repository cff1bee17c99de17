import tempfile
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from zio.accounts.forms import RegistrationForm
from zio.common.types import HtmxHttpRequest, OrganisationRequest

from . import archive, selectors, services
from .active import activate
from .constants import Role
from .forms import InvitationForm, OrganisationDeleteForm, RoleForm, SwitchOrganisationForm
from .models import Invitation, Membership
from .permissions import membership_required

NEW_INVITATION_SESSION_KEY = "new_invitation_link"
DELETED_SESSION_KEY = "deleted_organisation_name"


@membership_required()
def overview(request: OrganisationRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "organisations/overview.html",
        {
            "organisation": organisation,
            "regions": selectors.regions_for_organisation(organisation),
            "member_count": selectors.members_for_organisation(organisation).count(),
        },
    )


@login_required
@require_POST
def switch(request: HtmxHttpRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST, memberships=request.memberships)
    if not form.is_valid():
        # A tampered or stale organisation id: say so and change nothing.
        for error in form.errors.get("organisation", []):
            messages.error(request, str(error))
        return redirect("common:start")
    membership = form.chosen_membership()
    activate(request, membership)
    messages.success(
        request, _("Je werkt nu in %(organisation)s.") % {"organisation": membership.organisation}
    )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("common:start")


def _members_context(
    request: OrganisationRequest, invitation_form: InvitationForm | None = None
) -> dict[str, object]:
    organisation = request.organisation
    is_beheerder = request.membership.is_beheerder
    return {
        "organisation": organisation,
        "memberships": selectors.members_for_organisation(organisation),
        "is_beheerder": is_beheerder,
        "roles": Role,
        "invitation_form": (invitation_form or InvitationForm()) if is_beheerder else None,
        "invitations": (
            selectors.open_invitations_for_organisation(organisation) if is_beheerder else []
        ),
        "invitation_valid_days": settings.INVITATION_VALID_DAYS,
    }


@membership_required()
def members(request: OrganisationRequest) -> HttpResponse:
    context = _members_context(request)
    context["new_invitation_link"] = request.session.pop(NEW_INVITATION_SESSION_KEY, None)
    return render(request, "organisations/members.html", context)


def _membership_of_active_organisation(request: OrganisationRequest, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=request.organisation,
    )


@membership_required(Role.BEHEERDER)
@require_POST
def membership_role(request: OrganisationRequest, membership_id: int) -> HttpResponse:
    membership = _membership_of_active_organisation(request, membership_id)
    form = RoleForm(request.POST)
    error = None
    if form.is_valid():
        try:
            membership = services.membership_change_role(
                membership=membership, role=Role(form.cleaned_data["role"])
            )
        except ValidationError as exc:
            error = exc.messages[0]
    else:
        error = _("Kies een geldige rol.")
    if request.htmx:
        if error is None and membership.user_id == request.user.pk:
            # Your own role changed: the whole page must show what you may do now.
            return HttpResponseClientRefresh()
        membership.refresh_from_db()
        return render(
            request,
            "organisations/members.html#member-row",
            {
                "membership": membership,
                "is_beheerder": True,
                "roles": Role,
                "row_error": error,
                "row_saved": error is None,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(user)s heeft nu de rol %(role)s.")
            % {"user": membership.user, "role": membership.get_role_display().lower()},
        )
    return redirect("organisations:members")


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def membership_remove(request: OrganisationRequest, membership_id: int) -> HttpResponse:
    membership = _membership_of_active_organisation(request, membership_id)
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("organisations:members")
        messages.success(
            request,
            _("%(user)s is geen lid meer van %(organisation)s.")
            % {"user": membership.user, "organisation": membership.organisation},
        )
        if membership.user_id == request.user.pk:
            return redirect("common:start")
        return redirect("organisations:members")
    return render(request, "organisations/membership_remove.html", {"membership": membership})


@membership_required(Role.BEHEERDER)
@require_POST
def invitation_create(request: OrganisationRequest) -> HttpResponse:
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return render(
            request, "organisations/members.html", _members_context(request, form), status=400
        )
    _invitation, token = services.invitation_create(
        organisation=request.organisation,
        role=Role(form.cleaned_data["role"]),
        created_by=request.user,
        email=form.cleaned_data["email"],
        note=form.cleaned_data["note"],
    )
    # The token is not stored; show the link once, after the redirect.
    request.session[NEW_INVITATION_SESSION_KEY] = request.build_absolute_uri(
        reverse("organisations:invitation_accept", kwargs={"token": token})
    )
    return redirect(reverse("organisations:members") + "#nieuwe-uitnodiging")


@membership_required(Role.BEHEERDER)
@require_POST
def invitation_revoke(request: OrganisationRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, organisation=request.organisation)
    try:
        services.invitation_revoke(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("De uitnodiging is ingetrokken; de link werkt niet meer."))
    return redirect("organisations:members")


def _invitation_problem(request: HttpRequest, error: ValidationError) -> HttpResponse:
    status = 403 if error.code == "wrong_email" else 410
    return render(
        request,
        "organisations/invitation_invalid.html",
        {"message": error.messages[0]},
        status=status,
    )


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    activate(request, membership)
    messages.success(
        request,
        _("Welkom bij %(organisation)s. Je rol is %(role)s.")
        % {"organisation": membership.organisation, "role": membership.get_role_display().lower()},
    )
    return redirect("common:start")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Open to anyone with the link: the secret token is what grants access."""
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        raise Http404(_("Deze uitnodigingslink bestaat niet. Controleer of je de hele link hebt."))
    user = request.user if request.user.is_authenticated else None
    try:
        services.invitation_check(invitation, user=user)
    except ValidationError as exc:
        return _invitation_problem(request, exc)

    form = None
    if user is not None:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as exc:
                return _invitation_problem(request, exc)
            return _welcome(request, membership)
    else:
        form = RegistrationForm(request.POST or None, required_email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                membership = services.invitation_accept_new_user(
                    invitation=invitation,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                )
            except ValidationError as exc:
                return _invitation_problem(request, exc)
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            return _welcome(request, membership)
    return render(
        request,
        "organisations/invitation_accept.html",
        {
            "invitation": invitation,
            "role_description": Role(invitation.role).description,
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


# --- all of the organisation's data: download and delete ------------------------------------


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def data_export(request: OrganisationRequest) -> HttpResponse:
    """Always the active organisation: there is no id in the URL to point elsewhere."""
    organisation = request.organisation
    if request.method == "POST":
        # On disk, not in memory: with screenings and made exports the ZIP can be large.
        target = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
        archive.write_export(organisation, target)
        target.seek(0)
        response = FileResponse(
            target,
            as_attachment=True,
            filename=archive.export_filename(organisation),
            content_type="application/zip",
        )
        # A streaming response; membership_required is typed for plain HttpResponses.
        return cast(HttpResponse, response)
    return render(
        request,
        "organisations/data_export.html",
        {"organisation": organisation, "summary": archive.summary(organisation)},
    )


@membership_required(Role.BEHEERDER)
@require_http_methods(["GET", "POST"])
def organisation_delete(request: OrganisationRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationDeleteForm(
        request.POST or None, organisation=organisation, user=request.user, request=request
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.delete_organisation(organisation, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            account_deleted = request.user.pk in result.deleted_user_ids
            remaining = (
                [] if account_deleted else list(selectors.memberships_for_user(request.user))
            )
            if remaining:
                activate(request, remaining[0])
            else:
                logout(request)
            # After logout(), which starts a new session.
            request.session[DELETED_SESSION_KEY] = {
                "name": result.name,
                "account_deleted": account_deleted,
            }
            return redirect("organisations:deleted")
    return render(
        request,
        "organisations/delete.html",
        {"organisation": organisation, "summary": archive.summary(organisation), "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def organisation_deleted(request: HtmxHttpRequest) -> HttpResponse:
    """Public: who deleted their organisation may have been logged out on the way here."""
    deleted = request.session.pop(DELETED_SESSION_KEY, None) or {}
    return render(
        request,
        "organisations/deleted.html",
        {"name": deleted.get("name", ""), "account_deleted": deleted.get("account_deleted")},
    )
