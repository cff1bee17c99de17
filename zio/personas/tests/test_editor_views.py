from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from zio.organisations.constants import Role
from zio.organisations.models import Membership
from zio.personas import services
from zio.personas.constants import Section
from zio.personas.models import Persona, PersonaComment

pytestmark = pytest.mark.django_db


@pytest.fixture
def persona(opsteller: Membership) -> Persona:
    return services.persona_create(
        organisation=opsteller.organisation,
        name="Sam",
        group_size=12,
        age_min=8,
        age_max=11,
        sections={Section.WISHES: ["Meedoen", "Vrienden maken"]},
        created_by=opsteller.user,
    )


def _section_url(persona: Persona, section: Section = Section.WISHES) -> str:
    return reverse("personas:section", args=[persona.pk, section.value])


def _post_section(client: Client, persona: Persona, items: list[str], action: str, version=0, **kw):
    data = {"item": items, "item_signal": [""] * len(items), "version": version, "action": action}
    return client.post(_section_url(persona), data, **kw)


def test_opsteller_creates_a_persona(opsteller: Membership, client_for: Callable) -> None:
    response = client_for(opsteller.user).post(
        reverse("personas:create"),
        {
            "name": "Esra",
            "group_size": "15",
            "age_min": "9",
            "age_max": "11",
            "school_types": ["sbo"],
            "avatar": "avatar-04",
            "status": "concept",
        },
    )
    persona = Persona.objects.get(name="Esra")
    assert response["Location"] == reverse("personas:detail", args=[persona.pk])
    assert persona.avatar == "avatar-04"


def test_create_with_bad_input_explains_in_dutch_and_saves_nothing(
    opsteller: Membership, client_for: Callable
) -> None:
    response = client_for(opsteller.user).post(
        reverse("personas:create"),
        {"name": "", "group_size": "veel", "age_min": "12", "age_max": "9", "avatar": "x"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Geef de persona een naam" in content
    assert "Vul een heel getal in" in content
    assert "Kies een van de illustraties" in content
    assert not Persona.objects.exists()


def test_section_editor_buttons_change_the_list_without_saving(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    client = client_for(opsteller.user)
    response = _post_section(client, persona, ["Meedoen", "Vrienden maken"], "down:0")
    content = response.content.decode()
    assert content.index('value="Vrienden maken"') < content.index('value="Meedoen"')
    assert [i.text for i in services.section_items(persona, Section.WISHES)] == [
        "Meedoen",
        "Vrienden maken",
    ]
    added = _post_section(client, persona, ["Meedoen"], "add").content.decode()
    assert added.count('name="item"') == 2
    removed = _post_section(client, persona, ["Meedoen", "Weg"], "remove:1").content.decode()
    assert 'value="Weg"' not in removed


def test_save_with_htmx_returns_the_section_card(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    response = _post_section(
        client_for(opsteller.user),
        persona,
        ["Vrienden maken", "Meedoen"],
        "save",
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card section-card" id="onderdeel-wensen"')
    assert "Opgeslagen." in content
    assert [i.text for i in services.section_items(persona, Section.WISHES)] == [
        "Vrienden maken",
        "Meedoen",
    ]


def test_concurrent_edit_shows_the_conflict_and_keeps_both_texts(
    persona: Persona, opsteller: Membership, make_member: Callable, client_for: Callable
) -> None:
    colleague = make_member(persona.organisation, Role.OPSTELLER).user
    first, second = client_for(opsteller.user), client_for(colleague)
    # Both open the editor at version 0.
    assert 'name="version" value="0"' in first.get(_section_url(persona)).content.decode()
    assert 'name="version" value="0"' in second.get(_section_url(persona)).content.decode()
    _post_section(first, persona, ["Tekst van de eerste"], "save")
    response = _post_section(second, persona, ["Tekst van de tweede"], "save")
    content = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft dit onderdeel ook gewijzigd" in content
    assert "Tekst van de eerste" in content  # what was saved meanwhile
    assert 'value="Tekst van de tweede"' in content  # the user's own text, still editable
    assert 'name="version" value="1"' in content
    assert [i.text for i in services.section_items(persona, Section.WISHES)] == [
        "Tekst van de eerste"
    ]


def test_meelezer_reads_and_comments_but_cannot_edit(
    persona: Persona, meelezer: Membership, client_for: Callable
) -> None:
    client = client_for(meelezer.user)
    page = client.get(reverse("personas:detail", args=[persona.pk])).content.decode()
    assert "Bewerken" not in page
    assert "Gegevens bewerken" not in page
    for url, method in [
        (_section_url(persona), "get"),
        (_section_url(persona), "post"),
        (reverse("personas:edit_meta", args=[persona.pk]), "get"),
        (reverse("personas:duplicate", args=[persona.pk]), "post"),
        (reverse("personas:archive", args=[persona.pk]), "post"),
        (reverse("personas:delete", args=[persona.pk]), "post"),
        (reverse("personas:create"), "get"),
    ]:
        assert getattr(client, method)(url).status_code == 403, url
    response = client.post(
        reverse("personas:comment_add", args=[persona.pk, Section.NEEDS.value]),
        {"text": "Dit herkennen wij ook"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Dit herkennen wij ook" in response.content.decode()
    assert PersonaComment.objects.get().author == meelezer.user
    assert Persona.objects.filter(pk=persona.pk).exists()


def test_meta_edit_conflict_keeps_the_users_values(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    client = client_for(opsteller.user)
    data = {
        "name": "Sam",
        "group_size": "14",
        "age_min": "8",
        "age_max": "11",
        "avatar": "avatar-03",
        "status": "in_bespreking",
        "version": "0",
    }
    url = reverse("personas:edit_meta", args=[persona.pk])
    assert client.post(url, data).status_code == 302
    response = client.post(url, data | {"group_size": "30"})
    content = response.content.decode()
    assert response.status_code == 409
    assert 'value="30"' in content
    persona.refresh_from_db()
    assert persona.group_size == 14


def test_archive_hides_from_the_overview_and_blocks_editing(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    client = client_for(opsteller.user)
    client.post(reverse("personas:archive", args=[persona.pk]))
    overview = client.get(reverse("personas:list")).content.decode()
    assert "1 gearchiveerde persona" in overview
    assert reverse("personas:detail", args=[persona.pk]) not in overview
    archive = client.get(reverse("personas:list") + "?archief=1").content.decode()
    assert reverse("personas:detail", args=[persona.pk]) in archive
    response = client.get(_section_url(persona), follow=True)
    assert "gearchiveerd" in response.content.decode()


def test_delete_asks_first(persona: Persona, opsteller: Membership, client_for: Callable) -> None:
    client = client_for(opsteller.user)
    url = reverse("personas:delete", args=[persona.pk])
    assert "definitief verwijderen" in client.get(url).content.decode()
    assert Persona.objects.filter(pk=persona.pk).exists()
    client.post(url)
    assert not Persona.objects.filter(pk=persona.pk).exists()


def test_history_lists_who_what_and_restores(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    client = client_for(opsteller.user)
    _post_section(client, persona, ["Alles anders"], "save")
    history = client.get(reverse("personas:history", args=[persona.pk])).content.decode()
    assert "Persona aangemaakt" in history
    assert "Wat wil Sam graag?" in history
    first = persona.revisions.order_by("number").first()
    assert first is not None
    page = client.get(reverse("personas:revision", args=[persona.pk, first.pk])).content.decode()
    assert "Vrienden maken" in page
    client.post(reverse("personas:restore", args=[persona.pk, first.pk]))
    assert [i.text for i in services.section_items(persona, Section.WISHES)] == [
        "Meedoen",
        "Vrienden maken",
    ]


def test_catalogue_can_be_extended_by_an_opsteller_only(
    opsteller: Membership, meelezer: Membership, client_for: Callable
) -> None:
    from zio.personas.models import Signal, SignalDomain

    domain = SignalDomain.objects.first()
    assert domain is not None
    data = {"domain": domain.pk, "name": "Moeite met overgangen"}
    assert client_for(meelezer.user).post(reverse("personas:catalogue"), data).status_code == 403
    response = client_for(opsteller.user).post(reverse("personas:catalogue"), data)
    assert response.status_code == 302
    assert Signal.objects.filter(organisation=opsteller.organisation).count() == 1


def test_problems_editor_offers_the_catalogue(
    persona: Persona, opsteller: Membership, client_for: Callable
) -> None:
    from zio.personas.models import Signal

    signal = Signal.objects.get(name="Overprikkeling")
    client = client_for(opsteller.user)
    url = _section_url(persona, Section.PROBLEMS)
    assert "Overprikkeling" in client.get(url).content.decode()
    response = client.post(
        url, {"version": 0, "action": "add-signal", "new_signal": signal.pk}
    ).content.decode()
    assert 'value="Overprikkeling"' in response
    assert f'name="item_signal" value="{signal.pk}"' in response
