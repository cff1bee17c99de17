from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from zio.accounts.forms import RegistrationForm
from zio.common.types import HtmxHttpRequest, OrganisationRequest

from . import selectors, services
from .active import activate
from .constants import Role
from .forms import InvitationForm, RoleForm, SwitchOrganisationForm
from .models import Invitation, Membership
from .permissions import membership_required

NEW_INVITATION_SESSION_KEY = "new_invitation_link"


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
