"""Reads for accounts: the state of a user's two-factor log-in (TOTP app plus recovery codes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

if TYPE_CHECKING:
    from zio.organisations.models import Organisation

    from .models import User

# The one StaticDevice of a user that holds their recovery codes.
RECOVERY_DEVICE_NAME = "herstelcodes"
# The TOTP device of the authenticator app.
APP_DEVICE_NAME = "app"


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The app the user logs in with; None while two-factor log-in is off."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def totp_device_unconfirmed(*, user: User) -> TOTPDevice | None:
    """The app being set up: shown as a QR code, waiting for a first correct code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def user_has_two_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_DEVICE_NAME, device__confirmed=True
    ).count()


def organisations_requiring_two_factor(*, user: User) -> QuerySet[Organisation]:
    """The user's organisations that require two-factor log-in of every member."""
    from zio.organisations.models import Organisation

    return Organisation.objects.filter(
        require_two_factor=True, memberships__user=user, memberships__user__is_active=True
    ).order_by("name")


def has_two_factor_expression(user_field: str = "user") -> Exists:
    """An annotation for querysets of rows that point at a user (e.g. memberships): whether
    that user has two-factor log-in on. One subquery instead of a query per row."""
    return Exists(TOTPDevice.objects.filter(user=OuterRef(user_field), confirmed=True))
