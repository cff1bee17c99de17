from base64 import b32encode
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from zio.accounts import services
from zio.accounts.forms import CODE_NOT_SIX_DIGITS
from zio.accounts.models import User
from zio.accounts.tests.factories import PASSWORD, UserFactory
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db

PERSONAS = "/personas/"


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows (or will show `steps_ahead` steps later: a code can be
    used once, and the device accepts one step ahead)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, device.step, t0, device.digits, device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    accepted = {app_code(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1, 10) if f"{n:06d}" not in accepted)


def enable_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    device = services.two_factor_setup_start(user=user)
    codes = services.two_factor_confirm(user=user, device=device)
    device.refresh_from_db()
    return device, codes


def password_login(user: User, next_url: str = "") -> Client:
    """A client past the first step (the password) only."""
    client = Client()
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post(reverse("accounts:login"), data)
    assert response.status_code == 302
    return client


def verified_client(user: User, device: TOTPDevice) -> Client:
    """A client past both steps."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def code_page(next_url: str = "") -> str:
    url = reverse("accounts:two_factor_login")
    return f"{url}?next={next_url.replace('/', '%2F')}" if next_url else url


# Set-up


def test_setup_shows_a_qr_code_and_the_secret_in_groups(client_for: Callable) -> None:
    user = UserFactory.create()
    client = client_for(user)
    response = client.get(reverse("accounts:two_factor_setup"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in content
    assert 'autocomplete="one-time-code"' in content
    assert 'inputmode="numeric"' in content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    groups = response.context["secret_groups"]
    assert all(len(group) == 4 for group in groups)
    assert "".join(groups) == b32encode(device.bin_key).decode()
    assert " ".join(groups) in content
    # Reloading keeps the same secret: a scan already in the app keeps working.
    client.get(reverse("accounts:two_factor_setup"))
    assert TOTPDevice.objects.get(user=user).key == device.key


def test_setup_confirmed_with_a_code_from_the_app(client_for: Callable) -> None:
    user = UserFactory.create()
    client = client_for(user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": app_code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_codes")
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id

    codes_page = client.get(reverse("accounts:two_factor_codes"))
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=user).count() == 10
    for code in codes:
        assert code in codes_page.content.decode()
    # Shown once only.
    again = client.get(reverse("accounts:two_factor_codes"))
    assert again.status_code == 302
    assert codes[0] not in client.get(reverse("accounts:two_factor")).content.decode()


def test_setup_refuses_a_wrong_code(client_for: Callable) -> None:
    user = UserFactory.create()
    client = client_for(user)
    client.get(reverse("accounts:two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": wrong_code(device)})
    assert response.status_code == 400
    content = response.content.decode()
    assert str(services.WRONG_APP_CODE) in content
    assert 'aria-describedby="id_code_helptext id_code_error"' in content
    not_digits = client.post(reverse("accounts:two_factor_setup"), {"code": "12ab"})
    assert str(CODE_NOT_SIX_DIGITS) in not_digits.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=user).exists()


# The second step of the log-in


def test_log_in_needs_the_code_before_any_page(client: Client) -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = password_login(user)
    response = client.get(PERSONAS)
    assert response.status_code == 302
    assert response["Location"] == code_page(PERSONAS)
    assert client.get(reverse("accounts:password_change")).status_code == 302
    assert client.get("/platformbeheer/").status_code == 302

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    done = client.post(code_page(), {"code": app_code(device), "next": PERSONAS})
    assert done.status_code == 302
    assert done["Location"] == PERSONAS
    assert client.get(PERSONAS).status_code != 302


def test_code_page_ignores_a_next_on_another_site() -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = password_login(user)
    response = client.post(
        code_page(), {"code": app_code(device), "next": "https://kwaadaardig.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("common:start")


def test_wrong_code_is_refused_in_dutch() -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = password_login(user)
    response = client.post(code_page(), {"code": wrong_code(device)})
    assert str(services.WRONG_CODE) in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get(PERSONAS).status_code == 302


def test_a_recovery_code_works_once() -> None:
    user = UserFactory.create()
    _device, codes = enable_two_factor(user)
    client = password_login(user)
    response = client.post(code_page(), {"code": codes[0].upper(), "herstelcode": "1"})
    assert response.status_code == 302
    assert client.get(PERSONAS).status_code != 302
    assert StaticToken.objects.filter(device__user=user).count() == 9

    again = password_login(user)
    refused = again.post(code_page(), {"code": codes[0], "herstelcode": "1"})
    assert str(services.WRONG_CODE) in refused.content.decode()
    assert again.get(PERSONAS).status_code == 302


def test_guessing_is_slowed_down() -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = password_login(user)
    client.post(code_page(), {"code": wrong_code(device)})
    # Right after a wrong code even the right one is refused, and the page says why.
    response = client.post(code_page(), {"code": app_code(device)})
    assert str(services.THROTTLED) in response.content.decode()
    assert DEVICE_ID_SESSION_KEY not in client.session
    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    assert client.post(code_page(), {"code": app_code(device)}).status_code == 302
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_password_only_cannot_replace_the_app() -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = password_login(user)
    response = client.get(reverse("accounts:two_factor_setup"))
    assert response["Location"].startswith(reverse("accounts:two_factor_login"))
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


# Managing one's own two-factor log-in


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones() -> None:
    user = UserFactory.create()
    device, old_codes = enable_two_factor(user)
    client = verified_client(user, device)
    url = reverse("accounts:two_factor_regenerate")
    refused = client.post(url, {"code": wrong_code(device)})
    assert refused.status_code == 400
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post(url, {"code": app_code(device)})
    assert response["Location"] == reverse("accounts:two_factor_codes")
    new_codes = client.get(response["Location"]).context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    # Only keyed hashes are stored, never the codes themselves.
    assert stored == {services.recovery_code_digest(code) for code in new_codes}
    assert not stored & {services.normalise_recovery_code(code) for code in new_codes}


def test_disable_needs_a_code(client_for: Callable) -> None:
    user = UserFactory.create()
    device, _codes = enable_two_factor(user)
    client = verified_client(user, device)
    response = client.post(reverse("accounts:two_factor_disable"), {"code": app_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    assert client.get(PERSONAS).status_code != 302


def test_disable_is_refused_while_an_organisation_requires_it(opsteller: Membership) -> None:
    organisation = opsteller.organisation
    organisation.require_two_factor = True
    organisation.save()
    device, codes = enable_two_factor(opsteller.user)
    client = verified_client(opsteller.user, device)
    page = client.get(reverse("accounts:two_factor_disable")).content.decode()
    assert "niet uitzetten" in page
    assert organisation.name in page
    response = client.post(
        reverse("accounts:two_factor_disable"), {"code": codes[0], "herstelcode": "1"}, follow=True
    )
    assert "niet uitzetten" in response.content.decode()
    assert TOTPDevice.objects.filter(user=opsteller.user, confirmed=True).exists()
    # No recovery code was used up for the refused attempt.
    assert StaticToken.objects.filter(device__user=opsteller.user).count() == 10


# The organisation's requirement


def _require(client: Client, value: str) -> str:
    """Post the beheerder's button; the text of the page it leads to."""
    response = client.post(
        reverse("accounts:two_factor_organisation"), {"require_two_factor": value}, follow=True
    )
    return response.content.decode()


def test_beheerder_turns_the_requirement_on_and_off(beheerder: Membership) -> None:
    device, _codes = enable_two_factor(beheerder.user)
    client = verified_client(beheerder.user, device)
    overview = client.get(reverse("organisations:overview")).content.decode()
    assert "Verplicht maken voor alle leden" in overview
    response = _require(client, "true")
    beheerder.organisation.refresh_from_db()
    assert beheerder.organisation.require_two_factor
    assert "is nu verplicht" in response
    _require(client, "false")
    beheerder.organisation.refresh_from_db()
    assert not beheerder.organisation.require_two_factor


def test_beheerder_without_own_two_factor_cannot_require_it(
    beheerder: Membership, client_for: Callable
) -> None:
    response = _require(client_for(beheerder.user), "true")
    beheerder.organisation.refresh_from_db()
    assert not beheerder.organisation.require_two_factor
    assert "Zet eerst zelf tweestapsverificatie aan" in response


@pytest.mark.parametrize("role", [Role.OPSTELLER, Role.MEELEZER])
def test_only_a_beheerder_may_change_the_requirement(
    role: Role, organisation: Organisation, make_member: Callable
) -> None:
    member = make_member(organisation, role)
    device, _codes = enable_two_factor(member.user)
    response = verified_client(member.user, device).post(
        reverse("accounts:two_factor_organisation"), {"require_two_factor": "true"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert not organisation.require_two_factor


def test_the_requirement_changes_only_the_active_organisation(
    organisation: Organisation, other_organisation: Organisation, make_member: Callable
) -> None:
    # A beheerder elsewhere, and only meelezer here: working here, they may not change it.
    elsewhere = make_member(other_organisation, Role.BEHEERDER)
    make_member(organisation, Role.MEELEZER, user=elsewhere.user)
    device, _codes = enable_two_factor(elsewhere.user)
    client = verified_client(elsewhere.user, device)
    client.post(reverse("organisations:switch"), {"organisation": organisation.pk})
    response = client.post(
        reverse("accounts:two_factor_organisation"), {"require_two_factor": "true"}
    )
    assert response.status_code == 403
    # Working in their own organisation, the same request changes that one only.
    client.post(reverse("organisations:switch"), {"organisation": other_organisation.pk})
    _require(client, "true")
    organisation.refresh_from_db()
    other_organisation.refresh_from_db()
    assert not organisation.require_two_factor
    assert other_organisation.require_two_factor


def test_member_without_app_of_a_requiring_organisation_must_set_it_up(
    opsteller: Membership, client_for: Callable
) -> None:
    opsteller.organisation.require_two_factor = True
    opsteller.organisation.save()
    client = client_for(opsteller.user)
    response = client.get(PERSONAS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert client.get(reverse("organisations:overview")).status_code == 302
    htmx = client.get(PERSONAS, headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(reverse("accounts:two_factor_setup"))
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    assert opsteller.organisation.name in setup.content.decode()
    assert client.get(reverse("common:health")).status_code == 200
    # Once set up, the member can go on.
    device = TOTPDevice.objects.get(user=opsteller.user)
    client.post(response["Location"], {"code": app_code(device), "next": PERSONAS})
    assert client.get(PERSONAS).status_code == 200


def test_members_page_shows_who_has_two_factor_in_one_query(
    beheerder: Membership, make_member: Callable, client_for: Callable
) -> None:
    with_app = make_member(beheerder.organisation, Role.OPSTELLER)
    enable_two_factor(with_app.user)
    client = client_for(beheerder.user)
    url = reverse("organisations:members")
    client.get(url)  # the first request of a session does a few queries once
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        make_member(beheerder.organisation, Role.MEELEZER)
    with CaptureQueriesContext(connection) as many:
        content = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Tweestapsverificatie" in content
    row = content.split(f'id="lid-{with_app.pk}"')[1].split("</tr>")[0]
    assert "Aan" in row
    assert "Nog niet" in content


def test_members_page_hides_two_factor_from_a_meelezer(
    meelezer: Membership, client_for: Callable
) -> None:
    content = client_for(meelezer.user).get(reverse("organisations:members")).content.decode()
    assert "Nog niet" not in content
