"""The report of a doen-sessie: what it gathers, the plane, the PDF read back with pdftotext,
escaping of hostile text, and who may open it."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from defusedxml import ElementTree
from django.test import Client
from django.urls import reverse

from zio.organisations.models import Membership, Organisation
from zio.personas.tests.factories import PersonaFactory
from zio.workshops import services
from zio.workshops.access import SESSION_KEY
from zio.workshops.constants import NoteKind, Round, Starter
from zio.workshops.models import Participant, Workshop, WorkshopTable
from zio.workshops.report import (
    LEFT,
    SIDE,
    TOP,
    ClosingLine,
    PlacedChoice,
    Report,
    plane_svg,
    report_pdf,
    workshop_report,
)
from zio.workshops.report_views import report_filename

SCRIPT = "<script>alert(1)</script>"
FORMULA = "=cmd|' /C calc'!A0"
SVG = "{http://www.w3.org/2000/svg}"


# --- the plane, without a database -----------------------------------------------------------


def _choice(code: str, support: int | None, feasibility: int | None) -> PlacedChoice:
    kind = NoteKind.ACTOR if code.startswith("A") else NoteKind.FACTOR
    return PlacedChoice(code, kind, int(code[1]), f"post-it {code}", support, feasibility)


def test_the_plane_puts_each_placed_choice_at_its_values() -> None:
    svg = plane_svg(
        [
            _choice("A1", 100, 100),
            _choice("A2", 0, 0),
            _choice("F1", 50, 25),
            _choice("F3", None, None),
        ],
        title="Vlak",
        title_id="vlak-1",
    )
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "vlak-1"
    assert root.find(f"{SVG}title").get("id") == "vlak-1"
    circles = [(c.get("cx"), c.get("cy")) for c in root.iter(f"{SVG}circle")]
    # Draagvlak runs up, haalbaarheid to the right.
    assert circles == [(str(LEFT + SIDE), str(TOP)), (str(LEFT), str(TOP + SIDE))]
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert {"A1", "A2", "F1"} <= set(labels)
    assert "F3" not in labels  # unplaced: only in the legend
    # Factors are squares (not told apart by colour alone), centred on their values.
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#a3461a"]
    assert len(squares) == 1
    x, width = int(squares[0].get("x", "")), int(squares[0].get("width", ""))
    assert x + width // 2 == LEFT + SIDE // 4
    # Colours are attributes: WeasyPrint's SVG renderer sees no CSS.
    assert "style" not in svg and 'class="report-plane__svg"' in svg


def test_choices_on_the_same_spot_share_one_label_and_titles_are_escaped() -> None:
    svg = plane_svg(
        [_choice("A1", 60, 40), _choice("F2", 60, 40)],
        title='<b>"Tafel" & co</b>',
        title_id="vlak-2",
    )
    root = ElementTree.fromstring(svg)  # still well-formed XML
    assert root.find(f"{SVG}title").text == '<b>"Tafel" & co</b>'
    assert "A1, F2" in [t.text for t in root.iter(f"{SVG}text")]
    assert "<b>" not in svg


# --- a whole session -------------------------------------------------------------------------


@dataclass
class Session:
    workshop: Workshop
    table: WorkshopTable
    maker: Participant
    guest: Participant
    guest_token: str


@pytest.fixture
def session(opsteller: Membership) -> Session:
    """A session of two tables, played through every round at the first table by its maker (the
    gespreksleider) and a guest."""
    user = opsteller.user
    persona = PersonaFactory.create(organisation=opsteller.organisation, name="Persona Sanne")
    workshop = services.workshop_create(
        organisation=opsteller.organisation,
        user=user,
        title=f"Rijnvliet {SCRIPT}",
        question="Hoe organiseren we jeugdhulp in de klas?",
        personas=[persona],
        tables=2,
    )
    table = workshop.tables.order_by("position")[0]
    maker = workshop.participants.get(user=user)
    guest, token = services.participant_join_as_guest(
        code=workshop.join_code, display_name="Gast Gerrit", organisation_name="Gemeente Oost"
    )
    services.introduction_save(
        participant=maker,
        who="Intern begeleider",
        where_from="SBO Het Anker",
        why_here="Samenwerking verbeteren",
        question="Wie betaalt de jeugdhulp?",
    )
    services.introduction_save(participant=guest, who="Beleidsmedewerker", where_from="Oost")

    services.round_start(table=table, user=user, round=Round.ACTORS_FACTORS)
    actors = [
        services.note_add(table=table, participant=maker, kind=NoteKind.ACTOR, text=text)
        for text in ("Wijkteam", "Ouders", "Leerplicht", SCRIPT)
    ]
    factors = [
        services.note_add(
            table=table, participant=guest, kind=NoteKind.FACTOR, text=text, detail="uitleg"
        )
        for text in ("Budget", "Ruimte", "Tijd", "Vertrouwen")
    ]
    services.round_start(table=table, user=user, round=Round.CHOOSE)
    for voter in (maker, guest):
        services.vote_cast(participant=voter, note=actors[0])
    services.vote_cast(participant=guest, note=actors[3])
    services.vote_cast(participant=maker, note=factors[1])
    chosen_actors = services.choices_set(
        table=table, user=user, kind=NoteKind.ACTOR, note_ids=[a.pk for a in actors[:3]]
    )
    chosen_factors = services.choices_set(
        table=table, user=user, kind=NoteKind.FACTOR, note_ids=[f.pk for f in factors[:3]]
    )
    services.choice_place(choice=chosen_actors[0], participant=guest, support=80, feasibility=30)
    services.choice_place(choice=chosen_actors[1], participant=maker, support=20, feasibility=90)
    services.choice_place(choice=chosen_factors[0], participant=maker, support=55, feasibility=65)

    services.round_start(table=table, user=user, round=Round.NEXT_STEPS)
    step = services.next_step_add(
        table=table,
        participant=maker,
        starter=Starter.SUPPORT,
        who="Schoolleider Jansen",
        what=f"Wijkteam uitnodigen {SCRIPT}",
        when="Voor de herfstvakantie",
        where="Teamkamer SBO",
        why="Korte lijnen met jeugdhulp",
        how="Maandelijks spreekuur",
    )
    services.reaction_add(participant=guest, next_step=step, text="Sluit de GGD ook aan")

    services.round_start(table=table, user=user, round=Round.CLOSING)
    services.closing_answer_save(
        participant=maker,
        my_next_step="Agenda maken voor overleg",
        follow_up_question="Wie zit de tafel voor?",
        who_needed="De leerplichtambtenaar",
        apply_tomorrow="Ouders eerder bellen",
    )
    services.closing_answer_save(participant=guest, my_next_step=FORMULA)
    return Session(workshop, table, maker, guest, token)


@pytest.mark.django_db
def test_the_report_gathers_everything_of_the_session(session: Session) -> None:
    report = workshop_report(session.workshop)
    assert report.title == f"Rijnvliet {SCRIPT}"
    assert report.question == "Hoe organiseren we jeugdhulp in de klas?"
    assert report.personas == ("Persona Sanne",)
    assert [t.name for t in report.tables] == ["Tafel 1", "Tafel 2"]
    first, second = report.tables
    assert first.facilitator and second.facilitator
    # Post-its with their votes, most votes first.
    assert [(n.text, n.votes) for n in first.actors] == [
        ("Wijkteam", 2),
        (SCRIPT, 1),
        ("Ouders", 0),
        ("Leerplicht", 0),
    ]
    assert [(n.text, n.votes, n.detail) for n in first.factors][0] == ("Ruimte", 1, "uitleg")
    # The top 3's with their place; the unplaced ones say so.
    assert [(c.code, c.text, c.support, c.feasibility) for c in first.choices] == [
        ("A1", "Wijkteam", 80, 30),
        ("A2", "Ouders", 20, 90),
        ("A3", "Leerplicht", None, None),
        ("F1", "Budget", 55, 65),
        ("F2", "Ruimte", None, None),
        ("F3", "Tijd", None, None),
    ]
    assert [c.code for c in first.unplaced] == ["A3", "F2", "F3"]
    # The next step with all of 5W+H, and its reaction.
    (step,) = first.next_steps
    assert (step.starter, step.who, step.what, step.where, step.when, step.why, step.how) == (
        str(Starter.SUPPORT.label),
        "Schoolleider Jansen",
        f"Wijkteam uitnodigen {SCRIPT}",
        "Teamkamer SBO",
        "Voor de herfstvakantie",
        "Korte lijnen met jeugdhulp",
        "Maandelijks spreekuur",
    )
    assert [(r.author, r.text) for r in step.reactions] == [("Gast Gerrit", "Sluit de GGD ook aan")]
    # Opening and closing answers of the people at this table.
    names = [p.name for p in first.introductions]
    assert "Gast Gerrit" in names and len(names) == 2
    guest = next(p for p in first.closings if p.name == "Gast Gerrit")
    assert guest.organisation == "Gemeente Oost"
    assert guest.closing is not None and guest.closing.my_next_step == FORMULA
    maker = next(p for p in first.closings if p.name != "Gast Gerrit")
    assert maker.closing == ClosingLine(
        "Agenda maken voor overleg",
        "Wie zit de tafel voor?",
        "De leerplichtambtenaar",
        "Ouders eerder bellen",
    )
    # The second table did nothing yet.
    assert (second.actors, second.choices, second.next_steps, second.people) == ((), (), (), ())
    assert report.without_table == ()


@pytest.mark.django_db
def test_answers_of_someone_without_a_table_are_kept(session: Session) -> None:
    Participant.objects.filter(pk=session.guest.pk).update(table=None)
    report = workshop_report(session.workshop)
    assert [p.name for p in report.without_table] == ["Gast Gerrit"]
    assert [p.name for p in report.unseated_closings] == ["Gast Gerrit"]
    assert "Gast Gerrit" not in [p.name for p in report.tables[0].people]


@pytest.mark.django_db
def test_the_report_reads_in_the_same_number_of_queries_for_a_bigger_session(
    session: Session, opsteller: Membership, django_assert_max_num_queries: Callable
) -> None:
    small = services.workshop_create(
        organisation=opsteller.organisation, user=opsteller.user, title="Klein"
    )
    small = Workshop.objects.get(pk=small.pk)
    big = Workshop.objects.get(pk=session.workshop.pk)
    # Eight: tables, post-its with votes, choices, next steps, reactions (none in the small
    # one), participants with their answers, the organisation and the persona's.
    with django_assert_max_num_queries(8):
        workshop_report(small)
    with django_assert_max_num_queries(8):
        workshop_report(big)


# --- the PDF ---------------------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "verslag.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


@pytest.mark.django_db
def test_the_pdf_holds_the_next_steps_the_closing_answers_and_the_plane(
    session: Session, tmp_path: Path
) -> None:
    report: Report = workshop_report(session.workshop)
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf, tmp_path)
    for expected in (
        "Schoolleider Jansen",
        "Teamkamer SBO",
        "Voor de herfstvakantie",
        "Korte lijnen met jeugdhulp",
        "Maandelijks spreekuur",
        "Sluit de GGD ook aan",
        "Agenda maken voor overleg",
        "De leerplichtambtenaar",
        "Ouders eerder bellen",
        "Persona Sanne",
        # The plane: its axes, the markers and the legend with values.
        "Draagvlak",
        "Haalbaarheid",
        "A1",
        "F1",
        "nog niet geplaatst",
    ):
        assert expected in text, expected
    # Hostile text is just text.
    assert f"Wijkteam uitnodigen {SCRIPT}" in text
    assert FORMULA in text


# --- the pages -------------------------------------------------------------------------------


def _guest_client(workshop: Workshop, token: str) -> Client:
    client = Client()
    session = client.session
    session[SESSION_KEY] = {str(workshop.pk): token}
    session.save()
    return client


@pytest.mark.django_db
def test_a_member_sees_the_report_with_its_plane_and_links(
    session: Session, meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    response = client_for(meelezer.user).get(
        reverse("workshops:report", args=[session.workshop.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        "Schoolleider Jansen",
        "Teamkamer SBO",
        "Maandelijks spreekuur",
        "Sluit de GGD ook aan",
        "Ouders eerder bellen",
        "Beleidsmedewerker",
        "nog niet geplaatst",
    ):
        assert expected in page, expected
    # The plane as an image with a title, and a table as its text alternative.
    assert re.search(r'<svg [^>]*role="img" aria-labelledby="vlak-1"', page)
    assert '<title id="vlak-1">' in page
    assert '<caption id="plaatsing-1">' in page
    pdf_url = reverse("workshops:report_pdf", args=[session.workshop.pk])
    assert f'href="{pdf_url}" download>Download als PDF' in page
    assert reverse("workshops:detail", args=[session.workshop.pk]) in page
    # Headings in order: h1, then an h2 per table.
    levels = re.findall(r"<h([1-6])[ >]", page.split('id="inhoud"')[1])
    assert levels[0] == "1" and levels.count("2") == 2
    assert " style=" not in page and "<script>" not in page.split("</head>")[1]


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_the_page(
    session: Session, opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    page = (
        client_for(opsteller.user)
        .get(reverse("workshops:report", args=[session.workshop.pk]))
        .content.decode()
    )
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "=cmd|&#x27; /C calc&#x27;!A0" in page


@pytest.mark.django_db
def test_the_pdf_downloads_as_an_attachment_named_after_the_session(
    session: Session, opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    response = client_for(opsteller.user).get(
        reverse("workshops:report_pdf", args=[session.workshop.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="verslag-rijnvliet-scriptalert1script.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_a_title_without_letters_still_gives_a_file_name() -> None:
    assert report_filename("!!!") == "verslag-doen-sessie.pdf"
    assert report_filename("Doen-sessie Rijnvliet 12 mei") == (
        "verslag-doen-sessie-rijnvliet-12-mei.pdf"
    )


@pytest.mark.django_db
def test_a_guest_of_the_session_opens_the_report_and_is_led_back_to_the_table(
    session: Session,
) -> None:
    client = _guest_client(session.workshop, session.guest_token)
    response = client.get(reverse("workshops:report", args=[session.workshop.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schoolleider Jansen" in page
    table_url = reverse("workshops:table", args=[session.workshop.pk, session.table.pk])
    assert f'href="{table_url}"' in page
    assert reverse("workshops:detail", args=[session.workshop.pk]) + '"' not in page
    pdf = client.get(reverse("workshops:report_pdf", args=[session.workshop.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_a_guest_of_another_session_gets_nothing(session: Session, opsteller: Membership) -> None:
    other = services.workshop_create(
        organisation=opsteller.organisation, user=opsteller.user, title="Andere sessie"
    )
    _guest, token = services.participant_join_as_guest(code=other.join_code, display_name="Gast")
    client = _guest_client(other, token)
    assert client.get(reverse("workshops:report", args=[other.pk])).status_code == 200
    for name in ("workshops:report", "workshops:report_pdf"):
        response = client.get(reverse(name, args=[session.workshop.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert b"Schoolleider" not in response.content


@pytest.mark.django_db
def test_a_participant_from_another_organisation_sees_the_report_of_their_session(
    session: Session,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    outsider = make_member(other_organisation)
    services.participant_join_as_member(
        workshop=session.workshop, user=outsider.user, organisation=other_organisation
    )
    response = client_for(outsider.user).get(
        reverse("workshops:report", args=[session.workshop.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Schoolleider Jansen" in page
    assert reverse("workshops:detail", args=[session.workshop.pk]) + '"' not in page


@pytest.mark.django_db
def test_a_user_of_another_organisation_gets_a_404_and_no_text(
    session: Session,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
) -> None:
    client = client_for(make_member(other_organisation).user)
    for name in ("workshops:report", "workshops:report_pdf"):
        response = client.get(reverse(name, args=[session.workshop.pk]))
        assert response.status_code == 404
        text = response.content.decode()
        for secret in ("Schoolleider Jansen", "Ouders eerder bellen", "Rijnvliet"):
            assert secret not in text


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(session: Session, client: Client) -> None:
    for name in ("workshops:report", "workshops:report_pdf"):
        url = reverse(name, args=[session.workshop.pk])
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert "Schoolleider" not in response.content.decode()


@pytest.mark.django_db
def test_the_report_only_answers_get(
    session: Session, opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    response = client_for(opsteller.user).post(
        reverse("workshops:report", args=[session.workshop.pk])
    )
    assert response.status_code == 405
