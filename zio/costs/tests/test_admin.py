import pytest
from django.test import Client
from django.urls import reverse

from zio.accounts.models import User

from .factories import TariffFactory, stream

pytestmark = pytest.mark.django_db


def test_platform_staff_manage_payers_streams_and_tariffs(client: Client) -> None:
    staff = User.objects.create_superuser(email="platform@zio.example", password="x" * 12)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    tariff = TariffFactory.create()
    for url in (
        reverse("admin:costs_payer_changelist"),
        reverse("admin:costs_fundingstream_changelist"),
        reverse("admin:costs_fundingstream_change", args=[stream("wlz").pk]),
        reverse("admin:costs_tariff_changelist"),
        reverse("admin:costs_tariff_change", args=[tariff.pk]),
        reverse("admin:costs_tariff_add"),
    ):
        assert client.get(url).status_code == 200, url
