"""Writes for accounts: users and two-factor log-in.

Two-factor log-in uses django-otp: one confirmed TOTPDevice (the authenticator app) and one
StaticDevice named "herstelcodes" whose StaticTokens are the one-time recovery codes.
Each function validates, changes the database in one transaction and raises ValidationError
with a Dutch message that the view shows as it is.
"""

from __future__ import annotations

import math
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zio.organisations.models import Organisation

from . import selectors
from .models import User

WRONG_CODE = _(
    "Deze code klopt niet. Vul de 6 cijfers in die je app nu laat zien, of een herstelcode."
)
WRONG_APP_CODE = _(
    "Deze code klopt niet. Vul de 6 cijfers in die je app nu laat zien; "
    "is de tijd om, wacht dan op de volgende code."
)
THROTTLED = _("Te veel foute codes achter elkaar.")
THROTTLED_WAIT = ngettext_lazy(
    "Wacht %(seconds)s seconde en probeer het dan opnieuw.",
    "Wacht %(seconds)s seconden en probeer het dan opnieuw.",
    "seconds",
)
NO_TWO_FACTOR = _("Tweestapsverificatie staat niet aan.")
STILL_REQUIRED = _(
    "Je kunt tweestapsverificatie niet uitzetten: %(organisations)s verplicht het. "
    "Stel een andere telefoon in als je je oude kwijt bent."
)
OWN_TWO_FACTOR_FIRST = _(
    "Zet eerst zelf tweestapsverificatie aan. Daarna kun je het verplicht maken voor "
    "%(organisation)s."
)

# Recovery codes: 10 of 10 characters from an alphabet without look-alikes (no 0/o, 1/l/i),
# about 50 bits each; shown as two groups of 5 for reading.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
RECOVERY_CODE_SALT = "zio.accounts.recovery_code"


def user_create(*, email: str, password: str, full_name: str = "") -> User:
    return User.objects.create_user(email=email, password=password, full_name=full_name)


def normalise_recovery_code(code: str) -> str:
    """What the user typed, as stored: lower case, without spaces and dashes."""
    return "".join(ch for ch in code.lower() if ch not in " -\t")


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code: a keyed hash (HMAC-SHA256 with SECRET_KEY), cut to
    the 16 characters django-otp's StaticToken holds. A copy of the database alone gives no
    usable code; changing SECRET_KEY voids the codes (users then make new ones)."""
    return salted_hmac(
        RECOVERY_CODE_SALT, normalise_recovery_code(code), algorithm="sha256"
    ).hexdigest()[:16]


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def _new_recovery_code() -> str:
    return "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))


def _throttled_error(device: Device) -> ValidationError | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (data or {}).get("locked_until")
    seconds = 1
    if locked_until is not None:
        seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    wait = THROTTLED_WAIT % {"seconds": seconds}
    return ValidationError(f"{THROTTLED} {wait}", code="throttled")


def _verify(device: Device, code: str, wrong: str) -> None:
    """Check a code against one device under django-otp's throttling.

    The device is read again with a row lock, so two requests at once cannot both use one
    code or both escape the failure count."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        error = _throttled_error(locked)
        if error is not None:
            raise error
        if locked.verify_token(code):
            return
    raise ValidationError(wrong, code="wrong_code")


def two_factor_check_app_code(*, device: TOTPDevice, code: str) -> None:
    """Raise ValidationError unless `code` is the app's current code (also while setting up)."""
    _verify(device, code, str(WRONG_APP_CODE))


def two_factor_check_login_code(*, user: User, code: str) -> Device:
    """The device that accepts `code`: a 6-digit app code or a recovery code (which is used
    up). Raise ValidationError when neither does, or while guessing is being slowed down."""
    code = code.strip().replace(" ", "")
    if code.isdigit() and len(code) == 6:
        device: Device | None = selectors.totp_device_confirmed(user=user)
    else:
        code = recovery_code_digest(code)
        device = StaticDevice.objects.filter(
            user=user, name=selectors.RECOVERY_DEVICE_NAME, confirmed=True
        ).first()
    if device is None:
        raise ValidationError(WRONG_CODE, code="wrong_code")
    _verify(device, code, str(WRONG_CODE))
    return device


def two_factor_setup_start(*, user: User) -> TOTPDevice:
    """The app being set up, with a new secret the first time. Reloading the page keeps the
    same QR code, so a scan that is already in the app keeps working."""
    with transaction.atomic():
        device = selectors.totp_device_unconfirmed(user=user)
        if device is None:
            device = TOTPDevice(user=user, name=selectors.APP_DEVICE_NAME, confirmed=False)
            device.full_clean()
            device.save()
        return device


def _recovery_codes_replace(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=selectors.RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: set[str] = set()
    while len(codes) < settings.TWO_FACTOR_RECOVERY_CODES:
        codes.add(_new_recovery_code())
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digest(code)) for code in codes
    )
    # A fresh set starts without the failures of the old one.
    device.throttle_reset(commit=False)
    device.confirmed = True
    device.save()
    return sorted(format_recovery_code(code) for code in codes)


def two_factor_confirm(*, user: User, device: TOTPDevice) -> list[str]:
    """Turn two-factor log-in on with the app just set up (its code was checked by the form):
    it replaces any earlier app. Return the new recovery codes, to be shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        return _recovery_codes_replace(user)


def two_factor_recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    with transaction.atomic():
        if not selectors.user_has_two_factor(user=user):
            raise ValidationError(NO_TWO_FACTOR)
        return _recovery_codes_replace(user)


def two_factor_disable(*, user: User) -> None:
    """Remove the app and the recovery codes, unless an organisation of the user requires
    two-factor log-in."""
    with transaction.atomic():
        requiring = list(selectors.organisations_requiring_two_factor(user=user))
        if requiring:
            names = ", ".join(organisation.name for organisation in requiring)
            raise ValidationError(STILL_REQUIRED % {"organisations": names}, code="required")
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()


def organisation_two_factor_set(
    *, organisation: Organisation, required: bool, user: User
) -> Organisation:
    """Require two-factor log-in of every member of the organisation, or stop requiring it.
    Only someone who uses it themselves may require it: they must know what they ask of the
    members, and it keeps the beheerder from being sent to set it up on their next click."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if required and not selectors.user_has_two_factor(user=user):
            raise ValidationError(
                OWN_TWO_FACTOR_FIRST % {"organisation": organisation.name}, code="own_first"
            )
        organisation.require_two_factor = required
        organisation.full_clean()
        organisation.save(update_fields=["require_two_factor"])
        return organisation
