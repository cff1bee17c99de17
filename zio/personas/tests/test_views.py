import pytest
from django.urls import reverse

from zio.organisations.models import Membership, Organisation
from zio.personas.constants import Section
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory

pytestmark = pytest.mark.django_db


def test_list_shows_only_own_personas(
    meelezer: Membership, other_organisation: Organisation, client_for
) -> None:
    own = PersonaFactory.create(organisation=meelezer.organisation, name="Noor")
    PersonaFactory.create(organisation=other_organisation, name="Vreemde")
    content = client_for(meelezer.user).get(reverse("personas:list")).content.decode()
    assert own.name in content
    assert "Vreemde" not in content


def test_detail_shows_all_sections_in_handbook_order(meelezer: Membership, client_for) -> None:
    persona = PersonaFactory.create(organisation=meelezer.organisation, name="Noor")
    PersonaItemFactory.create(persona=persona, section=Section.NEEDS, text="Een prikkelarme plek")
    content = client_for(meelezer.user).get(reverse("personas:detail", args=[persona.pk]))
    text = content.content.decode()
    positions = [text.index(s.heading("Noor").replace("'", "&#x27;")) for s in Section]
    assert positions == sorted(positions)
    assert "Een prikkelarme plek" in text


def test_small_group_size_is_suppressed(meelezer: Membership, client_for) -> None:
    persona = PersonaFactory.create(organisation=meelezer.organisation, group_size=6)
    text = client_for(meelezer.user).get(reverse("personas:detail", args=[persona.pk]))
    content = text.content.decode()
    assert "&lt; 10 leerlingen" in content
    assert "6 leerlingen" not in content


def test_persona_of_another_organisation_is_not_found(
    meelezer: Membership, other_organisation: Organisation, client_for
) -> None:
    foreign = PersonaFactory.create(organisation=other_organisation, name="Geheim")
    response = client_for(meelezer.user).get(reverse("personas:detail", args=[foreign.pk]))
    assert response.status_code == 404
    assert "Geheim" not in response.content.decode()
