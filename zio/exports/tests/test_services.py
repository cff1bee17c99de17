"""Making export files: single files, ZIPs, recorded exports in the background, clean-up."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from zio.exports import selectors, services
from zio.exports.document import Audience
from zio.exports.formats import FORMATS_BY_KEY
from zio.exports.models import ExportJob, ExportStatus
from zio.exports.tests.factories import filled_persona
from zio.organisations.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_a_combined_format_gives_one_file_named_after_the_persona(
    organisation: Organisation,
) -> None:
    esra = filled_persona(organisation, name="Esra Özdemir")
    result = services.build_export(
        export_format=FORMATS_BY_KEY["xlsx"],
        audience=Audience.PARTNERS,
        organisation=organisation,
        personas=[esra],
    )
    assert result.filename.startswith("xlsx-esra-ozdemir-")
    assert result.filename.endswith(".xlsx")
    assert result.content[:2] == b"PK"  # an Office file is a ZIP inside


def test_one_file_per_persona_formats_give_a_zip_with_unique_names(
    organisation: Organisation,
) -> None:
    personas = [filled_persona(organisation, name="Noor") for _ in range(2)]
    personas.append(filled_persona(organisation, name="Esra"))
    result = services.build_export(
        export_format=FORMATS_BY_KEY["json"],
        audience=Audience.INTERNAL,
        organisation=organisation,
        personas=personas,
    )
    assert result.content_type == "application/zip"
    assert result.filename.startswith("json-sbo-het-anker-")
    with zipfile.ZipFile(io.BytesIO(result.content)) as archive:
        names = archive.namelist()
        assert len(names) == 3 and len(set(names)) == 3
        assert all(name.endswith(".json") for name in names)
        assert any(name.startswith("json-esra-") for name in names)
        assert all(archive.read(name).startswith(b"{") for name in names)


def test_progress_is_reported_per_persona(organisation: Organisation) -> None:
    personas = [filled_persona(organisation, name=n) for n in ("Esra", "Noor")]
    seen: list[int] = []
    services.build_export(
        export_format=FORMATS_BY_KEY["json"],
        audience=Audience.INTERNAL,
        organisation=organisation,
        personas=personas,
        on_progress=lambda done, stage: seen.append(done),
    )
    assert seen == [1, 2, 2]


def test_a_small_pdf_export_is_made_at_once_and_kept_privately(
    organisation: Organisation, opsteller: Membership
) -> None:
    esra = filled_persona(organisation)
    job = services.export_start(
        organisation=organisation,
        user=opsteller.user,
        format_key="waaier",
        audience=Audience.PARENTS,
        persona_ids=[esra.pk],
    )
    assert job.status == ExportStatus.DONE
    assert job.progress == 100
    assert job.filename.endswith(".pdf")
    content = services.export_content(job)
    assert content.startswith(b"%PDF")
    assert job.size == len(content)


def test_a_large_pdf_export_runs_as_a_task(
    organisation: Organisation, opsteller: Membership, django_capture_on_commit_callbacks
) -> None:
    personas = [filled_persona(organisation, name=f"Persona {n}") for n in range(13)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.export_start(
            organisation=organisation,
            user=opsteller.user,
            format_key="waaier-a4",
            audience=Audience.PARTNERS,
            persona_ids=[p.pk for p in personas],
        )
    assert job.status == ExportStatus.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()  # the task backend in tests runs the task at once
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.done == 13
    assert services.export_content(job).startswith(b"%PDF")


def test_a_failed_export_says_so_plainly(organisation: Organisation, opsteller: Membership) -> None:
    esra = filled_persona(organisation)
    job = ExportJob.objects.create(
        organisation=organisation, format="blad", audience="intern", persona_ids=[esra.pk + 999]
    )
    services.export_execute(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "mislukt" in job.stage
    assert not services.export_path(job).exists()


def test_skipped_personas_are_mentioned(organisation: Organisation, opsteller: Membership) -> None:
    esra, noor = filled_persona(organisation), filled_persona(organisation, name="Noor")
    job = ExportJob.objects.create(
        organisation=organisation,
        format="blad",
        audience="intern",
        persona_ids=[esra.pk, noor.pk],
        total=2,
    )
    noor.delete()
    services.export_execute(job_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert any("overgeslagen" in note for note in job.notes)


def test_old_exports_and_their_files_are_forgotten(
    organisation: Organisation, opsteller: Membership, django_capture_on_commit_callbacks
) -> None:
    esra = filled_persona(organisation)
    old = services.export_start(
        organisation=organisation,
        user=opsteller.user,
        format_key="blad",
        audience=Audience.INTERNAL,
        persona_ids=[esra.pk],
    )
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    path = services.export_path(old)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.export_start(
            organisation=organisation,
            user=opsteller.user,
            format_key="blad",
            audience=Audience.INTERNAL,
            persona_ids=[esra.pk],
        )
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    assert not path.exists()


def test_personas_of_another_organisation_are_never_exported(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    mine, theirs = filled_persona(organisation), filled_persona(other_organisation)
    found = selectors.personas_for_export(organisation, [theirs.pk, mine.pk])
    assert found == [mine]


def test_export_files_are_private_and_expire(
    organisation: Organisation, opsteller: Membership
) -> None:
    esra = filled_persona(organisation)
    job = services.export_start(
        organisation=organisation,
        user=opsteller.user,
        format_key="blad",
        audience=Audience.INTERNAL,
        persona_ids=[esra.pk],
    )
    assert services.export_path(job).stat().st_mode & 0o777 == 0o600
    assert list(selectors.recent_exports(organisation)) == [job]
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert list(selectors.recent_exports(organisation)) == []
    with pytest.raises(ExportJob.DoesNotExist):
        selectors.export_for_organisation(organisation, job.pk)


def test_the_cleanup_command_deletes_expired_exports_of_every_organisation(
    organisation: Organisation,
    other_organisation: Organisation,
    opsteller: Membership,
    make_member,
    django_capture_on_commit_callbacks,
) -> None:
    from django.core.management import call_command

    jobs = []
    for org, user in ((organisation, opsteller.user), (other_organisation, None)):
        user = user or make_member(other_organisation).user
        jobs.append(
            services.export_start(
                organisation=org,
                user=user,
                format_key="blad",
                audience=Audience.INTERNAL,
                persona_ids=[filled_persona(org).pk],
            )
        )
    fresh = services.export_start(
        organisation=organisation,
        user=opsteller.user,
        format_key="blad",
        audience=Audience.INTERNAL,
        persona_ids=[filled_persona(organisation).pk],
    )
    ExportJob.objects.filter(pk__in=[j.pk for j in jobs]).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("exports_cleanup", stdout=io.StringIO())
    assert list(ExportJob.objects.all()) == [fresh]
    assert not any(services.export_path(j).exists() for j in jobs)
    assert services.export_path(fresh).exists()


def test_deleting_an_organisation_deletes_its_export_files(
    organisation: Organisation, opsteller: Membership, django_capture_on_commit_callbacks
) -> None:
    job = services.export_start(
        organisation=organisation,
        user=opsteller.user,
        format_key="blad",
        audience=Audience.INTERNAL,
        persona_ids=[filled_persona(organisation).pk],
    )
    path = services.export_path(job)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        organisation.delete()
    assert not path.exists()
