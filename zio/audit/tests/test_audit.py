from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zio.accounts.tests.factories import UserFactory
from zio.api.services import api_token_create
from zio.audit.models import Action, AppendOnlyError, AuditEvent, Via
from zio.audit.services import Subject, purge_expired, record, recording
from zio.costs.tests.factories import CostLineFactory, ScenarioFactory
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.personas.constants import Section
from zio.personas.services import ItemInput, persona_delete, persona_section_save
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory

pytestmark = pytest.mark.django_db


def _events(organisation: Organisation, **filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation_id=organisation.pk, **filters))


def _event(organisation: Organisation, **fields: object) -> AuditEvent:
    defaults: dict[str, object] = {
        "organisation_id": organisation.pk,
        "organisation_name": organisation.name,
        "actor_name": "Anna de Vries",
        "action": Action.CHANGED,
        "object_type": "persona",
        "object_id": "1",
        "object_label": "Esra",
    }
    defaults.update(fields)
    event = AuditEvent(**defaults)
    event.save()
    return event


# --- append-only ----------------------------------------------------------------------------


def test_events_cannot_be_changed_or_deleted_through_the_app(organisation: Organisation) -> None:
    event = _event(organisation)
    event.object_label = "Iemand anders"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(object_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).object_label == "Esra"


def test_the_database_refuses_an_update_even_in_raw_sql(organisation: Organisation) -> None:
    event = _event(organisation)
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_label = %s WHERE id = %s", ["x", event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).object_label == "Esra"


# --- what is logged -----------------------------------------------------------------------


def test_a_page_view_is_logged_with_who_which_organisation_and_from_where(
    opsteller: Membership, client_for: Callable[..., Client]
) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation, name="Esra")
    client = client_for(opsteller.user)
    AuditEvent.objects.purge_before(timezone.now() + timedelta(days=1))  # forget the log-in

    assert client.get(reverse("personas:detail", args=[persona.pk])).status_code == 200

    [event] = _events(opsteller.organisation)
    assert event.action == Action.VIEWED
    assert (event.object_type, event.object_id, event.object_label) == (
        "persona",
        str(persona.pk),
        "Esra",
    )
    assert event.actor_id == opsteller.user.pk
    assert event.actor_name == opsteller.user.get_full_name()
    assert event.organisation_name == opsteller.organisation.name
    assert event.via == Via.WEB
    assert event.client_address == "127.0.0.1"


def test_another_organisation_s_persona_is_not_logged_as_viewed(
    opsteller: Membership, other_organisation: Organisation, client_for: Callable[..., Client]
) -> None:
    theirs = PersonaFactory.create(organisation=other_organisation)
    client = client_for(opsteller.user)
    assert client.get(reverse("personas:detail", args=[theirs.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.VIEWED).exists()


def test_saving_a_section_is_one_change_of_the_persona(opsteller: Membership) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation)
    PersonaItemFactory.create(persona=persona, section=Section.WISHES, text="Oud")
    with recording(actor=opsteller.user, organisation=opsteller.organisation, via=Via.WEB):
        persona_section_save(
            persona=persona,
            section=Section.WISHES,
            items=[ItemInput(text="Rust"), ItemInput(text="Een vaste plek")],
            expected_version=persona.version_of(Section.WISHES),
            user=opsteller.user,
        )
    events = _events(opsteller.organisation)
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        (Action.CHANGED, "persona", str(persona.pk))
    ]
    assert events[0].actor_id == opsteller.user.pk


def test_deleting_a_persona_is_logged_once_not_per_cost_line(opsteller: Membership) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation, name="Noor")
    scenario = ScenarioFactory.create(persona=persona)
    CostLineFactory.create_batch(3, scenario=scenario)
    with recording(actor=opsteller.user, organisation=opsteller.organisation):
        persona_delete(persona=persona)
    events = _events(opsteller.organisation)
    assert [(e.action, e.object_label) for e in events] == [(Action.DELETED, "Noor")]


def test_removing_one_cost_line_changes_its_persona(opsteller: Membership) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation)
    line = CostLineFactory.create(scenario=ScenarioFactory.create(persona=persona))
    with recording(actor=opsteller.user):
        line.delete()
    [event] = _events(opsteller.organisation)
    assert (event.action, event.object_id, event.detail) == (
        Action.CHANGED,
        str(persona.pk),
        "kosten",
    )


def test_a_rolled_back_write_leaves_no_event(opsteller: Membership) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation)
    with recording(actor=opsteller.user), pytest.raises(RuntimeError), transaction.atomic():
        persona.name = "Nieuw"
        persona.save()
        raise RuntimeError("half way")
    assert _events(opsteller.organisation) == []


def test_writes_outside_a_recording_are_not_logged(organisation: Organisation) -> None:
    PersonaFactory.create(organisation=organisation)
    assert not AuditEvent.objects.exists()


def test_membership_changes_are_logged(beheerder: Membership, make_member: Callable) -> None:
    with recording(actor=beheerder.user, organisation=beheerder.organisation):
        member = make_member(beheerder.organisation, Role.MEELEZER)
        member.role = Role.OPSTELLER
        member.save()
        member.delete()
    actions = [e.action for e in _events(beheerder.organisation, object_type="membership")]
    assert sorted(actions) == sorted([Action.CREATED, Action.CHANGED, Action.DELETED])


def test_log_in_and_log_out_appear_in_each_organisation_of_the_user(
    organisation: Organisation, other_organisation: Organisation, make_member: Callable
) -> None:
    user = UserFactory.create(password="een-lang-wachtwoord")  # noqa: S106
    make_member(organisation, Role.MEELEZER, user)
    make_member(other_organisation, Role.OPSTELLER, user)
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": "een-lang-wachtwoord"}
    )
    assert response.status_code == 302
    client.post(reverse("accounts:logout"))
    for org in (organisation, other_organisation):
        assert [e.action for e in _events(org, actor_id=user.pk)] == [
            Action.LOGGED_OUT,
            Action.LOGGED_IN,
        ]


def test_api_reads_are_logged_as_via_the_api(
    opsteller: Membership,
) -> None:
    persona = PersonaFactory.create(organisation=opsteller.organisation)
    _token, secret = api_token_create(
        user=opsteller.user, organisation=opsteller.organisation, name="Koppeling"
    )
    response = Client().get(
        f"/api/v1/personas/{persona.pk}", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    [event] = _events(opsteller.organisation, action=Action.VIEWED)
    assert (event.via, event.actor_id, event.object_id) == (
        Via.API,
        opsteller.user.pk,
        str(persona.pk),
    )


def test_each_subject_is_logged_once_per_recording(organisation: Organisation) -> None:
    subject = Subject("persona", "7", "Esra", organisation.pk, organisation.name)
    with recording():
        assert record(Action.CHANGED, subject) is not None
        assert record(Action.CHANGED, subject) is None
        assert record(Action.EXPORTED, subject) is not None
    assert len(_events(organisation)) == 2


# --- the beheerder's page and exports -----------------------------------------------------


def test_only_a_beheerder_sees_the_log(
    opsteller: Membership, meelezer: Membership, client_for: Callable[..., Client]
) -> None:
    for member in (opsteller, meelezer):
        assert client_for(member.user).get(reverse("audit:log")).status_code == 403
        assert client_for(member.user).get(reverse("audit:export", args=["csv"])).status_code == 403


def test_the_log_page_shows_this_organisation_only(
    beheerder: Membership, other_organisation: Organisation, client_for: Callable[..., Client]
) -> None:
    _event(beheerder.organisation, object_label="EIGEN-MARKER")
    _event(other_organisation, object_label="ANDER-MARKER")
    page = client_for(beheerder.user).get(reverse("audit:log")).content.decode()
    assert "EIGEN-MARKER" in page
    assert "ANDER-MARKER" not in page


def test_filters_narrow_the_log_and_a_reversed_period_is_explained(
    beheerder: Membership, client_for: Callable[..., Client]
) -> None:
    org = beheerder.organisation
    _event(org, object_label="BEKEKEN-MARKER", action=Action.VIEWED)
    _event(org, object_label="VERWIJDERD-MARKER", action=Action.DELETED)
    client = client_for(beheerder.user)
    page = client.get(reverse("audit:log"), {"action": Action.DELETED}).content.decode()
    assert "VERWIJDERD-MARKER" in page and "BEKEKEN-MARKER" not in page

    today = timezone.localdate()
    response = client.get(
        reverse("audit:log"),
        {"start": today.isoformat(), "end": (today - timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "Deze datum ligt vóór de datum bij Vanaf." in response.content.decode()


def test_the_csv_and_excel_exports_are_safe_and_are_themselves_logged(
    beheerder: Membership, other_organisation: Organisation, client_for: Callable[..., Client]
) -> None:
    _event(beheerder.organisation, object_label='=HYPERLINK("http://x","klik")')
    _event(other_organisation, object_label="ANDER-MARKER")
    client = client_for(beheerder.user)

    response = client.get(reverse("audit:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    labels = [row[5] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","klik")' in labels
    assert "ANDER-MARKER" not in text

    response = client.get(reverse("audit:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://x","klik")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)

    exported = _events(beheerder.organisation, action=Action.EXPORTED, object_type="audit_log")
    assert sorted(e.detail for e in exported) == ["csv", "xlsx"]


# --- retention ------------------------------------------------------------------------------


def test_retention_deletes_only_events_older_than_the_period(organisation: Organisation) -> None:
    now = timezone.now()
    old = _event(organisation, object_label="oud", at=now - timedelta(days=731))
    kept = _event(organisation, object_label="nieuw", at=now - timedelta(days=729))
    assert purge_expired(now=now, days=730) == 1
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditEvent.objects.filter(pk=old.pk).exists()


def test_the_retention_command_has_a_dry_run(organisation: Organisation) -> None:
    _event(organisation, at=timezone.now() - timedelta(days=5))
    recent = _event(organisation)
    out = io.StringIO()
    call_command("audit_retention", "--days", "1", "--dry-run", stdout=out)
    assert "Would delete 1 " in out.getvalue()
    assert AuditEvent.objects.count() == 2
    call_command("audit_retention", "--days", "1", stdout=out)
    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_log_is_paged_and_the_filters_stay_on_the_next_page(
    beheerder: Membership, client_for: Callable[..., Client]
) -> None:
    for n in range(55):
        _event(beheerder.organisation, object_label=f"regel-{n}", action=Action.CHANGED)
    page = (
        client_for(beheerder.user)
        .get(reverse("audit:log"), {"action": Action.CHANGED})
        .content.decode()
    )
    assert "Pagina 1 van 2" in page
    assert "action=changed&amp;pagina=2" in page
    assert page.count("regel-") == 50


def test_the_person_filter_lists_everyone_in_the_log_by_their_latest_name(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    from zio.audit.selectors import actors_in_log

    now = timezone.now()
    _event(organisation, actor_id=7, actor_name="Anna Jansen", at=now - timedelta(days=9))
    _event(organisation, actor_id=7, actor_name="Anna de Vries", at=now - timedelta(days=1))
    _event(organisation, actor_id=8, actor_name="bram@school.example", at=now)
    _event(organisation, actor_id=None, actor_name="")
    _event(other_organisation, actor_id=9, actor_name="Iemand Anders")
    assert actors_in_log(organisation.pk) == [(7, "Anna de Vries"), (8, "bram@school.example")]
