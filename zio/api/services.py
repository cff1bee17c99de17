"""Writes and checks for API tokens: make one (the secret is returned once), revoke one, and
turn a presented secret into the user, organisation and membership it stands for."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zio.accounts.models import User
from zio.organisations.models import Membership, Organisation

from .constants import LAST_USED_INTERVAL, MAX_VALID_DAYS, TOKEN_PREFIX, VISIBLE_CHARACTERS
from .models import ApiToken

NAME_REQUIRED = _("Geef de sleutel een naam, zodat je later weet waarvoor hij is.")
NOT_A_MEMBER = _("Je kunt alleen een sleutel maken voor een organisatie waar je lid van bent.")
EXPIRY_IN_PAST = _("Kies een datum in de toekomst, of laat het veld leeg.")
EXPIRY_TOO_FAR = _("Een sleutel kan hooguit %(days)s dagen geldig zijn.")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, user: User, organisation: Organisation, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for the user's membership of `organisation`. Returns the token and its
    secret; only the hash is stored, so the secret cannot be shown again."""
    if not Membership.objects.for_user(user).filter(organisation=organisation).exists():
        raise ValidationError(NOT_A_MEMBER)
    name = name.strip()
    if not name:
        raise ValidationError({"name": NAME_REQUIRED})
    now = timezone.now()
    if expires_at is not None:
        if expires_at <= now:
            raise ValidationError({"expires_at": EXPIRY_IN_PAST})
        if (expires_at - now).days >= MAX_VALID_DAYS:
            raise ValidationError({"expires_at": EXPIRY_TOO_FAR % {"days": MAX_VALID_DAYS}})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        organisation=organisation,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + VISIBLE_CHARACTERS],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    return token, secret


def api_token_revoke(*, token: ApiToken, by: User | None) -> ApiToken:
    """Revoke a token for good; revoking it again changes nothing."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = by
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


@dataclass(frozen=True)
class TokenAccess:
    """What an authenticated API request may do: the user's current membership of the
    token's organisation."""

    token: ApiToken
    membership: Membership

    @property
    def user(self) -> User:
        return self.membership.user

    @property
    def organisation(self) -> Organisation:
        return self.membership.organisation


def token_access(secret: str) -> TokenAccess | None:
    """The access a presented secret gives, or None when it is unknown, revoked or expired,
    or its user is no longer an active member of the token's organisation."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = ApiToken.objects.active().filter(secret_hash=hash_secret(secret)).first()
    if token is None:
        return None
    membership = (
        Membership.objects.filter(
            user_id=token.user_id, user__is_active=True, organisation_id=token.organisation_id
        )
        .select_related("user", "organisation")
        .first()
    )
    if membership is None:
        return None
    _note_use(token)
    return TokenAccess(token=token, membership=membership)


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_INTERVAL:
        return
    # One conditional UPDATE: concurrent requests do not each write.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_INTERVAL)
    ).update(last_used_at=now)
