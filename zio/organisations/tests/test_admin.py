import pytest
from django.urls import reverse

from zio.accounts.models import User
from zio.organisations.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser(email="platform@zio.example", password="x" * 12)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _add_organisation(client, **fields: object):
    management = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    fields = {"slug": str(fields.get("name", "")).lower().replace(" ", "-")} | fields
    return client.post(reverse("admin:organisations_organisation_add"), fields | management)


def test_platform_staff_create_a_vso_with_clusters(staff_client) -> None:
    response = _add_organisation(
        staff_client, name="VSO Het Baken", kind="school", school_type="vso", clusters=["3", "4"]
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="VSO Het Baken").clusters == [3, 4]


def test_admin_refuses_clusters_for_a_primary_school(staff_client) -> None:
    response = _add_organisation(
        staff_client, name="Basisschool De Wilg", kind="school", school_type="po", clusters=["4"]
    )
    assert response.status_code == 200
    assert "Alleen SO- en VSO-scholen hebben clusters" in response.content.decode()
    assert not Organisation.objects.filter(name="Basisschool De Wilg").exists()
