"""The library: publish a frozen, scrubbed copy; find it (Dutch word forms, on SQLite and on
PostgreSQL); adopt it into another organisation; react; withdraw; moderate. And above all:
a publication that hides its organisation leaks the name nowhere."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from jsonschema import Draft202012Validator

from zio.accounts.tests.factories import UserFactory
from zio.exports.exchange import exchange_schema
from zio.exports.tests.factories import filled_persona
from zio.library import selectors, services
from zio.library.models import Adoption, Publication, PublicationReaction
from zio.organisations.constants import Role, SchoolType
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import OrganisationFactory
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Persona, Signal
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "Geheime-School-Q7Z"


@pytest.fixture
def school(make_member: Callable[..., Membership]) -> Organisation:
    return OrganisationFactory.create(name=SECRET_NAME)


@pytest.fixture
def author(school: Organisation, make_member: Callable[..., Membership]) -> Membership:
    return make_member(school, Role.OPSTELLER)


@pytest.fixture
def reader(other_organisation: Organisation, make_member: Callable[..., Membership]) -> Membership:
    return make_member(other_organisation, Role.OPSTELLER)


def _publish(persona: Persona, user: object, **kw: object) -> Publication:
    options: dict[str, object] = {
        "title": persona.name,
        "show_organisation": False,
        "with_costs": True,
    }
    options.update(kw)
    return services.publication_publish(persona=persona, user=user, **options)  # type: ignore[arg-type]


def _everything(client: Client, publication: Publication) -> str:
    """Every library page that shows the publication, as one text, without the page header
    (where the viewer's own active organisation is named)."""
    urls = [
        reverse("library:list"),
        reverse("library:list") + "?q=Esra",
        reverse("library:detail", args=[publication.pk]),
    ]
    return "".join(_main(client.get(url)) for url in urls)


def _main(response: object) -> str:
    text = response.content.decode()  # type: ignore[attr-defined]
    assert text.count("</header>") == 1
    return text.split("</header>", 1)[1]


# --- publish -----------------------------------------------------------------------------------


def test_a_publication_is_a_frozen_copy(school: Organisation, author: Membership) -> None:
    persona = filled_persona(school, name="Esra", group_size=12)
    publication = _publish(persona, author.user, title="Esra in een drukke klas")
    assert publication.persona_name == "Esra"
    assert (publication.group_size_min, publication.group_size_max) == (10, 25)
    assert publication.group_size_label == "10 tot 25 leerlingen"
    # The copy is a valid exchange file, so adopting is an ordinary import.
    Draft202012Validator(exchange_schema()).validate(publication.content)
    persona.name = "Veranderd"
    persona.save()
    persona.items.all().delete()
    publication.refresh_from_db()
    assert publication.content["persona"]["name"] == "Esra"
    assert publication.content["persona"]["sections"]["wie"]
    persona.delete()
    publication.refresh_from_db()
    assert publication.source is None and publication.content["persona"]["name"] == "Esra"


def test_publishing_again_replaces_the_copy_and_keeps_the_rest(
    school: Organisation, author: Membership, reader: Membership
) -> None:
    persona = filled_persona(school)
    first = _publish(persona, author.user)
    services.reaction_add(
        publication=first,
        user=reader.user,
        organisation=reader.organisation,
        text="Werkte goed",
        show_organisation=True,
    )
    persona.name = "Nieuw"
    persona.save()
    second = _publish(persona, author.user, with_costs=False)
    assert second.pk == first.pk and Publication.objects.count() == 1
    assert second.content["persona"]["name"] == "Nieuw"
    assert "scenarios" not in second.content["persona"]
    assert second.reactions.count() == 1
    assert second.published_at == first.published_at


def test_an_archived_persona_is_not_published(school: Organisation, author: Membership) -> None:
    persona = filled_persona(school)
    persona.archived_at = persona.updated_at
    persona.save()
    with pytest.raises(ValidationError) as caught:
        _publish(persona, author.user)
    assert caught.value.messages == [str(services.ARCHIVED)]


def test_texts_that_name_the_school_a_colleague_or_an_email_are_refused(
    school: Organisation, author: Membership
) -> None:
    persona = filled_persona(school, extra_texts=(f"Zit op {SECRET_NAME.lower()}",))
    with pytest.raises(ValidationError) as caught:
        _publish(persona, author.user)
    assert caught.value.messages == [
        str(services.ORGANISATION_NAMED % {"where": Section.WHO.heading(persona.name)})
    ]
    # Named on purpose: then the name may be in the texts too.
    assert _publish(persona, author.user, show_organisation=True).show_organisation

    other = filled_persona(school, name="Daan")
    with pytest.raises(ValidationError) as caught:
        _publish(other, author.user, summary=f"Vraag {author.user.full_name} om uitleg")
    assert caught.value.messages == [
        str(services.PERSON_NAMED % {"where": str(services.SUMMARY_WHERE)})
    ]
    with pytest.raises(ValidationError) as caught:
        _publish(other, author.user, title="Mail ib@school.example")
    assert caught.value.messages == [
        str(services.EMAIL_IN_TEXT % {"where": str(services.TITLE_WHERE)})
    ]
    assert not Publication.objects.filter(source=other).exists()


# --- privacy -----------------------------------------------------------------------------------


def test_a_hidden_organisation_name_appears_nowhere(
    school: Organisation,
    author: Membership,
    reader: Membership,
    client_for: Callable[..., Client],
) -> None:
    persona = filled_persona(school, name="Esra")
    publication = _publish(persona, author.user)
    # The makers react on their own publication: that must not give them away either.
    services.reaction_add(
        publication=publication,
        user=author.user,
        organisation=school,
        text="Bij ons werkte de rustruimte",
        show_organisation=True,
    )
    adopted = services.publication_adopt(
        publication=publication, organisation=reader.organisation, user=reader.user
    )
    publication.refresh_from_db()
    stored = json.dumps(publication.content) + publication.search_text + publication.title
    assert SECRET_NAME not in stored
    assert SECRET_NAME.casefold() not in publication.search_normalised
    assert author.user.email not in stored

    reader_client = client_for(reader.user)
    # The whole pages here: the reader's own organisation is not the secret one.
    pages = "".join(
        reader_client.get(url).content.decode()
        for url in (
            reverse("library:list"),
            reverse("library:list") + "?q=Esra",
            reverse("library:detail", args=[publication.pk]),
            reverse("personas:detail", args=[adopted.pk]),
            reverse("personas:history", args=[adopted.pk]),
        )
    )
    export = reader_client.post(
        reverse("exports:export"),
        {"personas": [adopted.pk], "format": "json", "audience": "intern"},
    )
    assert export.status_code == 200 and b'"Esra"' in export.content
    pages += export.content.decode()
    assert "Esra" in pages and "De makers van deze persona" in pages
    assert SECRET_NAME not in pages
    assert author.user.email not in pages and author.user.full_name not in pages
    # Even the makers' own view names the organisation only as "jouw organisatie".
    own = _everything(client_for(author.user), publication)
    assert "Jouw organisatie" in own and SECRET_NAME not in own


def test_a_shown_organisation_name_is_shown(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    publication = _publish(filled_persona(school), author.user, show_organisation=True)
    page = client_for(reader.user).get(reverse("library:detail", args=[publication.pk]))
    assert SECRET_NAME in page.content.decode()
    assert selectors.publication_search(
        Publication.objects.all(), selectors.Filters(query=SECRET_NAME.split("-")[1])
    ).exists()


def test_costs_are_left_out_when_chosen(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    persona = filled_persona(school)
    publication = _publish(persona, author.user, with_costs=False)
    content = json.dumps(publication.content)
    page = client_for(reader.user).get(reverse("library:detail", args=[publication.pk]))
    text = page.content.decode()
    for cost_text in ("Ondersteuning in de klas", "Ambulante begeleiding van het SWV", "1.000"):
        assert cost_text not in content and cost_text not in text
    assert "Zonder kosten" in text and "Kosten per scenario" not in text


def test_costs_go_along_without_pupil_counts_and_tariffs(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    publication = _publish(filled_persona(school), author.user, with_costs=True)
    lines = [line for s in publication.content["persona"]["scenarios"] for line in s["lines"]]
    assert len(lines) == 6
    assert all(line["pupils"] is None and "tariff" not in line for line in lines)
    page = client_for(reader.user).get(reverse("library:detail", args=[publication.pk]))
    assert "Ondersteuning in de klas" in page.content.decode()
    assert "€\u00a01.000,00" in page.content.decode()


@pytest.mark.parametrize(("size", "shown"), [(4, "minder dan 10"), (37, "25 tot 50")])
def test_the_group_size_is_only_shown_as_a_range(
    size: int,
    shown: str,
    school: Organisation,
    author: Membership,
    reader: Membership,
    client_for: Callable,
) -> None:
    persona = PersonaFactory.create(organisation=school, name="Klein", group_size=size)
    PersonaItemFactory.create(persona=persona, section=Section.WHO, text="Een groep")
    publication = _publish(persona, author.user)
    assert publication.content["persona"]["group_size"] is None
    client = client_for(reader.user)
    pages = _everything(client, publication)
    assert shown in pages
    # The exact number appears in no text of the pages (scripts and styles aside).
    assert f">{size} " not in pages and f" {size} leerling" not in pages
    assert f"{size} leerlingen" not in pages


# --- search and filters ------------------------------------------------------------------------


def _searched(query: str, **filters: object) -> list[str]:
    found = selectors.publication_search(
        Publication.objects.all(),
        selectors.Filters(query=query, **filters),  # type: ignore[arg-type]
    )
    return [p.title for p in found]


def test_search_finds_dutch_word_forms_on_this_database(
    school: Organisation, author: Membership
) -> None:
    noisy = PersonaFactory.create(organisation=school, name="Noor")
    PersonaItemFactory.create(persona=noisy, section=Section.PROBLEMS, text="Overprikkeling")
    _publish(noisy, author.user, title="Noor")
    calm = PersonaFactory.create(organisation=school, name="Daan")
    PersonaItemFactory.create(persona=calm, section=Section.PROBLEMS, text="Leesproblemen")
    _publish(calm, author.user, title="Daan")

    with CaptureQueriesContext(connection) as captured:
        assert _searched("overprikkeld") == ["Noor"]
    if connection.vendor == "postgresql":
        # Really PostgreSQL's Dutch full-text search, not the fallback.
        sql = captured.captured_queries[-1]["sql"]
        assert "to_tsvector('dutch'" in sql and "@@" in sql
        assert '"search_normalised" LIKE' not in sql
    else:
        assert '"search_normalised" LIKE' in captured.captured_queries[-1]["sql"]
    assert _searched("overprikkelingen") == ["Noor"]
    assert _searched("OVERPRIKKELT") == ["Noor"]
    assert _searched("leesprobleem") == ["Daan"]
    assert _searched("overprikkeld leesproblemen") == []  # every word must match
    assert _searched("thuiszitten") == []
    assert sorted(_searched("de")) == ["Daan", "Noor"]  # only stop words: no search


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own search")
def test_on_postgresql_the_dutch_configuration_and_its_index_are_used(
    school: Organisation, author: Membership
) -> None:
    persona = PersonaFactory.create(organisation=school, name="Noor")
    PersonaItemFactory.create(persona=persona, section=Section.WHO, text="De kinderen zijn moe")
    _publish(persona, author.user, title="Noor")
    # Found only through the Dutch stemmer: "kinderen" and "kinder" are one lexeme there.
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('dutch', 'kinderen')::text")
        assert cursor.fetchone()[0] == "'kinder':1"
    assert _searched("kinderen") == ["Noor"]
    queryset = selectors.publication_search(
        Publication.objects.all(), selectors.Filters(query="overprikkeld")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "library_publication_search_dutch" in plan


def test_ranking_and_ordering(school: Organisation, author: Membership, reader: Membership) -> None:
    first = PersonaFactory.create(organisation=school, name="Een")
    PersonaItemFactory.create(persona=first, section=Section.WHO, text="Jeugdhulp")
    _publish(first, author.user, title="Een")
    second = PersonaFactory.create(organisation=school, name="Twee")
    PersonaItemFactory.create(persona=second, section=Section.WHO, text="Jeugdhulp")
    popular = _publish(second, author.user, title="Twee")
    assert _searched("", order=selectors.Order.NEWEST) == ["Twee", "Een"]
    services.publication_adopt(
        publication=Publication.objects.get(title="Een"),
        organisation=reader.organisation,
        user=reader.user,
    )
    assert _searched("", order=selectors.Order.MOST_ADOPTED) == ["Een", "Twee"]
    assert popular.adoption_count == 0


def test_filters(school: Organisation, author: Membership) -> None:
    shared = Signal.objects.filter(organisation__isnull=True).first()
    assert shared is not None
    po = PersonaFactory.create(organisation=school, name="Po", school_types=[SchoolType.PO])
    PersonaItemFactory.create(persona=po, section=Section.PROBLEMS, text="x", signal=shared)
    _publish(po, author.user, title="Po", with_costs=False)
    vso = PersonaFactory.create(organisation=school, name="Vso", school_types=[SchoolType.VSO])
    _publish(vso, author.user, title="Vso", with_costs=True)
    assert _searched("", school_type=SchoolType.VSO) == ["Vso"]
    assert _searched("", school_type=SchoolType.SO) == []
    assert _searched("", signal_id=shared.pk) == ["Po"]
    assert _searched("", with_costs=False) == ["Po"]
    assert list(selectors.filter_signals()) == [shared]


def test_the_list_page_searches_filters_and_pages(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    for number in range(23):
        persona = PersonaFactory.create(organisation=school, name=f"P{number}")
        PersonaItemFactory.create(persona=persona, section=Section.WHO, text="Overprikkeling")
        _publish(persona, author.user, title=f"Titel {number}")
    client = client_for(reader.user)
    page = client.get(reverse("library:list"), {"q": "overprikkeld"}).content.decode()
    assert "23 persona's gevonden" in page and "Pagina 1 van 2" in page
    assert "q=overprikkeld&amp;pagina=2" in page
    second = client.get(reverse("library:list"), {"q": "overprikkeld", "pagina": 2})
    assert "Titel 0" in second.content.decode()
    wrong = client.get(reverse("library:list"), {"school_type": "xx"})
    assert (
        wrong.status_code == 400 and "Kies een schoolsoort uit de lijst." in wrong.content.decode()
    )


# --- adopt, withdraw -----------------------------------------------------------------------------


def test_adopt_makes_an_editable_copy_that_survives_withdrawal(
    school: Organisation,
    author: Membership,
    reader: Membership,
    client_for: Callable[..., Client],
) -> None:
    persona = filled_persona(school, name="Esra")
    persona.status = PersonaStatus.ADOPTED
    persona.save()
    publication = _publish(persona, author.user, title="Esra in de klas")
    client = client_for(reader.user)
    response = client.post(reverse("library:adopt", args=[publication.pk]))
    adopted = Persona.objects.get(organisation=reader.organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("personas:detail", args=[adopted.pk])
    assert adopted.status == PersonaStatus.CONCEPT
    assert adopted.items.filter(text="Woont bij moeder en oma.").exists()
    assert adopted.scenarios.filter(lines__description="Ondersteuning in de klas").exists()
    adoption = Adoption.objects.get(persona=adopted)
    assert adoption.publication == publication and adoption.adopted_by == reader.user
    assert adopted.revisions.get().summary.startswith("Overgenomen uit de bibliotheek: Esra")
    publication.refresh_from_db()
    assert publication.adoption_count == 1
    page = client.get(reverse("personas:detail", args=[adopted.pk])).content.decode()
    assert "Gebaseerd op" in page and reverse("library:detail", args=[publication.pk]) in page
    # Editable in the adopter's organisation.
    edit = client.get(reverse("personas:section", args=[adopted.pk, Section.WHO.value]))
    assert edit.status_code == 200

    author_client = client_for(author.user)
    withdrawn = author_client.post(reverse("library:withdraw", args=[publication.pk]))
    assert withdrawn.status_code == 302 and not Publication.objects.exists()
    adoption.refresh_from_db()
    assert adoption.publication is None and adoption.title_at_adoption == "Esra in de klas"
    page = client.get(reverse("personas:detail", args=[adopted.pk])).content.decode()
    assert "daar niet meer te vinden" in page
    assert client.get(reverse("personas:section", args=[adopted.pk, "wie"])).status_code == 200
    assert client.get(reverse("library:detail", args=[publication.pk])).status_code == 404


def test_only_opstellers_adopt(
    school: Organisation,
    author: Membership,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable,
) -> None:
    publication = _publish(filled_persona(school), author.user)
    meelezer = make_member(other_organisation, Role.MEELEZER)
    client = client_for(meelezer.user)
    assert client.get(reverse("library:detail", args=[publication.pk])).status_code == 200
    assert client.post(reverse("library:adopt", args=[publication.pk])).status_code == 403
    assert client.get(reverse("library:adopt", args=[publication.pk])).status_code == 403
    assert not Persona.objects.filter(organisation=other_organisation).exists()


def test_another_organisation_cannot_withdraw(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    publication = _publish(filled_persona(school), author.user)
    response = client_for(reader.user).post(reverse("library:withdraw", args=[publication.pk]))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.publication_withdraw(publication=publication, organisation=reader.organisation)
    assert Publication.objects.filter(pk=publication.pk).exists()


def test_the_publish_page(
    school: Organisation,
    author: Membership,
    reader: Membership,
    client_for: Callable,
) -> None:
    persona = filled_persona(school, name="Esra")
    client = client_for(author.user)
    url = reverse("library:publish", args=[persona.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Wat wordt openbaar" in page.content.decode()
    refused = client.post(url, {"title": "Esra", "with_costs": "on"})
    assert refused.status_code == 400
    assert "Lees de persona eerst na en vink dit dan aan." in refused.content.decode()
    assert not Publication.objects.exists()
    done = client.post(url, {"title": "Esra", "checked": "on"})
    publication = Publication.objects.get()
    assert done["Location"] == reverse("library:detail", args=[publication.pk])
    assert not publication.with_costs and not publication.show_organisation
    persona_page = client.get(reverse("personas:detail", args=[persona.pk])).content.decode()
    assert reverse("library:detail", args=[publication.pk]) in persona_page
    assert "Staat sinds" in persona_page
    # Another organisation's persona cannot be published from here.
    assert client_for(reader.user).get(url).status_code == 404


# --- reactions and moderation ---------------------------------------------------------------


def test_reactions_add_delete_and_length(
    school: Organisation, author: Membership, reader: Membership, client_for: Callable
) -> None:
    publication = _publish(filled_persona(school), author.user)
    client = client_for(reader.user)
    url = reverse("library:react", args=[publication.pk])
    too_long = client.post(url, {"text": "x" * 1001})
    assert too_long.status_code == 400
    assert "hooguit 1000 tekens" in too_long.content.decode()
    email = client.post(url, {"text": "Mail me: a@b.example"})
    assert str(services.REACTION_EMAIL) in email.content.decode()
    posted = client.post(url, {"text": "Rustruimte werkte", "show_organisation": ""})
    assert posted.status_code == 302
    reaction = PublicationReaction.objects.get()
    page = _main(client.get(reverse("library:detail", args=[publication.pk])))
    assert "Rustruimte werkte" in page and "School (naam niet getoond)" in page
    assert reader.organisation.name not in page
    # Only the author deletes.
    delete = reverse("library:reaction_delete", args=[reaction.pk])
    assert client_for(author.user).post(delete).status_code == 404
    assert client.post(delete).status_code == 302
    assert not PublicationReaction.objects.exists()


def test_moderation(
    school: Organisation,
    author: Membership,
    reader: Membership,
    make_member: Callable[..., Membership],
    client_for: Callable,
) -> None:
    publication = _publish(filled_persona(school), author.user)
    reaction = services.reaction_add(
        publication=publication,
        user=reader.user,
        organisation=reader.organisation,
        text="Reclame voor ons bureau",
        show_organisation=True,
    )
    detail = reverse("library:detail", args=[publication.pk])
    hide_reaction = reverse("library:reaction_hide", args=[reaction.pk])
    # A beheerder of another organisation may not; one of the publishing school may.
    assert client_for(reader.user).post(hide_reaction, {"reason": "x"}).status_code == 403
    beheerder = make_member(school, Role.BEHEERDER)
    assert client_for(author.user).post(hide_reaction, {"reason": "x"}).status_code == 403
    assert client_for(beheerder.user).post(hide_reaction, {"reason": "Reclame"}).status_code == 302
    reaction.refresh_from_db()
    assert reaction.is_hidden and reaction.hidden_reason == "Reclame"
    stranger = client_for(make_member(OrganisationFactory.create(), Role.MEELEZER).user)
    assert "Reclame voor ons bureau" not in stranger.get(detail).content.decode()
    assert "Reden: Reclame" in client_for(reader.user).get(detail).content.decode()  # author

    # Publications: platform staff only, with a reason.
    hide = reverse("library:hide", args=[publication.pk])
    assert client_for(beheerder.user).post(hide, {"reason": "x"}).status_code == 403
    staff = UserFactory.create(is_staff=True)
    staff_client = client_for(staff)
    assert staff_client.post(hide, {"reason": ""}).status_code == 400
    assert staff_client.post(hide, {"reason": "Herkenbare leerling"}).status_code == 302
    assert stranger.get(detail).status_code == 404
    assert "Titel" not in stranger.get(reverse("library:list")).content.decode()
    assert stranger.post(reverse("library:adopt", args=[publication.pk])).status_code in {403, 404}
    own = client_for(author.user).get(detail)
    assert own.status_code == 200 and "Herkenbare leerling" in own.content.decode()
    with pytest.raises(ValidationError):
        services.publication_adopt(publication=publication, organisation=school, user=author.user)
    assert staff_client.get(detail).status_code == 200
    assert staff_client.post(reverse("library:unhide", args=[publication.pk])).status_code == 302
    assert stranger.get(detail).status_code == 200


def test_anonymous_users_are_sent_to_log_in(school: Organisation, author: Membership) -> None:
    publication = _publish(filled_persona(school), author.user)
    client = Client()
    for url in (reverse("library:list"), reverse("library:detail", args=[publication.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
