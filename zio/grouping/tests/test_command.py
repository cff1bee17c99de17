import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zio.grouping.tests.test_services import import_screening
from zio.organisations.models import Organisation

pytestmark = pytest.mark.django_db


def test_grouping_run_writes_groups_as_json(organisation: Organisation, tmp_path: Path) -> None:
    screening = import_screening(organisation, groups=2)
    target = tmp_path / "groepen.json"
    call_command(
        "grouping_run",
        organisation=organisation.slug,
        screening="latest",
        seed=1,
        json_file=str(target),
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["chosen_k"] == 2
    assert len(data["groups"]) == 2
    first = data["groups"][0]
    assert set(first["prevalence"]) == set(screening.signal_names)
    assert all(0.05 <= p <= 0.95 for p in first["prevalence"].values())
    assert first["distinguishing"]
    assert int(first["size"]) >= 10
    assert data["fits"][0]["k"] == 1


def test_grouping_run_with_fixed_k(
    organisation: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    import_screening(organisation, groups=2)
    call_command("grouping_run", organisation=organisation.slug, k="1", seed=1)
    assert json.loads(capsys.readouterr().out)["chosen_k"] == 1


def test_grouping_run_without_screening(organisation: Organisation) -> None:
    with pytest.raises(CommandError):
        call_command("grouping_run", organisation=organisation.slug)
