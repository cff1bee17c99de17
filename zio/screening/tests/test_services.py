import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from zio.organisations.models import Organisation
from zio.screening import services
from zio.screening.models import ImportStatus, Screening, ScreeningImport
from zio.screening.selectors import parsed_screening, population
from zio.screening.tests.helpers import population_csv, rows_csv

pytestmark = pytest.mark.django_db


def _import(
    organisation: Organisation, data: bytes, name: str = "screening.csv", year: str = "2026-2027"
):
    return services.screening_import_start(
        organisation=organisation, school_year=year, filename=name, data=data, user=None
    )


def test_a_valid_file_is_stored_as_one_screening(organisation: Organisation) -> None:
    job = _import(organisation, population_csv(organisation, pupils=40))
    assert job.status == ImportStatus.DONE
    screening = Screening.objects.get()
    assert job.screening == screening
    assert screening.pupil_count == 40
    parsed = parsed_screening(screening)
    assert parsed.signals.shape == (40, len(screening.signal_ids))
    # Only keyed hashes of the codes are kept, never the codes.
    assert b"LL0001" not in bytes(screening.data)
    assert parsed.code_hashes.shape == (40, 32)


def test_the_same_code_hashes_differently_for_another_school(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    assert services.pupil_code_key(organisation) != services.pupil_code_key(other_organisation)


def test_a_refused_file_stores_nothing(organisation: Organisation) -> None:
    spec = services.screening_spec(organisation)
    data = rows_csv(spec, [{"Leerlingcode": "A1", "Leeftijd": "40"}])
    job = _import(organisation, data)
    assert job.status == ImportStatus.FAILED
    assert job.problem_total >= 1
    assert not Screening.objects.exists()


def test_reimport_for_the_same_year_replaces_and_keeps_history(organisation: Organisation) -> None:
    first = _import(organisation, population_csv(organisation, pupils=30)).screening
    second = _import(organisation, population_csv(organisation, pupils=35)).screening
    assert first is not None and second is not None
    first.refresh_from_db()
    assert first.replaced_at is not None
    assert second.replaced_at is None
    assert Screening.objects.current().get() == second
    other_year = _import(organisation, population_csv(organisation), year="2025-2026").screening
    assert other_year is not None and other_year.replaced_at is None


def test_a_bad_school_year_is_refused(organisation: Organisation) -> None:
    with pytest.raises(ValidationError):
        _import(organisation, population_csv(organisation), year="2026-2028")
    assert not ScreeningImport.objects.exists()


@override_settings(SCREENING_INLINE_MAX_BYTES=10)
def test_large_files_go_to_the_worker_and_are_removed_after(
    organisation: Organisation,
    settings,
    tmp_path,
) -> None:
    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    # The test settings run tasks at once (ImmediateBackend), as the worker would.
    job = _import(organisation, population_csv(organisation))
    assert job.status == ImportStatus.DONE
    assert list(tmp_path.iterdir()) == []


def test_statistics_suppress_a_rare_signal(organisation: Organisation) -> None:
    screening = _import(organisation, population_csv(organisation, pupils=40, rare=3)).screening
    assert screening is not None
    stats = population(screening)
    counts = {c.signal.name: str(c.count) for c in stats.signals}
    spec = services.screening_spec(organisation)
    assert counts[spec.signals[0].name] == "40" or counts[spec.signals[0].name] == "×"
    assert counts[spec.signals[1].name] == "< 10"


def test_an_unexpected_error_fails_cleanly(organisation: Organisation, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(services, "read_and_validate", boom)
    job = _import(organisation, population_csv(organisation))
    assert job.status == ImportStatus.FAILED
    assert "Er ging iets mis" in job.problems[0]["message"]
    assert not Screening.objects.exists()


def test_delete(organisation: Organisation) -> None:
    screening = _import(organisation, population_csv(organisation)).screening
    assert screening is not None
    services.screening_delete(screening=screening)
    assert not Screening.objects.exists()


def test_spec_follows_the_catalogue(organisation: Organisation) -> None:
    from zio.personas.models import Signal
    from zio.personas.services import signal_add, signal_retire

    spec = services.screening_spec(organisation)
    hidden = Signal.objects.get(pk=spec.signals[0].signal_id)
    signal_retire(organisation=organisation, signal=hidden)
    own = signal_add(organisation=organisation, domain=hidden.domain, name="Snel moe")
    headers = services.screening_spec(organisation).headers
    assert hidden.name not in headers
    assert own.name in headers
