import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from zio.accounts.forms import WRONG_LOGIN
from zio.accounts.models import User
from zio.accounts.tests.factories import PASSWORD, UserFactory
from zio.organisations.models import Membership

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_by_email_is_case_insensitive(client: Client, beheerder: Membership) -> None:
    response = _login(client, beheerder.user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("common:start")


def test_wrong_password_gives_a_dutch_message_and_no_session(
    client: Client, beheerder: Membership
) -> None:
    response = _login(client, beheerder.user.email, "niet-het-wachtwoord")
    assert response.status_code == 200
    assert str(WRONG_LOGIN) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_repeated_failures(client: Client, beheerder: Membership) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, beheerder.user.email, "fout")
    # Even the right password is refused while locked out.
    response = _login(client, beheerder.user.email, PASSWORD)
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client: Client) -> None:
    user = UserFactory.create(is_active=False)
    response = _login(client, user.email, PASSWORD)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_logout_needs_post(client_for: Callable, beheerder: Membership) -> None:
    client = client_for(beheerder.user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_link(client: Client, beheerder: Membership) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": beheerder.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [beheerder.user.email]
    assert "Nieuw wachtwoord" in message.subject
    link = re.search(r"https?://[^/]+(/\S+)", str(message.body))
    assert link is not None
    confirm = client.get(link.group(1), follow=True)
    assert confirm.status_code == 200
    new_password = "een-nieuw-wachtwoord-77"
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    user = User.objects.get(pk=beheerder.user.pk)
    assert user.check_password(new_password)


def test_password_reset_for_unknown_address_reveals_nothing(client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "niemand@elders.example"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_link_with_bad_token_explains_in_dutch(client: Client) -> None:
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "fout"})
    response = client.get(url)
    assert "Deze link werkt niet meer" in response.content.decode()


def test_production_settings_hash_passwords_with_argon2() -> None:
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_emails_are_stored_lower_case() -> None:
    user = User.objects.create_user(email="  Juf.Anna@School.Example ", password="x" * 12)
    assert user.email == "juf.anna@school.example"
