"""The client's address behind reverse proxies: used by the log-in lockout (django-axes) and
the doen-sessie's join guard."""

from __future__ import annotations

import pytest
from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from zio.common.client import client_address

NGINX = "10.0.0.2"


def _request(forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=NGINX)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


@override_settings(TRUSTED_PROXIES=0)
def test_without_proxies_the_connection_counts_and_the_header_is_ignored() -> None:
    assert client_address(_request("203.0.113.9")) == NGINX


@override_settings(TRUSTED_PROXIES=1)
def test_behind_one_proxy_the_address_it_added_counts() -> None:
    assert client_address(_request("203.0.113.9")) == "203.0.113.9"
    # A client that sends its own header cannot choose its address: nginx appends the real one.
    assert client_address(_request("198.51.100.1, 203.0.113.9")) == "203.0.113.9"
    # Not through the proxy at all: only the connection is known.
    assert client_address(_request()) == NGINX


@override_settings(TRUSTED_PROXIES=2)
def test_behind_two_proxies_the_outer_one_decides() -> None:
    assert client_address(_request("198.51.100.1, 203.0.113.9, 10.0.0.7")) == "203.0.113.9"
    assert client_address(_request("10.0.0.7")) == NGINX


@pytest.mark.parametrize("proxies, expected", [(0, NGINX), (1, "203.0.113.9")])
def test_the_log_in_lockout_uses_the_same_address(proxies: int, expected: str) -> None:
    with override_settings(TRUSTED_PROXIES=proxies):
        assert get_client_ip_address(_request("203.0.113.9")) == expected
