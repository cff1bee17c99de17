import pytest
from django.core.exceptions import ValidationError

from zio.organisations.constants import OrganisationKind, SchoolType
from zio.organisations.services import organisation_create

pytestmark = pytest.mark.django_db


def test_school_needs_a_school_type() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(name="De Klimop", kind=OrganisationKind.SCHOOL)
    assert "Kies een schoolsoort" in str(error.value)


def test_only_schools_have_a_school_type() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="Gemeente X", kind=OrganisationKind.GEMEENTE, school_type=SchoolType.PO
        )
    assert "Alleen een school heeft een schoolsoort" in str(error.value)


def test_clusters_only_for_special_schools() -> None:
    with pytest.raises(ValidationError) as error:
        organisation_create(
            name="Basisschool",
            kind=OrganisationKind.SCHOOL,
            school_type=SchoolType.PO,
            clusters=[4],
        )
    assert "Alleen SO- en VSO-scholen hebben clusters" in str(error.value)


def test_clusters_must_be_one_to_four() -> None:
    with pytest.raises(ValidationError):
        organisation_create(
            name="VSO", kind=OrganisationKind.SCHOOL, school_type=SchoolType.VSO, clusters=[5]
        )


def test_vso_with_clusters_describes_itself() -> None:
    school = organisation_create(
        name="VSO De Horizon",
        kind=OrganisationKind.SCHOOL,
        school_type=SchoolType.VSO,
        clusters=[4, 3, 4],
    )
    assert school.clusters == [3, 4]
    assert school.school_description == "VSO, cluster 3, 4"
