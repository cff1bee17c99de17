import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_even_when_the_browser_prefers_english(client: Client) -> None:
    response = client.get(reverse("accounts:login"), headers={"Accept-Language": "en-GB,en"})
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def test_the_chosen_language_is_remembered(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/inloggen/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login"))
    assert page["Content-Language"] == "en"


def test_unknown_language_falls_back_to_dutch(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("accounts:login"))["Content-Language"] == "nl"
