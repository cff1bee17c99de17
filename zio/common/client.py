"""The address a request comes from, also behind reverse proxies.

Behind nginx, `REMOTE_ADDR` is nginx's own address: everything that counts per address (the
log-in lockout of django-axes, the doen-sessie's join guard) would count all users together.
With `TRUSTED_PROXIES` set to the number of proxies in front of the app, the address is read
from `X-Forwarded-For` instead: each proxy appends the address it saw, so the one added by the
outermost trusted proxy stands that many places from the right. Anything further left was
sent by the client itself and could be made up, so it is never used.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        # Not (all) through our proxies: what the connection shows is all we can trust.
        return remote
    return forwarded[-proxies]
