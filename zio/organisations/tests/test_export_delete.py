"""Exporting all of an organisation's data, and deleting it (zio/organisations/archive.py,
services.delete_organisation, the two pages and the two commands)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from zio.accounts.models import User
from zio.accounts.tests.factories import PASSWORD, UserFactory
from zio.api import services as api_services
from zio.api.models import ApiToken
from zio.api.tests.conftest import make_world
from zio.common.files import write_private
from zio.costs.models import CostLine
from zio.exports.models import ExportJob, ExportStatus
from zio.exports.services import export_path
from zio.exports.tests.factories import filled_persona
from zio.library import services as library_services
from zio.library.models import Adoption, Publication, PublicationReaction
from zio.organisations import archive, services
from zio.organisations.active import SESSION_KEY as ACTIVE_SESSION_KEY
from zio.organisations.constants import Role
from zio.organisations.forms import WRONG_ORGANISATION_NAME, WRONG_PASSWORD
from zio.organisations.models import Invitation, Membership, Organisation
from zio.personas.models import Persona
from zio.screening.models import ImportStatus, Screening, ScreeningImport
from zio.screening.services import _private_path as screening_upload_path
from zio.workshops import services as workshop_services
from zio.workshops.constants import NoteKind, Round
from zio.workshops.models import Participant

MARKER_A = "Anker-A-5K"
MARKER_B = "Buiten-B-9Z"


@dataclass
class Setup:
    a: Organisation
    b: Organisation
    beheerder: Membership  # only in A
    shared: User  # member of A and of B
    b_beheerder: Membership  # only in B
    secrets: list[str]  # must never be in an export
    files: dict[Path, bytes]  # A's private files and their content
    b_files: dict[Path, bytes]


def _own_world(organisation: Organisation, marker: str, author: Membership) -> dict[Path, bytes]:
    """Everything an organisation can have, named with `marker`. Returns its private files."""
    world = make_world(organisation, marker, author)
    esra = filled_persona(organisation, name=f"{marker}-Esra")
    library_services.publication_publish(
        persona=esra,
        user=author.user,
        title=f"{marker}-publicatie",
        show_organisation=True,
        with_costs=True,
    )
    workshop = workshop_services.workshop_create(
        organisation=organisation,
        user=author.user,
        title=f"{marker}-tweede-sessie",
        personas=[world.persona, esra],
    )
    table = workshop.tables.get()
    participant = workshop.participants.get()
    workshop_services.round_start(table=table, user=author.user, round=Round.ACTORS_FACTORS)
    note = workshop_services.note_add(
        table=table, participant=participant, kind=NoteKind.ACTOR, text=f"{marker}-postit"
    )
    workshop_services.round_start(table=table, user=author.user, round=Round.CHOOSE)
    workshop_services.vote_cast(participant=participant, note=note)

    job = ExportJob.objects.create(
        organisation=organisation,
        format="pdf",
        audience="partners",
        persona_ids=[esra.pk],
        status=ExportStatus.DONE,
        filename=f"{marker}.pdf",
        created_by=author.user,
    )
    export_content = f"%PDF {marker} ".encode() + os.urandom(2048)
    write_private(export_path(job), export_content)
    waiting = ScreeningImport.objects.create(
        organisation=organisation,
        school_year="2027-2028",
        filename="groot.csv",
        size=10,
        status=ImportStatus.QUEUED,
        created_by=author.user,
    )
    upload_content = f"Leerlingcode;{marker}\n".encode()
    write_private(screening_upload_path(waiting), upload_content, exclusive=True)
    return {export_path(job): export_content, screening_upload_path(waiting): upload_content}


@pytest.fixture
def setup(
    organisation: Organisation,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
) -> Setup:
    beheerder = make_member(organisation, Role.BEHEERDER)
    b_beheerder = make_member(other_organisation, Role.BEHEERDER)
    shared = UserFactory.create(full_name="Gedeelde Lid")
    make_member(organisation, Role.OPSTELLER, user=shared)
    make_member(other_organisation, Role.MEELEZER, user=shared)
    make_member(organisation, Role.MEELEZER)

    files = _own_world(organisation, MARKER_A, beheerder)
    b_files = _own_world(other_organisation, MARKER_B, b_beheerder)

    _token, api_secret = api_services.api_token_create(
        user=beheerder.user, organisation=organisation, name="Rapportage"
    )
    _invitation, invitation_token = services.invitation_create(
        organisation=organisation, role=Role.OPSTELLER, created_by=beheerder.user
    )
    secrets = [api_secret, invitation_token]
    secrets += list(ApiToken.objects.values_list("secret_hash", flat=True))
    secrets += list(Invitation.objects.values_list("token_hash", flat=True))
    secrets += [u.password for u in User.objects.all()]
    secrets += [h for h in Participant.objects.values_list("token_hash", flat=True) if h]
    return Setup(
        organisation, other_organisation, beheerder, shared, b_beheerder, secrets, files, b_files
    )


def _export(organisation: Organisation) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    archive.write_export(organisation, buffer)
    buffer.seek(0)
    return zipfile.ZipFile(buffer)


def _rows(zf: zipfile.ZipFile, model: type[models.Model]) -> dict[Any, models.Model]:
    data = zf.read(f"data/{model._meta.label_lower}.json")
    return {d.object.pk: d.object for d in serializers.deserialize("json", data)}


def _value(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    value = getattr(instance, field.attname)
    return bytes(value) if isinstance(value, memoryview) else value


def _assert_identical(zf: zipfile.ZipFile, queryset: models.QuerySet[Any]) -> int:
    exported = _rows(zf, queryset.model)
    in_database = {obj.pk: obj for obj in queryset}
    assert set(exported) == set(in_database)
    for pk, row in in_database.items():
        for field in queryset.model._meta.concrete_fields:
            assert _value(exported[pk], field) == _value(row, field), (pk, field.name)
    return len(in_database)


def _organisation_rows(organisation: Organisation) -> dict[str, set[Any]]:
    collector = archive.collect(organisation, deleting=False)
    return {
        model._meta.label_lower: {obj.pk for obj in objs}
        for model, objs in archive.rows_by_model(collector).items()
    }


def _models_with_organisation_fk() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Organisation:
                found.append((model, field.name))
    return found


# --- export -----------------------------------------------------------------------------------


def test_export_holds_every_row_identical_to_the_database(setup: Setup) -> None:
    a = setup.a
    with _export(a) as zf:
        personas = _assert_identical(zf, Persona.objects.filter(organisation=a))
        lines = _assert_identical(zf, CostLine.objects.filter(scenario__persona__organisation=a))
        screenings = _assert_identical(zf, Screening.objects.filter(organisation=a))
        manifest = json.loads(zf.read("manifest.json"))

    assert personas == 2 and lines >= 6 and screenings == 1
    # The derived amount too, and it is really there in the JSON (not recomputed on reading).
    with _export(a) as zf:
        exported = json.loads(zf.read("data/costs.costline.json"))
    exported_cents = {row["pk"]: row["fields"]["unit_amount_cents"] for row in exported}
    assert exported_cents == dict(
        CostLine.objects.filter(scenario__persona__organisation=a).values_list(
            "pk", "unit_amount_cents"
        )
    )
    assert manifest["organisation"]["slug"] == a.slug
    assert manifest["organisation"]["name"] == a.name
    assert manifest["organisation"]["created_at"] == a.created_at.isoformat()
    assert manifest["counts"]["personas.persona"] == 2
    assert manifest["counts"]["accounts.user"] == 3
    assert "organisations" in manifest["migrations"]
    assert "api.apitoken.secret_hash" in manifest["left_out"]["fields"]


def test_export_counts_every_row_the_deletion_would_remove(setup: Setup) -> None:
    expected = _organisation_rows(setup.a)
    with _export(setup.a) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for label, pks in expected.items():
            assert manifest["counts"][label] == len(pks), label
            data = json.loads(zf.read(f"data/{label}.json"))
            assert {str(row["pk"]) for row in data} == {str(pk) for pk in pks}, label
    for label in ("grouping.group", "workshops.note", "workshops.vote", "workshops.action"):
        assert expected.get(label), label


def test_export_holds_the_files_byte_for_byte(setup: Setup) -> None:
    with _export(setup.a) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        listed = {entry["name"]: entry for entry in manifest["files"]}
        root = Path(archive.settings.PRIVATE_UPLOAD_ROOT)
        assert len(listed) == len(setup.files) == 2
        for path, content in setup.files.items():
            name = f"files/private/{path.relative_to(root).as_posix()}"
            assert zf.read(name) == content
            assert listed[name]["sha256"] == hashlib.sha256(content).hexdigest()
            assert listed[name]["size"] == len(content)
        assert "README.txt" in zf.namelist()
        assert "Alle gegevens van" in zf.read("README.txt").decode()


def test_export_holds_no_secrets_and_nothing_of_the_other_organisation(setup: Setup) -> None:
    with _export(setup.a) as zf:
        everything = b"".join(zf.read(name) for name in zf.namelist())
        users = json.loads(zf.read("data/accounts.user.json"))
        rows = [
            row
            for name in zf.namelist()
            if name.startswith("data/")
            for row in json.loads(zf.read(name))
        ]
    for secret in setup.secrets:
        assert secret.encode() not in everything
    assert b"password" not in everything
    assert {tuple(sorted(u["fields"])) for u in users} == {("date_joined", "email", "full_name")}
    assert {u["fields"]["email"] for u in users} == set(
        Membership.objects.filter(organisation=setup.a).values_list("user__email", flat=True)
    )

    assert MARKER_B.encode() not in everything
    assert setup.b_beheerder.user.email.encode() not in everything
    for row in rows:
        if "organisation" in row["fields"]:
            assert row["fields"]["organisation"] == setup.a.pk, row["model"]


# --- delete -----------------------------------------------------------------------------------


def test_delete_removes_all_of_it_and_nothing_of_the_other(
    setup: Setup, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = setup.a, setup.b
    before_a = _organisation_rows(a)
    before_b = _organisation_rows(b)
    a_pk = a.pk
    only_a = set(
        Membership.objects.filter(organisation=a)
        .exclude(user=setup.shared)
        .values_list("user", flat=True)
    )
    assert len(only_a) == 2

    with django_capture_on_commit_callbacks() as callbacks:
        result = services.delete_organisation(a, by=setup.beheerder.user)
    # Until the commit, the files are still there (a rollback would need them).
    for path, content in setup.files.items():
        assert path.read_bytes() == content
    for callback in callbacks:
        callback()

    assert result.deleted_user_ids == only_a
    # Every row the collector found is gone, and no model holds a row of the organisation.
    for label, pks in before_a.items():
        model = apps.get_model(label)
        assert not model._base_manager.filter(pk__in=pks).exists(), label
    for model, field in _models_with_organisation_fk():
        assert not model._base_manager.filter(**{f"{field}_id": a_pk}).exists(), model
    # The other organisation has exactly what it had.
    assert _organisation_rows(b) == before_b
    # Files went after the commit; the other organisation's stayed.
    for path in setup.files:
        assert not path.exists()
    for path, content in setup.b_files.items():
        assert path.read_bytes() == content
    # Accounts: gone when they belonged only here, kept when they belong elsewhere too.
    assert not User.objects.filter(pk__in=only_a).exists()
    assert User.objects.filter(pk=setup.shared.pk).exists()
    assert Membership.objects.filter(user=setup.shared, organisation=b).exists()


def test_delete_keeps_the_other_organisations_copies(
    setup: Setup, make_member: Callable[..., Membership]
) -> None:
    """What other organisations took from this one stays theirs; this one's words on their
    publications go; a deleted account's place at their doen-sessie stays, as a guest."""
    a, b = setup.a, setup.b
    a_publication = Publication.objects.get(organisation=a)
    b_publication = Publication.objects.get(organisation=b)
    adopted = library_services.publication_adopt(
        publication=a_publication, organisation=b, user=setup.b_beheerder.user
    )
    reaction = library_services.reaction_add(
        publication=b_publication,
        user=setup.beheerder.user,
        organisation=a,
        text="Bij ons werkte dit goed.",
        show_organisation=True,
    )
    b_workshop = workshop_services.workshop_create(
        organisation=b, user=setup.b_beheerder.user, title="Sessie van B"
    )
    guest_seat = workshop_services.participant_join_as_member(
        workshop=b_workshop, user=setup.beheerder.user, organisation=a
    )
    with _export(a) as zf:
        assert reaction.pk in _rows(zf, PublicationReaction)

    services.delete_organisation(a, by=setup.beheerder.user)

    adopted.refresh_from_db()
    adoption = Adoption.objects.get(persona=adopted)
    assert adoption.publication is None
    assert adoption.title_at_adoption == a_publication.title
    assert not PublicationReaction.objects.filter(pk=reaction.pk).exists()
    guest_seat.refresh_from_db()
    assert guest_seat.user_id is None
    assert guest_seat.display_name == setup.beheerder.user.full_name[:60]


def test_a_failure_late_in_the_deletion_leaves_everything(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    before = _organisation_rows(setup.a)
    users = User.objects.count()

    def broken(user_ids: set[int]) -> set[int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_delete_leaving_users", broken)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        services.delete_organisation(setup.a, by=setup.beheerder.user)

    assert callbacks == []
    assert _organisation_rows(setup.a) == before
    assert User.objects.count() == users
    for path, content in setup.files.items():
        assert path.read_bytes() == content


def test_only_a_beheerder_or_staff_may_delete(setup: Setup) -> None:
    with pytest.raises(services.PermissionDenied):
        services.delete_organisation(setup.a, by=setup.shared)  # opsteller in A
    with pytest.raises(services.PermissionDenied):
        services.delete_organisation(setup.a, by=setup.b_beheerder.user)
    assert Organisation.objects.filter(pk=setup.a.pk).exists()


def test_no_foreign_key_blocks_the_deletion(setup: Setup) -> None:
    # PROTECT/RESTRICT rows would stop the deletion; there must be none (see archive.collect).
    assert archive.collect(setup.a, deleting=True).protected == set()


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["organisations:data_export", "organisations:delete"])
@pytest.mark.parametrize("role", [Role.OPSTELLER, Role.MEELEZER])
def test_pages_are_for_beheerders_only(
    url_name: str,
    role: Role,
    organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[[User], Client],
) -> None:
    member = make_member(organisation, role)
    client = client_for(member.user)
    assert client.get(reverse(url_name)).status_code == 403
    data = {"name": organisation.name, "password": PASSWORD}
    assert client.post(reverse(url_name), data).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_export_page_and_download(
    organisation: Organisation, beheerder: Membership, client_for: Callable[[User], Client]
) -> None:
    filled_persona(organisation, name="Esra")
    client = client_for(beheerder.user)
    page = client.get(reverse("organisations:data_export"))
    assert page.status_code == 200
    assert "Alle gegevens downloaden" in page.content.decode()

    response = client.post(reverse("organisations:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"zio-gegevens-{organisation.slug}-" in disposition
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:  # type: ignore[attr-defined]
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["organisation"]["slug"] == organisation.slug
    assert manifest["counts"]["personas.persona"] == 1


def test_overview_links_to_both_pages_for_beheerders_only(
    organisation: Organisation,
    beheerder: Membership,
    opsteller: Membership,
    client_for: Callable[[User], Client],
) -> None:
    links = [reverse("organisations:data_export"), reverse("organisations:delete")]
    page = client_for(beheerder.user).get(reverse("organisations:overview")).content.decode()
    assert all(f'href="{link}"' in page for link in links)
    page = client_for(opsteller.user).get(reverse("organisations:overview")).content.decode()
    assert not any(f'href="{link}"' in page for link in links)


def test_delete_page_says_what_goes(setup: Setup, client_for: Callable[[User], Client]) -> None:
    page = client_for(setup.beheerder.user).get(reverse("organisations:delete"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<th scope="row">Persona&#x27;s</th><td>2</td>' in html
    assert '<th scope="row">Leden</th><td>3</td>' in html
    assert reverse("organisations:data_export") in html
    assert escape(setup.beheerder.user.get_full_name()) in html  # its account goes too
    assert escape(setup.shared.get_full_name()) not in html


@pytest.mark.parametrize(
    ("field", "data", "message"),
    [
        ("name", {"name": "sbo het anker", "password": PASSWORD}, WRONG_ORGANISATION_NAME),
        ("name", {"name": "", "password": PASSWORD}, None),
        ("password", {"name": "SBO Het Anker", "password": "fout"}, WRONG_PASSWORD),
    ],
)
def test_wrong_name_or_password_deletes_nothing(
    field: str,
    data: dict[str, str],
    message: Any,
    organisation: Organisation,
    beheerder: Membership,
    client_for: Callable[[User], Client],
) -> None:
    filled_persona(organisation)
    response = client_for(beheerder.user).post(reverse("organisations:delete"), data)
    assert response.status_code == 400
    html = response.content.decode()
    form = response.context["form"]
    assert list(form.errors) == [field]
    if message is not None:
        assert form.errors[field] == [str(message)]
        assert str(message) in html
    described = re.search(rf'id="id_{field}"[^>]*aria-describedby="([^"]*)"', html) or re.search(
        rf'aria-describedby="([^"]*)"[^>]*id="id_{field}"', html
    )
    assert described is not None
    assert f"id_{field}_error" in described.group(1).split()
    assert f'id="id_{field}_error"' in html
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Persona.objects.filter(organisation=organisation).count() == 1
    assert User.objects.filter(pk=beheerder.user.pk).exists()


def test_guessing_the_password_on_the_delete_page_is_locked_out_like_the_log_in(
    organisation: Organisation,
    beheerder: Membership,
    client_for: Callable[[User], Client],
    settings: Any,
) -> None:
    client = client_for(beheerder.user)
    url = reverse("organisations:delete")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(url, {"name": organisation.name, "password": "geraden"})
        # Wrong passwords are explained at the field until the last allowed one locks.
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 400)
    # Now even the right password is refused, and the log-in is locked for this address too.
    response = client.post(url, {"name": organisation.name, "password": PASSWORD})
    assert response.status_code == 429
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    login = Client().post(
        reverse("accounts:login"), {"username": beheerder.user.email, "password": PASSWORD}
    )
    assert login.status_code == 429


def test_delete_logs_out_a_beheerder_without_other_organisations(
    organisation: Organisation, beheerder: Membership, client_for: Callable[[User], Client]
) -> None:
    filled_persona(organisation)
    client = client_for(beheerder.user)
    response = client.post(
        reverse("organisations:delete"), {"name": organisation.name, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:deleted")
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert not User.objects.filter(pk=beheerder.user.pk).exists()
    assert AUTH_SESSION_KEY not in client.session

    page = client.get(reverse("organisations:deleted"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "SBO Het Anker en alle gegevens ervan zijn verwijderd." in html
    assert "Je account hoorde alleen bij deze organisatie en is ook verwijderd." in html


def test_delete_switches_a_beheerder_with_another_organisation(
    organisation: Organisation,
    other_organisation: Organisation,
    beheerder: Membership,
    make_member: Callable[..., Membership],
    client_for: Callable[[User], Client],
) -> None:
    make_member(other_organisation, Role.MEELEZER, user=beheerder.user)
    client = client_for(beheerder.user)
    session = client.session
    session[ACTIVE_SESSION_KEY] = organisation.pk
    session.save()
    response = client.post(
        reverse("organisations:delete"), {"name": organisation.name, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert client.session[AUTH_SESSION_KEY] == str(beheerder.user.pk)
    assert client.session[ACTIVE_SESSION_KEY] == other_organisation.pk
    page = client.get(reverse("organisations:deleted")).content.decode()
    assert "Verder werken" in page


def test_a_beheerder_of_another_organisation_reaches_only_their_own(
    organisation: Organisation,
    other_organisation: Organisation,
    make_member: Callable[..., Membership],
    client_for: Callable[[User], Client],
) -> None:
    """The pages have no organisation in their URL: they act on the active organisation, and
    one can only make an organisation active where one is a member."""
    filled_persona(organisation, name="Van-A")
    outsider = make_member(other_organisation, Role.BEHEERDER)
    client = client_for(outsider.user)
    session = client.session
    session[ACTIVE_SESSION_KEY] = organisation.pk  # a tampered session
    session.save()

    response = client.post(reverse("organisations:data_export"))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zf:  # type: ignore[attr-defined]
        manifest = json.loads(zf.read("manifest.json"))
        assert b"Van-A" not in b"".join(zf.read(name) for name in zf.namelist())
    assert manifest["organisation"]["slug"] == other_organisation.slug

    response = client.post(
        reverse("organisations:delete"), {"name": organisation.name, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [str(WRONG_ORGANISATION_NAME)]
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    assert Organisation.objects.filter(pk=other_organisation.pk).exists()

    # The tampered session is ignored everywhere: the active organisation is their own.
    page = client.get(reverse("organisations:overview")).content.decode()
    assert f"<h1>{other_organisation.name}</h1>" in page


def test_deleted_page_is_public(client: Client) -> None:
    response = client.get(reverse("organisations:deleted"))
    assert response.status_code == 200
    assert "De organisatie en alle gegevens ervan zijn verwijderd." in response.content.decode()


# --- commands ---------------------------------------------------------------------------------


def test_export_command_writes_the_zip(setup: Setup, tmp_path: Path) -> None:
    target = tmp_path / "anker.zip"
    out = io.StringIO()
    call_command("export_organisation", setup.a.slug, str(target), stdout=out)
    assert "Exported" in out.getvalue()
    assert target.stat().st_mode & 0o077 == 0
    with zipfile.ZipFile(target) as zf:
        assert json.loads(zf.read("manifest.json"))["organisation"]["slug"] == setup.a.slug
    with pytest.raises(Exception, match="already exists"):
        call_command("export_organisation", setup.a.slug, str(target))


def test_delete_command_without_yes_only_shows(setup: Setup) -> None:
    before = _organisation_rows(setup.a)
    out = io.StringIO()
    call_command("delete_organisation", setup.a.slug, stdout=out)
    text = out.getvalue()
    assert "Persona's: 2" in text
    assert "Nothing was deleted" in text
    assert _organisation_rows(setup.a) == before


def test_delete_command_with_yes_deletes(setup: Setup) -> None:
    out = io.StringIO()
    call_command("delete_organisation", setup.a.slug, "--yes", stdout=out)
    assert "Deleted" in out.getvalue()
    assert not Organisation.objects.filter(pk=setup.a.pk).exists()
    assert Organisation.objects.filter(pk=setup.b.pk).exists()


def test_a_file_field_file_is_read_and_removed_through_its_storage() -> None:
    # No model has a FileField yet; when one does, its files go through this.
    storage = InMemoryStorage()
    name = storage.save("personas/tekening.png", ContentFile(b"\x89PNG tekening"))
    stored = archive._field_file(models.FileField(storage=storage), name)
    assert stored is not None
    assert stored.name == f"media/{name}"
    with stored.open() as file:
        assert file.read() == b"\x89PNG tekening"
    stored.remove()
    assert not storage.exists(name)
    assert archive._field_file(models.FileField(storage=storage), name) is None


def test_the_audit_log_is_exported_and_outlives_the_deletion(setup: Setup) -> None:
    from zio.audit.models import Action as AuditAction
    from zio.audit.models import AuditEvent
    from zio.audit.services import recording

    a, b = setup.a, setup.b
    with recording(actor=setup.beheerder.user, organisation=a):
        Persona.objects.filter(organisation=a).first().save()  # type: ignore[union-attr]
    with recording(actor=setup.b_beheerder.user, organisation=b):
        Persona.objects.filter(organisation=b).first().save()  # type: ignore[union-attr]
    a_events = set(AuditEvent.objects.filter(organisation_id=a.pk).values_list("pk", flat=True))
    assert len(a_events) == 1

    exported = _rows(_export(a), AuditEvent)
    assert set(exported) == a_events  # A's log, not B's

    a_pk, a_name = a.pk, a.name
    with recording(actor=setup.beheerder.user, organisation=a):
        services.delete_organisation(a, by=setup.beheerder.user)
    log = AuditEvent.objects.filter(organisation_id=a_pk)
    # The old events stay, and the deletion is one event, not one per persona or member.
    assert a_events < set(log.values_list("pk", flat=True))
    [deleted] = log.filter(action=AuditAction.DELETED)
    assert (deleted.object_type, deleted.object_label, deleted.actor_id) == (
        "organisation",
        a_name,
        setup.beheerder.user.pk,
    )
    assert "personas.persona: 2," in deleted.detail
    assert deleted.detail.endswith("accounts.user: 2")
    assert AuditEvent.objects.filter(organisation_id=b.pk).count() == 1
