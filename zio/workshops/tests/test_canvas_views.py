"""The doen-sessie through the web: making a session, joining with a code (as guest or with an
account), every round on the canvas, polling, the plenary view, and who may open what."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.workshops import services, views
from zio.workshops.access import SESSION_KEY
from zio.workshops.constants import NoteKind, Round, Starter
from zio.workshops.models import Action, Choice, JoinAttempt, Note, Participant, Vote, Workshop

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _workshop(membership: Membership, tables: int = 1) -> Workshop:
    return services.workshop_create(
        organisation=membership.organisation, user=membership.user, title="Sessie", tables=tables
    )


def _guest(workshop: Workshop, name: str = "Gast Gerda") -> Client:
    client = Client()
    response = client.post(
        reverse("workshops:join"),
        {"code": workshop.join_code.lower(), "display_name": name, "organisation_name": "Gemeente"},
    )
    table = workshop.tables.first()
    assert table is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("workshops:table", args=[workshop.pk, table.pk])
    return client


def _post(client: Client, workshop: Workshop, action: str, data: dict, htmx: bool = False):
    table = workshop.tables.first()
    assert table is not None
    url = reverse("workshops:table_post", args=[workshop.pk, table.pk, action])
    return client.post(url, data, headers=HTMX if htmx else {})


def _round(workshop: Workshop, user, round_: Round) -> None:
    table = workshop.tables.first()
    assert table is not None
    services.round_start(table=table, user=user, round=round_)


def test_an_opsteller_makes_a_session_and_sees_its_code(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    client = client_for(opsteller.user)
    form = client.get(reverse("workshops:create")).content.decode()
    assert "collectieve inzet van jeugdhulp" in form  # the deck's question is the default
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Doen-sessie Rijnvliet",
            "question": "Hoe organiseren we het samen?",
            "kind": "doen-sessie",
            "tables": "2",
            "expires_on": tomorrow,
        },
    )
    workshop = Workshop.objects.get(title="Doen-sessie Rijnvliet")
    assert response["Location"] == reverse("workshops:detail", args=[workshop.pk])
    assert workshop.tables.count() == 2
    assert timezone.localtime(workshop.expires_at).date().isoformat() == tomorrow
    page = client.get(response["Location"]).content.decode()
    assert f"{workshop.join_code[:4]} {workshop.join_code[4:]}" in page
    assert f"?code={workshop.join_code}" in page
    listing = client.get(reverse("workshops:list")).content.decode()
    assert "Doen-sessie Rijnvliet" in listing and "2 tafels" in listing


def test_bad_session_input_says_what_and_saves_nothing(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    response = client_for(opsteller.user).post(
        reverse("workshops:create"),
        {
            "title": "",
            "question": "x",
            "kind": "doen-sessie",
            "tables": "99",
            "expires_on": "2001-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Geef de sessie een titel." in page
    assert "Kies hooguit 12 tafels." in page
    assert "Kies vandaag of een dag in de toekomst." in page
    assert not Workshop.objects.exists()


def test_a_meelezer_cannot_make_a_session(
    meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    assert client_for(meelezer.user).get(reverse("workshops:create")).status_code == 403


def test_a_guest_joins_with_the_code_and_sees_only_that_session(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    workshop = _workshop(opsteller)
    other = _workshop(opsteller)
    guest = _guest(workshop)
    participant = Participant.objects.get(display_name="Gast Gerda")
    assert participant.is_guest and participant.workshop == workshop
    table = workshop.tables.get()
    assert guest.get(reverse("workshops:table", args=[workshop.pk, table.pk])).status_code == 200
    # The other session of the same organisation, its organiser page, and every member page.
    other_table = other.tables.get()
    assert guest.get(reverse("workshops:table", args=[other.pk, other_table.pk])).status_code == 302
    assert guest.get(reverse("workshops:detail", args=[workshop.pk])).status_code == 302
    assert guest.get(reverse("workshops:actions")).status_code == 302
    assert guest.get(reverse("workshops:list")).status_code == 302
    # A table of another workshop under this workshop's id: not found.
    assert (
        guest.get(reverse("workshops:table", args=[workshop.pk, other_table.pk])).status_code == 404
    )
    # The token itself is never stored, only its hash.
    token = guest.session[SESSION_KEY][str(workshop.pk)]
    assert token not in participant.token_hash


def test_a_wrong_or_expired_code_is_refused_with_a_clear_message(opsteller: Membership) -> None:
    workshop = _workshop(opsteller)
    client = Client()
    wrong = client.post(reverse("workshops:join"), {"code": "AAAA2222", "display_name": "Gerda"})
    assert wrong.status_code == 400
    assert "Deze code kennen we niet" in wrong.content.decode()
    workshop.expires_at = timezone.now() - timedelta(minutes=1)
    workshop.save()
    expired = client.post(
        reverse("workshops:join"), {"code": workshop.join_code, "display_name": "Gerda"}
    )
    assert expired.status_code == 400
    assert "Deze doen-sessie is afgelopen" in expired.content.decode()
    assert not Participant.objects.filter(display_name="Gerda").exists()


def test_a_guest_whose_session_expired_is_told_so(opsteller: Membership) -> None:
    workshop = _workshop(opsteller)
    guest = _guest(workshop)
    workshop.expires_at = timezone.now() - timedelta(minutes=1)
    workshop.save()
    table = workshop.tables.get()
    response = guest.get(reverse("workshops:table", args=[workshop.pk, table.pk]))
    assert response.status_code == 403
    assert "Deze doen-sessie is afgelopen" in response.content.decode()


def test_a_user_of_another_organisation_joins_with_the_code_and_only_then_sees_it(
    opsteller: Membership, other_organisation: Organisation, make_member, client_for
) -> None:
    workshop = _workshop(opsteller)
    table = workshop.tables.get()
    outsider = make_member(other_organisation, Role.BEHEERDER)
    client = client_for(outsider.user)
    assert client.get(reverse("workshops:table", args=[workshop.pk, table.pk])).status_code == 404
    assert client.get(reverse("workshops:detail", args=[workshop.pk])).status_code == 404
    response = client.post(reverse("workshops:join"), {"code": workshop.join_code})
    assert response["Location"] == reverse("workshops:table", args=[workshop.pk, table.pk])
    assert client.get(response["Location"]).status_code == 200
    # The organiser's page stays the organisation's own: a participant goes to their table.
    assert client.get(reverse("workshops:detail", args=[workshop.pk]))["Location"] == (
        reverse("workshops:table", args=[workshop.pk, table.pk])
    )


def test_all_rounds_through_the_web(opsteller: Membership, client_for) -> None:
    workshop = _workshop(opsteller)
    table = workshop.tables.get()
    leader = client_for(opsteller.user)
    guest = _guest(workshop)

    # Opening: the guest introduces themself.
    _post(
        guest,
        workshop,
        "voorstellen",
        {"voorstellen-who": "Gerda", "voorstellen-where_from": "Gemeente Rijnvliet"},
    )
    assert (
        "Gemeente Rijnvliet"
        in leader.get(reverse("workshops:plenary", args=[workshop.pk])).content.decode()
    )

    # Round 1: the gespreksleider starts it; both add post-its.
    response = _post(
        leader, workshop, "ronde", {"ronde-round": Round.ACTORS_FACTORS, "ronde-minutes": ""}
    )
    assert response.status_code == 302
    table.refresh_from_db()
    assert table.round == Round.ACTORS_FACTORS and table.round_minutes == 10
    for client, kind, text in [
        (leader, "actor", "Wijkteam"),
        (guest, "actor", "Leerplicht"),
        (leader, "actor", "Ouders"),
        (guest, "actor", "Huisarts"),
        (leader, "factor", "Financiering"),
        (guest, "factor", "Ruimte in school"),
        (leader, "factor", "Tijd"),
    ]:
        response = _post(
            client, workshop, "post-it", {"postit-kind": kind, "postit-text": text}, htmx=True
        )
        assert response.status_code == 200 and text in response.content.decode()
    # An empty post-it: the form says so and nothing is stored.
    response = _post(
        guest, workshop, "post-it", {"postit-kind": "actor", "postit-text": " "}, htmx=True
    )
    assert "Schrijf iets op de post-it." in response.content.decode()
    assert table.notes.count() == 7
    # A guest cannot start a round.
    assert _post(guest, workshop, "ronde", {"ronde-round": Round.CHOOSE}).status_code == 400

    # Round 2: votes, the top 3, the plane.
    _post(leader, workshop, "ronde", {"ronde-round": Round.CHOOSE, "ronde-minutes": "7"})
    notes = {n.text: n for n in Note.objects.filter(table=table)}
    for client, text in [
        (leader, "Wijkteam"), (guest, "Wijkteam"), (leader, "Leerplicht"), (guest, "Ouders"),
        (leader, "Financiering"), (guest, "Financiering"), (guest, "Tijd"), (leader, "Tijd"),
        (leader, "Ruimte in school"),
    ]:  # fmt: skip
        assert _post(client, workshop, "stem", {"note": notes[text].pk}).status_code == 302
    # A fourth actor vote is refused with the reason.
    _post(guest, workshop, "stem", {"note": notes["Leerplicht"].pk})
    refused = _post(guest, workshop, "stem", {"note": notes["Huisarts"].pk}, htmx=True)
    assert "Je hebt al je 3 stemmen" in refused.content.decode()
    _post(guest, workshop, "stem-terug", {"note": notes["Leerplicht"].pk})
    assert Vote.objects.filter(note=notes["Leerplicht"]).count() == 1
    page = leader.get(reverse("workshops:table", args=[workshop.pk, table.pk])).content.decode()
    assert "Top 3 actoren vastleggen" in page
    for kind, chosen in [
        ("actor", ["Wijkteam", "Leerplicht", "Ouders"]),
        ("factor", ["Financiering", "Tijd", "Ruimte in school"]),
    ]:
        response = _post(
            leader,
            workshop,
            "top",
            {"kind": kind, f"top-{kind}-notes": [notes[t].pk for t in chosen]},
        )
        assert response.status_code == 302
    ranks = list(
        Choice.objects.filter(table=table, kind=NoteKind.ACTOR).values_list("note__text", "rank")
    )
    assert ranks == [("Wijkteam", 1), ("Leerplicht", 2), ("Ouders", 3)]
    choice = Choice.objects.get(note=notes["Wijkteam"])
    bad = _post(
        guest,
        workshop,
        "plaats",
        {
            "choice": choice.pk,
            f"plaats-{choice.pk}-support": "140",
            f"plaats-{choice.pk}-feasibility": "20",
        },
    )
    assert bad.status_code == 400 and "Vul voor draagvlak hooguit 100 in." in bad.content.decode()
    _post(
        guest,
        workshop,
        "plaats",
        {
            "choice": choice.pk,
            f"plaats-{choice.pk}-support": "80",
            f"plaats-{choice.pk}-feasibility": "30",
        },
    )
    choice.refresh_from_db()
    assert (choice.support, choice.feasibility) == (80, 30)

    # Round 3: a next step with 5W+H becomes an action.
    _post(leader, workshop, "ronde", {"ronde-round": Round.NEXT_STEPS})
    step = {
        "stap-starter": "draagvlak",
        "stap-what": "Wijkteam uitnodigen op school",
        "stap-who": "Intern begeleider",
        "stap-where": "Op school",
        "stap-when": "Voor de kerstvakantie",
        "stap-why": "Korte lijnen",
        "stap-how": "Vast spreekuur",
        "stap-due_date": "2027-01-15",
    }
    assert _post(guest, workshop, "stap", step).status_code == 302
    action = Action.objects.get(organisation=opsteller.organisation)
    assert action.title == "Om het draagvlak te versterken… Wijkteam uitnodigen op school"
    assert action.owner == "Intern begeleider" and str(action.due_date) == "2027-01-15"

    # Closing, and a reaction in the plenary view.
    _post(leader, workshop, "ronde", {"ronde-round": Round.CLOSING})
    _post(guest, workshop, "afronding", {"afronding-my_next_step": "Wethouder bellen"})
    page = leader.get(reverse("workshops:table", args=[workshop.pk, table.pk])).content.decode()
    assert "Wethouder bellen" in page and "Vast spreekuur" in page
    next_step = action.next_step
    assert next_step is not None
    response = guest.post(
        reverse("workshops:reaction_add", args=[workshop.pk, next_step.pk]),
        {f"reactie-{next_step.pk}-text": "Goed plan"},
    )
    assert response.status_code == 302
    assert (
        "Goed plan" in leader.get(reverse("workshops:plenary", args=[workshop.pk])).content.decode()
    )


def test_the_board_answers_204_until_something_changes(opsteller: Membership, client_for) -> None:
    workshop = _workshop(opsteller)
    table = workshop.tables.get()
    _round(workshop, opsteller.user, Round.ACTORS_FACTORS)
    leader = client_for(opsteller.user)
    guest = _guest(workshop)
    page = guest.get(reverse("workshops:table", args=[workshop.pk, table.pk])).content.decode()
    poll = page.split('data-hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert guest.get(poll, headers=HTMX).status_code == 204
    _post(leader, workshop, "post-it", {"postit-kind": "factor", "postit-text": "Vervoer"})
    changed = guest.get(poll, headers=HTMX)
    assert changed.status_code == 200 and "Vervoer" in changed.content.decode()
    # A new round changes the forms: the page reloads as a whole.
    _round(workshop, opsteller.user, Round.CHOOSE)
    reload = guest.get(poll, headers=HTMX)
    assert reload.status_code == 204 and reload["HX-Refresh"] == "true"


def test_a_write_during_a_page_render_is_fetched_by_the_next_poll(
    opsteller: Membership, client_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The top 3 is fixed while a guest's page is being drawn: the page must not claim a
    state its forms do not show, or its polls would answer 204 for ever (seen once in CI)."""
    workshop = _workshop(opsteller)
    table = workshop.tables.get()
    _round(workshop, opsteller.user, Round.ACTORS_FACTORS)
    leader = client_for(opsteller.user)
    for text in ("Vervoer", "Ruimte", "Tijd"):
        _post(leader, workshop, "post-it", {"postit-kind": "factor", "postit-text": text})
    _round(workshop, opsteller.user, Round.CHOOSE)
    guest = _guest(workshop)
    drawn = views.selectors.table_board

    def board_with_a_write_landing(table_, viewer):
        if not Choice.objects.exists():
            services.choices_set(
                table=table_,
                user=opsteller.user,
                kind=NoteKind.FACTOR,
                note_ids=list(table_.notes.values_list("pk", flat=True)),
            )
        return drawn(table_, viewer)

    monkeypatch.setattr(views.selectors, "table_board", board_with_a_write_landing)
    page = guest.get(reverse("workshops:table", args=[workshop.pk, table.pk])).content.decode()
    monkeypatch.undo()
    assert Choice.objects.count() == 3
    poll = page.split('data-hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    reload = guest.get(poll, headers=HTMX)
    assert reload.status_code == 204 and reload["HX-Refresh"] == "true"


def test_the_organiser_sets_a_facilitator_from_the_participants(
    opsteller: Membership, make_member, organisation: Organisation, client_for
) -> None:
    workshop = _workshop(opsteller, tables=2)
    second = workshop.tables.order_by("position")[1]
    colleague = make_member(organisation, Role.MEELEZER)
    client = client_for(opsteller.user)
    url = reverse("workshops:table_settings", args=[workshop.pk, second.pk])
    refused = client.post(
        url,
        {f"tafel-{second.pk}-name": "Tafel 2", f"tafel-{second.pk}-facilitator": colleague.user_id},
    )
    assert refused.status_code == 400  # not a participant yet
    client_for(colleague.user).post(
        reverse("workshops:member_join", args=[workshop.pk]), {"table": second.pk}
    )
    response = client.post(
        url,
        {
            f"tafel-{second.pk}-name": "Tafel Oost",
            f"tafel-{second.pk}-facilitator": colleague.user_id,
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.name == "Tafel Oost" and second.facilitator == colleague.user
    # The meelezer may lead the table but not organise the session.
    meelezer = client_for(colleague.user)
    assert meelezer.post(url, {f"tafel-{second.pk}-name": "X"}).status_code == 403
    assert meelezer.post(reverse("workshops:code", args=[workshop.pk])).status_code == 403


def test_every_write_that_the_board_shows_raises_the_tables_revision(
    opsteller: Membership,
) -> None:
    """Polls answer "nothing new" from the revision alone, so a write that forgot to raise it
    would leave every other canvas stale."""
    workshop = _workshop(opsteller, tables=2)
    table, other = workshop.tables.order_by("position")
    leader = workshop.participants.get()
    seen = [table.revision]

    def raised() -> bool:
        table.refresh_from_db()
        seen.append(table.revision)
        return seen[-1] > seen[-2]

    guest, _token = services.participant_join_as_guest(code=workshop.join_code, display_name="G")
    assert raised()
    services.introduction_save(participant=guest, who="G", where_from="Gemeente")
    assert raised()
    services.round_start(table=table, user=opsteller.user, round=Round.ACTORS_FACTORS)
    assert raised()
    notes = [
        services.note_add(table=table, participant=guest, kind=kind, text=f"{kind} {n}")
        for kind in NoteKind
        for n in range(3)
    ]
    assert raised()
    services.round_start(table=table, user=opsteller.user, round=Round.CHOOSE)
    services.vote_cast(participant=guest, note=notes[0])
    assert raised()
    services.vote_withdraw(participant=guest, note=notes[0])
    assert raised()
    chosen = services.choices_set(
        table=table, user=opsteller.user, kind=NoteKind.ACTOR, note_ids=[n.pk for n in notes[:3]]
    )
    assert raised()
    services.choice_place(choice=chosen[0], participant=guest, support=10, feasibility=90)
    assert raised()
    services.round_start(table=table, user=opsteller.user, round=Round.NEXT_STEPS)
    step = services.next_step_add(
        table=table, participant=guest, starter=Starter.SUPPORT, who="W", what="W", when="W"
    )
    assert raised()
    services.reaction_add(participant=leader, next_step=step, text="Goed")
    assert raised()
    services.round_start(table=table, user=opsteller.user, round=Round.CLOSING)
    services.closing_answer_save(participant=guest, my_next_step="Bellen")
    assert raised()
    services.table_update(table=table, name="Tafel Oost", facilitator=opsteller.user)
    assert raised()
    services.participant_move(participant=guest, table=other)
    assert raised()


def test_the_organiser_deletes_a_session_and_its_actions_stay(
    opsteller: Membership, meelezer: Membership, client_for
) -> None:
    workshop = _workshop(opsteller)
    _round(workshop, opsteller.user, Round.NEXT_STEPS)
    services.next_step_add(
        table=workshop.tables.get(),
        participant=workshop.participants.get(),
        starter=Starter.SUPPORT,
        who="IB",
        what="Wijkteam bellen",
        when="morgen",
    )
    guest = _guest(workshop)
    url = reverse("workshops:delete", args=[workshop.pk])
    assert client_for(meelezer.user).post(url).status_code == 403
    page = client_for(opsteller.user).get(url).content.decode()
    assert "De actie uit deze sessie blijft op de actielijst staan." in page
    assert client_for(opsteller.user).post(url)["Location"] == reverse("workshops:list")
    assert not Workshop.objects.filter(pk=workshop.pk).exists()
    assert not Participant.objects.exists()
    action = Action.objects.get(title__endswith="Wijkteam bellen")
    assert action.next_step is None
    table_url = reverse("workshops:table", args=[workshop.pk, 1])
    assert guest.get(table_url).status_code == 404  # the guest's access is gone too


def test_guessing_codes_is_slowed_down_per_address(opsteller: Membership) -> None:
    workshop = _workshop(opsteller)
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(10):
        response = guesser.post(
            reverse("workshops:join"), {"code": "AAAA2222", "display_name": "X"}
        )
        assert response.status_code == 400
    # Even the right code waits now, with the reason.
    blocked = guesser.post(
        reverse("workshops:join"), {"code": workshop.join_code, "display_name": "X"}
    )
    assert blocked.status_code == 429
    assert "Te veel verkeerde codes vanaf deze plek. Wacht 15 minuten" in html.unescape(
        blocked.content.decode()
    )
    assert not Participant.objects.filter(display_name="X").exists()
    # Someone else (another address) joins as usual.
    other = Client(REMOTE_ADDR="198.51.100.1")
    ok = other.post(reverse("workshops:join"), {"code": workshop.join_code, "display_name": "Y"})
    assert ok.status_code == 302
    # After the window the guesser may try again; the address itself is never stored.
    JoinAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    again = guesser.post(
        reverse("workshops:join"), {"code": workshop.join_code, "display_name": "X"}
    )
    assert again.status_code == 302
    assert not JoinAttempt.objects.filter(address_hash__contains="203.0.113.7").exists()


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_guests_are_counted_by_their_own_address(opsteller: Membership) -> None:
    # Behind nginx every request comes from nginx: one guesser must not block the room.
    workshop = _workshop(opsteller)
    guesser = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    for _ in range(10):
        guesser.post(reverse("workshops:join"), {"code": "AAAA2222", "display_name": "X"})
    blocked = guesser.post(
        reverse("workshops:join"), {"code": workshop.join_code, "display_name": "X"}
    )
    assert blocked.status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    ok = colleague.post(
        reverse("workshops:join"), {"code": workshop.join_code, "display_name": "Y"}
    )
    assert ok.status_code == 302


def test_a_member_without_a_name_never_shows_as_an_e_mail_address(
    organisation: Organisation, make_member, client_for
) -> None:
    nameless = make_member(organisation, Role.OPSTELLER)
    nameless.user.full_name = ""
    nameless.user.save()
    workshop = _workshop(nameless)
    table = workshop.tables.get()
    guest = _guest(workshop)
    email = nameless.user.email
    for url in (
        reverse("workshops:table", args=[workshop.pk, table.pk]),
        reverse("workshops:report", args=[workshop.pk]),
        reverse("workshops:plenary", args=[workshop.pk]),
    ):
        page = guest.get(url).content.decode()
        assert email not in page
    assert workshop.participants.get(user=nameless.user).display_name == "Deelnemer zonder naam"
