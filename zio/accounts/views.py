import base64
import io
from base64 import b32encode
from typing import cast

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from zio.common.types import OrganisationRequest
from zio.organisations.constants import Role
from zio.organisations.permissions import membership_required

from . import selectors, services
from .forms import AppCodeForm, LoginCodeForm, LoginForm, OrganisationTwoFactorForm
from .middleware import is_verified
from .models import User

login = auth_views.LoginView.as_view(
    template_name="accounts/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)
logout = auth_views.LogoutView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)

# New recovery codes wait here for the one page that shows them, right after they are made.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"
QR_SCALE = 4


def _safe_next(request: HttpRequest) -> str:
    """The `next` page from the form or the address, if it is a page of this site."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _qr_code(device: TOTPDevice) -> tuple[str, int]:
    """The app's set-up link as an SVG QR code in a data: URI (the CSP allows data: images,
    and no script or style is needed), with its width in pixels."""
    qr = segno.make(device.config_url, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=QR_SCALE, border=4, xmldecl=False)
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return data_uri, int(qr.symbol_size(scale=QR_SCALE, border=4)[0])


def _secret_groups(device: TOTPDevice) -> list[str]:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


def _show_new_codes(request: HttpRequest, codes: list[str], next_url: str = "") -> HttpResponse:
    request.session[NEW_CODES_SESSION_KEY] = codes
    return redirect(_with_next(reverse("accounts:two_factor_codes"), next_url))


@login_required
@require_GET
def two_factor(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": selectors.user_has_two_factor(user=user),
            "codes_left": selectors.recovery_codes_left(user=user),
            "requiring": selectors.organisations_requiring_two_factor(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if selectors.user_has_two_factor(user=user) and not is_verified(user):
        # Only the owner of the current app may set up another one.
        return redirect("accounts:two_factor_login")
    device = services.two_factor_setup_start(user=user)
    next_url = _safe_next(request)
    form = AppCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_confirm(user=user, device=device)
        device.refresh_from_db()
        django_otp.login(request, device)
        # The session now counts for more: give it a new id.
        request.session.cycle_key()
        messages.success(request, _("Tweestapsverificatie staat aan."))
        return _show_new_codes(request, codes, next_url)
    qr_data_uri, qr_size = _qr_code(device)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_data_uri": qr_data_uri,
            "qr_size": qr_size,
            "secret_groups": _secret_groups(device),
            "replacing": selectors.user_has_two_factor(user=user),
            "requiring": selectors.organisations_requiring_two_factor(user=user),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def two_factor_codes(request: HttpRequest) -> HttpResponse:
    # Shown once: the codes leave the session as they are shown.
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_codes.html",
        {"codes": codes, "next": _safe_next(request) or resolve_url(settings.LOGIN_REDIRECT_URL)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_regenerate(request: HttpRequest) -> HttpResponse:
    device = selectors.totp_device_confirmed(user=cast(User, request.user))
    if device is None:
        messages.error(request, str(services.NO_TWO_FACTOR))
        return redirect("accounts:two_factor")
    form = AppCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_recovery_codes_regenerate(user=cast(User, request.user))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("accounts:two_factor")
        messages.success(request, _("Je hebt nieuwe herstelcodes. De oude werken niet meer."))
        return _show_new_codes(request, codes)
    return render(
        request,
        "accounts/two_factor_regenerate.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not selectors.user_has_two_factor(user=user):
        messages.error(request, str(services.NO_TWO_FACTOR))
        return redirect("accounts:two_factor")
    requiring = list(selectors.organisations_requiring_two_factor(user=user))
    recovery = bool(request.GET.get("herstelcode") or request.POST.get("herstelcode"))
    # While it is required, no code is asked for: a recovery code would be used up for nothing.
    form = None if requiring else LoginCodeForm(request.POST or None, user=user, recovery=recovery)
    if request.method == "POST":
        if form is None:
            names = ", ".join(organisation.name for organisation in requiring)
            messages.error(request, str(services.STILL_REQUIRED % {"organisations": names}))
            return redirect("accounts:two_factor")
        if form.is_valid():
            try:
                services.two_factor_disable(user=user)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
            else:
                messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("accounts:two_factor")
    return render(
        request,
        "accounts/two_factor_disable.html",
        {"form": form, "requiring": requiring, "recovery": recovery},
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_login(request: HttpRequest) -> HttpResponse:
    """The second log-in step, after the password."""
    user = cast(User, request.user)
    next_url = _safe_next(request)
    if is_verified(user) or not selectors.user_has_two_factor(user=user):
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    recovery = bool(request.GET.get("herstelcode") or request.POST.get("herstelcode"))
    form = LoginCodeForm(request.POST or None, user=user, recovery=recovery)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, form.device)
        # The session now counts for more: give it a new id.
        request.session.cycle_key()
        if form.device is not None and not isinstance(form.device, TOTPDevice):
            left = selectors.recovery_codes_left(user=user)
            messages.warning(
                request,
                _(
                    "Je hebt een herstelcode gebruikt; die werkt niet nog een keer. "
                    "Je hebt er nog %(left)s. Maak nieuwe codes als je er bijna geen meer hebt."
                )
                % {"left": left},
            )
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/two_factor_login.html",
        {"form": form, "next": next_url, "recovery": recovery},
        status=400 if form.is_bound else 200,
    )


@membership_required(Role.BEHEERDER)
@require_POST
def two_factor_organisation(request: OrganisationRequest) -> HttpResponse:
    """Turn the requirement on or off for the active organisation (never one chosen by id)."""
    form = OrganisationTwoFactorForm(request.POST)
    required = form.is_valid() and form.cleaned_data["require_two_factor"]
    try:
        organisation = services.organisation_two_factor_set(
            organisation=request.organisation, required=required, user=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if organisation.require_two_factor:
            messages.success(
                request,
                _(
                    "Tweestapsverificatie is nu verplicht voor %(organisation)s. Leden die het "
                    "nog niet hebben, stellen het in bij hun volgende klik."
                )
                % {"organisation": organisation.name},
            )
        else:
            messages.success(
                request,
                _("Tweestapsverificatie is niet meer verplicht voor %(organisation)s.")
                % {"organisation": organisation.name},
            )
    return redirect(reverse("organisations:overview") + "#tweestapsverificatie")
