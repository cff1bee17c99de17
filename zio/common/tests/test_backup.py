"""Backup and restore: everything that was there comes back, identical, into an empty database."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection, models

from zio.accounts.models import User
from zio.accounts.tests.factories import UserFactory
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import CostLine, FundingStream, Payer, Scenario
from zio.costs.reference_data import seed_payers_and_streams
from zio.costs.tests.factories import CostLineFactory, ScenarioFactory, stream
from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import MembershipFactory, OrganisationFactory
from zio.personas.catalogue import seed_catalogue
from zio.personas.models import Persona, PersonaItem, Signal, SignalDomain
from zio.personas.tests.factories import PersonaFactory, PersonaItemFactory
from zio.screening.models import Screening, ScreeningImport
from zio.screening.services import screening_import_start
from zio.screening.tests.helpers import population_csv
from zio.workshops.models import Workshop
from zio.workshops.services import workshop_create

# The rows compared before and after; the screening's `data` holds the pupils themselves.
COMPARED: list[type[models.Model]] = [
    Organisation,
    User,
    Membership,
    Persona,
    PersonaItem,
    Scenario,
    CostLine,
    Screening,
    ScreeningImport,
    Workshop,
    Signal,
    SignalDomain,
    Payer,
    FundingStream,
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    def plain(row: dict[str, Any]) -> dict[str, Any]:
        # PostgreSQL gives a BinaryField back as memoryview, SQLite as bytes.
        return {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}

    return {
        model._meta.label: [plain(r) for r in model._base_manager.order_by("pk").values()]
        for model in COMPARED
    }


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def build_data() -> Organisation:
    organisation = OrganisationFactory.create(name="SBO Het Anker")
    user = UserFactory.create()
    MembershipFactory.create(organisation=organisation, user=user, role=Role.BEHEERDER)
    # A permission refers to a content type: both are made by `migrate`, with other ids in
    # another database, so the backup must refer to them by name.
    user.user_permissions.add(Permission.objects.get(codename="view_persona"))
    for n in range(2):
        persona = PersonaFactory.create(organisation=organisation, name=f"Persona {n}")
        PersonaItemFactory.create_batch(3, persona=persona)
        current = ScenarioFactory.create(persona=persona, kind=ScenarioKind.CURRENT)
        desired = ScenarioFactory.create(
            persona=persona, kind=ScenarioKind.DESIRED, label="A", position=1
        )
        CostLineFactory.create(scenario=current, rate=Decimal("6634.52"), quantity=Decimal("1"))
        CostLineFactory.create(
            scenario=desired,
            funding_stream=stream("jeugdhulp-collectief"),
            unit=Unit.GROUP_HOUR,
            rate=Decimal("51.25"),
            quantity=Decimal("2.5"),
            hours_per_week=Decimal("1.5"),
            weeks=Decimal("40"),
            pupils=6,
        )
    job = screening_import_start(
        organisation=organisation,
        school_year="2026-2027",
        filename="screening.csv",
        data=population_csv(organisation, pupils=30),
        user=user,
    )
    assert job.screening is not None
    workshop_create(organisation=organisation, user=user, title="Doen-sessie", tables=2)
    return organisation


def wipe(*, migrated: bool) -> None:
    """An empty database. `flush` also removes the reference data that data migrations seed;
    with `migrated`, it is put back, as a database made by `migrate` would have it."""
    if connection.vendor == "postgresql":
        # The test's own transaction has foreign-key checks pending; TRUNCATE needs them done.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    assert not Organisation.objects.exists()
    if migrated:
        seed_payers_and_streams(Payer, FundingStream)
        seed_catalogue(SignalDomain, Signal)


@pytest.mark.django_db
@pytest.mark.parametrize("migrated", [False, True], ids=["flushed", "freshly-migrated"])
def test_restore_gives_back_every_row_and_file(folders: Path, migrated: bool) -> None:
    build_data()
    private_file = folders / "private" / "exports" / "waaier.pdf"
    private_file.parent.mkdir(parents=True)
    private_file.write_bytes(b"%PDF-1.7 made export\x00\xff")
    before = snapshot()
    assert before["screening.Screening"][0]["data"]
    assert all(line["unit_amount_cents"] for line in before["costs.CostLine"])
    permissions_before = list(User.objects.values_list("user_permissions__codename", flat=True))

    archive_path = folders / "backup.zip"
    call_command("backup", str(archive_path), stdout=io.StringIO())
    with zipfile.ZipFile(archive_path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("files/private/exports/waaier.pdf") == private_file.read_bytes()
    assert manifest["format_version"] == 1
    assert manifest["counts"]["personas.persona"] == 2
    assert manifest["counts"]["costs.costline"] == 4
    assert "sessions.session" not in manifest["counts"]

    wipe(migrated=migrated)
    private_file.unlink()
    out = io.StringIO()
    call_command("restore", str(archive_path), stdout=out)

    assert snapshot() == before
    assert private_file.read_bytes() == b"%PDF-1.7 made export\x00\xff"
    assert list(User.objects.values_list("user_permissions__codename", flat=True)) == (
        permissions_before
    )
    assert "Restored" in out.getvalue()
    # The sequences moved past the restored ids (PostgreSQL), so new rows can be made.
    organisation = Organisation.objects.get()
    persona = PersonaFactory.create(organisation=organisation)
    assert persona.pk > max(row["id"] for row in before["personas.Persona"])
    CostLineFactory.create(scenario=ScenarioFactory.create(persona=persona))


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data(folders: Path) -> None:
    build_data()
    archive_path = folders / "backup.zip"
    call_command("backup", str(archive_path), stdout=io.StringIO())
    before = snapshot()
    with pytest.raises(CommandError, match="already holds organisations or users"):
        call_command("restore", str(archive_path))
    assert snapshot() == before


@pytest.mark.django_db
def test_backup_refuses_to_overwrite(folders: Path) -> None:
    archive_path = folders / "backup.zip"
    archive_path.write_bytes(b"earlier backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(archive_path))
    assert archive_path.read_bytes() == b"earlier backup"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["files/private/../../escape.txt", "/etc/escape.txt", "files/other/x", "x.txt"]
)
def test_restore_refuses_names_outside_the_file_folders(folders: Path, name: str) -> None:
    archive_path = folders / "backup.zip"
    call_command("backup", str(archive_path), stdout=io.StringIO())
    with zipfile.ZipFile(archive_path, "a") as zf:
        zf.writestr(name, b"not for you")
    wipe(migrated=True)
    with pytest.raises(CommandError, match="outside the file folders"):
        call_command("restore", str(archive_path))
    assert not Organisation.objects.exists()
    assert not (folders / "escape.txt").exists()


@pytest.mark.django_db
def test_restore_refuses_a_zip_without_manifest(folders: Path) -> None:
    archive_path = folders / "other.zip"
    with zipfile.ZipFile(archive_path, "w") as zf:
        zf.writestr("database.json", "[]")
    with pytest.raises(CommandError, match="no readable manifest"):
        call_command("restore", str(archive_path))


@pytest.mark.django_db
def test_restore_refuses_more_than_the_size_limit(folders: Path) -> None:
    archive_path = folders / "backup.zip"
    call_command("backup", str(archive_path), stdout=io.StringIO())
    wipe(migrated=True)
    with pytest.raises(CommandError, match="more than --max-size-gb"):
        call_command("restore", str(archive_path), max_size_gb=1 / 1024**3)
