"""Walk every URL pattern as an anonymous user and as a user of another organisation.

Organisation A owns data with unmistakable marker texts. Nobody outside A may ever see a
marker, get a 200 for one of A's objects, or change anything of A's. New URLs are walked
automatically; a URL with a new kind of argument fails here until a sample value is added.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from zio.accounts.tests.factories import UserFactory
from zio.api.models import ApiToken
from zio.audit.models import Action as AuditAction
from zio.audit.models import AuditEvent
from zio.costs.models import CostLine, Scenario, Tariff
from zio.exports import services as export_services
from zio.exports.document import Audience
from zio.exports.models import ExportJob
from zio.grouping import services as grouping_services
from zio.grouping.models import Group, GroupingRun
from zio.library import services as library_services
from zio.library.models import Publication, PublicationReaction
from zio.organisations import services as org_services
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Invitation, Membership, Organisation, Region
from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory
from zio.personas import services as persona_services
from zio.personas.constants import Section
from zio.personas.models import (
    HiddenSignal,
    Persona,
    PersonaComment,
    PersonaItem,
    PersonaRevision,
    Signal,
    SignalDomain,
)
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory
from zio.regions.models import RegionShare
from zio.screening import services as screening_services
from zio.screening.models import Screening
from zio.screening.tests.helpers import population_csv
from zio.workshops import services as workshop_services
from zio.workshops.constants import Round, Starter
from zio.workshops.models import (
    Action,
    Note,
    Participant,
    Reaction,
    Workshop,
    WorkshopTable,
)

from .urlwalk import Route, all_routes, is_admin, unnamed_routes

MARKERS = (
    "Marker-Organisatie-A-7Q",
    "marker-a-lid@a.example",
    "Marker-Persona-A-3X",
    "Marker-Regel-A-9K",
    "Marker-Kostenregel-A-5T",
    "Marker-Tarief-A-8W",
    "Marker-Regio-A-2M",
    "Marker-Scenario-A-4P",
    "Marker-Reactie-A-6J",
    "Marker-Signaal-A-1V",
    "Marker-Groep-A-8Z",
    "Marker-Sleutel-A-3S",
)

# Pages that anyone may open without logging in.
PUBLIC_ROUTES = {
    "common:health",
    "common:favicon",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "organisations:invitation_accept",  # the secret token in the link is the credential
    "organisations:deleted",  # says only that an organisation was deleted; holds no data
    "workshops:join",  # the session's code is the credential, typed into the form
    "api:docs",  # describes the API; holds no data
    "api:v1:openapi-json",  # the API's schema; holds no data
    "admin:login",
    "admin:logout",
}

# The invitation token and password-reset token are secrets: a sample stands for a guess.
GUESSED_SECRETS = {"token": "geraden-token", "uidb64": "MQ"}
# Arguments that choose a form of a page, not an object of organisation A.
NOT_OBJECTS = {"file_format": "xlsx", "action": "post-it"}
# The library is shared by every organisation on purpose: B may read A's publication, adopt
# it and react to it. For these routes B's status is not required to be 403/404 (the page of
# the publication must even be 200, so that the marker check below reads the real page);
# every other check still holds: B sees no marker (A publishes without its name, and from a
# persona whose texts carry none), and nothing of A's changes.
SHARED_WITH_EVERY_ORGANISATION = {"library:detail", "library:adopt", "library:react"}

ROUTES = all_routes()


def is_api(route: Route) -> bool:
    """The operations of the JSON API. They authenticate by token only, so every request here
    (anonymous, or logged in without a token) must get 401, or 405 for a method the path does
    not have. zio/api/tests/test_leaks.py calls each of them with a token of another
    organisation."""
    return route.name.startswith("api:v1:") and route.name not in PUBLIC_ROUTES


def _refused(route: Route, response) -> bool:
    if is_api(route):
        return response.status_code in {401, 404, 405}
    return _is_login_redirect(response) or response.status_code in {403, 404, 405}


@pytest.fixture
def world(db: None) -> dict[str, object]:
    org_a = OrganisationFactory.create(name=MARKERS[0])
    beheerder_a = MembershipFactory.create(
        organisation=org_a, role=Role.BEHEERDER, user=UserFactory.create(email=MARKERS[1])
    )
    opsteller_a = MembershipFactory.create(organisation=org_a, role=Role.OPSTELLER)
    invitation_a, _ = org_services.invitation_create(
        organisation=org_a, role=Role.OPSTELLER, created_by=beheerder_a.user, note=MARKERS[0]
    )
    persona_a = PersonaFactory.create(organisation=org_a, name=MARKERS[2])
    PersonaItemFactory.create(persona=persona_a, text=MARKERS[3])
    from zio.costs.constants import ScenarioKind
    from zio.costs.tests.factories import CostLineFactory, ScenarioFactory, TariffFactory
    from zio.organisations.tests.factories import RegionFactory

    region_a = RegionFactory.create(name=MARKERS[6])
    region_a.organisations.add(org_a)
    tariff_a = TariffFactory.create(region=region_a, name=MARKERS[5])
    scenario_a = ScenarioFactory.create(
        persona=persona_a, kind=ScenarioKind.DESIRED, label="A", name=MARKERS[7]
    )
    line_a = CostLineFactory.create(scenario=scenario_a, description=MARKERS[4], tariff=tariff_a)
    # A shares its persona with its region: only the region's members may see it there.
    from zio.regions.services import persona_shares_set

    persona_shares_set(persona=persona_a, regions=[region_a], user=beheerder_a.user)
    comment_a = PersonaComment.objects.create(
        persona=persona_a, section=Section.WHO, author=beheerder_a.user, text=MARKERS[8]
    )
    revision_a = persona_services.persona_changed(
        persona_a, user=beheerder_a.user, summary=MARKERS[2]
    )
    signal_a = persona_services.signal_add(
        organisation=org_a, domain=SignalDomain.objects.get(code="gedrag"), name=MARKERS[9]
    )
    # A's screening has A's own signal as a column: its name must not reach anyone else.
    screening_job_a = screening_services.screening_import_start(
        organisation=org_a,
        school_year="2026-2027",
        filename="a.csv",
        data=population_csv(org_a, pupils=30),
        user=beheerder_a.user,
    )
    screening_a = screening_job_a.screening
    assert screening_a is not None
    run_a = grouping_services.grouping_start(
        organisation=org_a, screenings=[screening_a], user=None, k=2, seed=1
    )
    run_a = grouping_services.grouping_execute(run_id=run_a.pk)
    group_a = run_a.groups.order_by("number").first()
    assert group_a is not None
    grouping_services.group_rename(group=group_a, title=MARKERS[10], user=beheerder_a.user)

    # A file made by A (its content names A's persona) that only A may download.
    export_a = export_services.export_start(
        organisation=org_a,
        user=beheerder_a.user,
        format_key="json",
        audience=Audience.INTERNAL,
        persona_ids=[persona_a.pk],
    )
    assert export_a.status == "klaar"

    # A doen-sessie of A with a next step (and so an action) that names A's persona.
    workshop_a = workshop_services.workshop_create(
        organisation=org_a, user=beheerder_a.user, title=MARKERS[0]
    )
    table_a = workshop_a.tables.get()
    workshop_services.round_start(table=table_a, user=beheerder_a.user, round=Round.NEXT_STEPS)
    step_a = workshop_services.next_step_add(
        table=table_a,
        participant=workshop_a.participants.get(),
        starter=Starter.SUPPORT,
        who=MARKERS[1],
        what=MARKERS[2],
        when="morgen",
    )

    # A publishes a persona in the library, without its name; its makers react to it.
    library_persona_a = PersonaFactory.create(organisation=org_a, name="Bibliotheekpersona")
    PersonaItemFactory.create(persona=library_persona_a, text="Een rustige plek in de klas")
    CostLineFactory.create(
        scenario=ScenarioFactory.create(persona=library_persona_a, kind=ScenarioKind.CURRENT)
    )
    publication_a = library_services.publication_publish(
        persona=library_persona_a,
        user=beheerder_a.user,
        title="Rust in de klas",
        show_organisation=False,
        with_costs=True,
    )
    library_reaction_a = library_services.reaction_add(
        publication=publication_a,
        user=beheerder_a.user,
        organisation=org_a,
        text="Bij ons werkte dit goed",
        show_organisation=True,
    )

    # A's API token: its name must not show, and nobody else may revoke it.
    from zio.api.services import api_token_create

    token_a, _secret = api_token_create(
        user=beheerder_a.user, organisation=org_a, name="Marker-Sleutel-A-3S"
    )

    # A's audit log names A's members and persona's.
    AuditEvent.objects.create(
        organisation_id=org_a.pk,
        organisation_name=org_a.name,
        actor_id=beheerder_a.user.pk,
        actor_name=MARKERS[1],
        action=AuditAction.VIEWED,
        object_type="persona",
        object_id=str(persona_a.pk),
        object_label=MARKERS[2],
    )

    org_b = OrganisationFactory.create(name="Andere Organisatie B", kind=OrganisationKind.SCHOOL)
    beheerder_b = MembershipFactory.create(organisation=org_b, role=Role.BEHEERDER)
    PersonaFactory.create(organisation=org_b, name="Persona B")
    return {
        "org_a": org_a,
        "user_b": beheerder_b.user,
        "samples": {
            "membership_id": opsteller_a.pk,
            "invitation_id": invitation_a.pk,
            "persona_id": persona_a.pk,
            "scenario_id": scenario_a.pk,
            "line_id": line_a.pk,
            "tariff_id": tariff_a.pk,
            "region_id": region_a.pk,
            "section": Section.WHO.value,
            "comment_id": comment_a.pk,
            "revision_id": revision_a.pk,
            "signal_id": signal_a.pk,
            # Django admin (platform staff only)
            "object_id": str(persona_a.pk),
            "app_label": "personas",
            "content_type_id": "1",
            "id": str(beheerder_a.user_id),
            "screening_id": screening_job_a.screening_id,
            "run_id": run_a.pk,
            "group_id": group_a.pk,
            "import_id": screening_job_a.pk,
            "job_id": export_a.pk,
            "action_id": step_a.action.pk,
            "workshop_id": workshop_a.pk,
            "table_id": table_a.pk,
            "step_id": step_a.pk,
            "token_id": token_a.pk,
            "publication_id": publication_a.pk,
            "reaction_id": library_reaction_a.pk,
            # The admin's page of a TOTP device (django-otp): staff only, like all of the admin.
            "pk": 1,
            **GUESSED_SECRETS,
            **NOT_OBJECTS,
        },
    }


def _url(route: Route, samples: dict[str, object]) -> str:
    missing = [k for k in route.kwargs if k not in samples]
    assert not missing, (
        f"URL {route} takes {missing}: add a sample value for organisation A's object to "
        f"tests/test_access.py so that this URL is checked for leaks."
    )
    return reverse(route.name, kwargs={k: samples[k] for k in route.kwargs})


def _snapshot_of_a(org_a: Organisation) -> tuple[object, ...]:
    org_a.refresh_from_db()
    return (
        org_a.name,
        org_a.require_two_factor,
        sorted(Membership.objects.filter(organisation=org_a).values_list("pk", "user_id", "role")),
        sorted(
            Invitation.objects.filter(organisation=org_a).values_list(
                "pk", "accepted_at", "revoked_at"
            )
        ),
        sorted(Persona.objects.filter(organisation=org_a).values_list("pk", "name", "status")),
        sorted(PersonaItem.objects.filter(persona__organisation=org_a).values_list("pk", "text")),
        sorted(
            PersonaComment.objects.filter(persona__organisation=org_a).values_list("pk", "text")
        ),
        PersonaRevision.objects.filter(persona__organisation=org_a).count(),
        sorted(Signal.objects.filter(organisation=org_a).values_list("pk", "name", "retired_at")),
        sorted(HiddenSignal.objects.filter(organisation=org_a).values_list("signal_id", flat=True)),
        sorted(
            CostLine.objects.filter(scenario__persona__organisation=org_a).values_list(
                "pk", "description", "rate", "position"
            )
        ),
        sorted(Scenario.objects.filter(persona__organisation=org_a).values_list("pk", "name")),
        sorted(
            Tariff.objects.filter(region__organisations=org_a).values_list("pk", "name", "amount")
        ),
        sorted(
            Screening.objects.filter(organisation=org_a).values_list(
                "pk", "replaced_at", "pooling_consent_at"
            )
        ),
        sorted(GroupingRun.objects.filter(organisation=org_a).values_list("pk", "status")),
        sorted(ExportJob.objects.filter(organisation=org_a).values_list("pk", "status")),
        sorted(
            Action.objects.filter(organisation=org_a).values_list(
                "pk", "status", "owner", "due_date"
            )
        ),
        sorted(
            WorkshopTable.objects.filter(workshop__organisation=org_a).values_list(
                "pk", "name", "facilitator_id", "round", "round_started_at"
            )
        ),
        sorted(Workshop.objects.filter(organisation=org_a).values_list("pk", "expires_at")),
        sorted(
            RegionShare.objects.filter(persona__organisation=org_a).values_list(
                "persona_id", "region_id"
            )
        ),
        sorted(
            Participant.objects.filter(workshop__organisation=org_a).values_list(
                "pk", "display_name", "table_id"
            )
        ),
        sorted(Note.objects.filter(table__workshop__organisation=org_a).values_list("pk", "text")),
        sorted(
            Reaction.objects.filter(next_step__table__workshop__organisation=org_a).values_list(
                "pk", "text"
            )
        ),
        sorted(
            Group.objects.filter(run__organisation=org_a).values_list(
                "pk", "title", "size", "set_aside", "merged_into"
            )
        ),
        sorted(
            (p.pk, p.title, p.show_organisation, p.with_costs, p.hidden_at, str(p.content))
            for p in Publication.objects.filter(organisation=org_a)
        ),
        sorted(
            PublicationReaction.objects.filter(organisation=org_a).values_list(
                "pk", "text", "hidden_at"
            )
        ),
        sorted(ApiToken.objects.filter(organisation=org_a).values_list("pk", "revoked_at")),
        # B's requests never write into A's log either.
        AuditEvent.objects.filter(organisation_id=org_a.pk).count(),
    )


def _assert_no_marker(response, route: Route, who: str) -> None:
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="replace")
    for marker in MARKERS:
        assert marker not in text, f"{who} sees organisation A's data ({marker}) at {route}"


def _is_login_redirect(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and (
        location.startswith(reverse(settings.LOGIN_URL))
        or location.startswith(reverse("admin:login"))
    )


def _post_data(org_a: Organisation) -> dict[str, object]:
    # Plausible form data for every form we have, aimed at organisation A.
    return {
        "organisation": org_a.pk,
        "role": Role.MEELEZER,
        "email": "indringer@b.example",
        "note": "poging",
        "name": "Overgenomen",
        "language": "nl",
        # Export A's persona's (B may not).
        "personas": list(Persona.objects.filter(organisation=org_a).values_list("pk", flat=True)),
        "format": "json",
        "audience": "intern",
        # Canvas forms of A's doen-sessie: sit at its table, add a post-it, start a round,
        # react to its next step, rename its table; and a guessed join code.
        "table": list(
            WorkshopTable.objects.filter(workshop__organisation=org_a).values_list("pk", flat=True)
        ),
        "postit-kind": "actor",
        "postit-text": "Indringer",
        "ronde-round": "kiezen",
        "code": "AAAA2222",
        "display_name": "Indringer",
        # Share A's persona with a region (B may not); "regions" of B's own are not A's.
        "regions": list(Region.objects.filter(organisations=org_a).values_list("pk", flat=True)),
        # Hide A's publication or reaction, withdraw it (B may not).
        "reason": "poging",
    }


def test_every_url_is_named() -> None:
    # Unnamed URLs cannot be reversed and so would escape this walk (Django admin's catch-all
    # aside, which only redirects).
    assert [r for r in unnamed_routes() if not r.startswith("admin:")] == []


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_anonymous_user_gets_no_data(route: Route, world: dict, client: Client) -> None:
    org_a = world["org_a"]
    url = _url(route, world["samples"])
    before = _snapshot_of_a(org_a)
    for method in ("get", "post"):
        response = getattr(client, method)(url, _post_data(org_a) if method == "post" else None)
        _assert_no_marker(response, route, "an anonymous user")
        if route.name not in PUBLIC_ROUTES and route.name not in {"common:home", "set_language"}:
            assert _refused(route, response), (
                f"anonymous {method.upper()} {url} gave {response.status_code}"
            )
    assert _snapshot_of_a(org_a) == before, f"an anonymous request to {route} changed A's data"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_user_of_another_organisation_gets_no_data(
    route: Route, world: dict, client_for: Callable
) -> None:
    org_a = world["org_a"]
    url = _url(route, world["samples"])
    points_at_an_object_of_a = bool(set(route.kwargs) - set(GUESSED_SECRETS) - set(NOT_OBJECTS))
    before = _snapshot_of_a(org_a)
    for method in ("get", "post"):
        client = client_for(world["user_b"])
        response = getattr(client, method)(url, _post_data(org_a) if method == "post" else None)
        _assert_no_marker(response, route, "a beheerder of organisation B")
        if route.name in SHARED_WITH_EVERY_ORGANISATION:
            if route.name == "library:detail" and method == "get":
                assert response.status_code == 200, f"B cannot read A's publication at {url}"
        elif points_at_an_object_of_a and is_api(route):
            # No token, so no access at all; B's token: zio/api/tests/test_leaks.py.
            assert response.status_code in {401, 405}, (
                f"B's {method.upper()} without a token on {url} gave {response.status_code}"
            )
        elif points_at_an_object_of_a and not is_admin(route):
            assert response.status_code in {403, 404, 405}, (
                f"B's {method.upper()} on A's object at {url} gave {response.status_code}"
            )
        if is_admin(route) and route.name not in PUBLIC_ROUTES:
            assert _is_login_redirect(response), f"non-staff user reached {url}"
    assert _snapshot_of_a(org_a) == before, f"B's requests to {route} changed A's data"


@pytest.fixture
def guest_of_another_session(world: dict) -> Client:
    """A guest (no account) with a code of a second session of organisation A: the code must
    open that session only, never the first one (the samples) nor anything else of A."""
    org_a = world["org_a"]
    leader = Membership.objects.filter(organisation=org_a, role=Role.BEHEERDER).get().user
    second = workshop_services.workshop_create(organisation=org_a, user=leader, title="Tweede")
    client = Client()
    response = client.post(
        reverse("workshops:join"), {"code": second.join_code, "display_name": "Gast"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # the guest's own canvas
    return client


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_guest_code_opens_one_session_and_nothing_else(
    route: Route, world: dict, guest_of_another_session: Client
) -> None:
    org_a = world["org_a"]
    url = _url(route, world["samples"])
    before = _snapshot_of_a(org_a)
    for method in ("get", "post"):
        data = _post_data(org_a) if method == "post" else None
        response = getattr(guest_of_another_session, method)(url, data)
        _assert_no_marker(response, route, "a guest of another session")
        if route.name not in PUBLIC_ROUTES and route.name not in {"common:home", "set_language"}:
            assert _refused(route, response), (
                f"a guest's {method.upper()} {url} gave {response.status_code}"
            )
    assert _snapshot_of_a(org_a) == before, f"a guest's requests to {route} changed A's data"
