"""The Django side of grouping: starting runs, pooling, adjusting, persona drafts."""

from collections.abc import Callable

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from zio.grouping import selectors, services
from zio.grouping.models import Group, GroupingRun, RunStatus
from zio.organisations.constants import OrganisationKind, Role
from zio.organisations.models import Membership, Organisation
from zio.organisations.tests.factories import RegionFactory
from zio.screening.models import Screening
from zio.screening.services import (
    screening_delete,
    screening_import_start,
    screening_set_pooling_consent,
    screening_spec,
)
from zio.screening.tests.helpers import rows_csv

pytestmark = pytest.mark.django_db


def clustered_csv(
    organisation: Organisation, pupils: int = 120, seed: int = 1, groups: int = 2
) -> bytes:
    """`groups` clear groups: group g has signals 3g..3g+2; group 0 often gets support."""
    spec = screening_spec(organisation)
    rng = np.random.default_rng(seed)
    names = [s.name for s in spec.signals]
    rows = []
    for n in range(pupils):
        group = n % groups
        row = {"Leerlingcode": f"P{seed}-{n}", "Leeftijd": str(8 + n % 4)}
        for j, name in enumerate(names[: 3 * groups]):
            likely = j // 3 == group
            row[name] = "ja" if rng.random() < (0.9 if likely else 0.05) else "nee"
        if group == 0 and n % 3 == 0:
            row["Ondersteuning: Individuele begeleiding"] = "ja"
        rows.append(row)
    return rows_csv(spec, rows)


def import_screening(
    organisation: Organisation, pupils: int = 120, seed: int = 1, groups: int = 2
) -> Screening:
    job = screening_import_start(
        organisation=organisation,
        school_year="2026-2027",
        filename="s.csv",
        data=clustered_csv(organisation, pupils, seed, groups),
        user=None,
    )
    assert job.screening is not None
    return job.screening


def run_now(organisation: Organisation, screenings: list[Screening], **kwargs) -> GroupingRun:
    run = services.grouping_start(
        organisation=organisation, screenings=screenings, user=None, seed=3, **kwargs
    )
    return services.grouping_execute(run_id=run.pk)


def test_a_run_finds_the_groups_and_stores_them(organisation: Organisation) -> None:
    screening = import_screening(organisation)
    run = run_now(organisation, [screening])
    assert run.status == RunStatus.DONE
    assert run.chosen_k == 2
    assert run.versions["stepmix"]
    assert [f["k"] for f in run.fits] == [1, 2, 3, 4]  # GROUPING_K_MAX in the test settings
    groups = list(run.groups.all())
    assert sum(g.size for g in groups) == 120
    assert all(50 <= g.size <= 70 for g in groups)
    assert all(g.title for g in groups)
    view = selectors.run_view(run)
    assert view is not None and len(view.explanations) == 2


def test_same_settings_same_groups(organisation: Organisation) -> None:
    screening = import_screening(organisation)
    first = selectors.unpack_result(run_now(organisation, [screening]))["assignment"]
    second = selectors.unpack_result(run_now(organisation, [screening]))["assignment"]
    assert np.array_equal(first, second)


def test_a_screening_below_the_threshold_is_not_grouped(organisation: Organisation) -> None:
    screening = import_screening(organisation, pupils=8)
    with pytest.raises(ValidationError) as error:
        services.grouping_start(organisation=organisation, screenings=[screening], user=None)
    assert "minder dan 10 leerlingen" in error.value.messages[0]


def test_a_foreign_screening_cannot_be_grouped_without_consent(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    foreign = import_screening(other_organisation)
    with pytest.raises(ValidationError):
        services.grouping_start(organisation=organisation, screenings=[foreign], user=None)


def test_pooled_screenings_of_a_region_with_consent(
    organisation: Organisation, other_organisation: Organisation, make_member: Callable
) -> None:
    swv = Organisation.objects.create(name="SWV", slug="swv", kind=OrganisationKind.SWV)
    region = RegionFactory.create()
    region.organisations.add(organisation, other_organisation, swv)
    mine, theirs = (
        import_screening(organisation, 60, 1),
        import_screening(other_organisation, 60, 2),
    )
    assert selectors.allowed_screenings(swv) == []
    user = make_member(other_organisation, Role.OPSTELLER).user
    screening_set_pooling_consent(screening=theirs, user=user, consent=True)
    screening_set_pooling_consent(screening=mine, user=user, consent=True)
    assert {s.pk for s in selectors.allowed_screenings(swv)} == {mine.pk, theirs.pk}
    run = run_now(swv, [mine, theirs])
    assert run.pupil_count == 120
    assert run.status == RunStatus.DONE


def test_merge_rename_and_set_aside_keep_history(
    organisation: Organisation, opsteller: Membership
) -> None:
    run = run_now(organisation, [import_screening(organisation, groups=3)], k=3)
    one, two, three = run.groups.order_by("number")
    services.group_rename(group=one, title="Snel overprikkeld", user=opsteller.user)
    services.group_set_aside(group=three, user=opsteller.user, set_aside=True)
    kept = services.group_merge(run=run, keep=one, absorb=two, user=opsteller.user)
    two.refresh_from_db()
    assert two.merged_into == kept
    assert kept.size == one.size
    assert kept.size + three.size == 120
    assignment = selectors.unpack_result(GroupingRun.objects.get(pk=run.pk))["assignment"]
    assert set(np.unique(assignment)) == {one.number, three.number}
    assert run.events.count() == 3
    with pytest.raises(ValidationError):
        services.group_merge(run=run, keep=one, absorb=two, user=opsteller.user)


def test_persona_draft_from_a_group(organisation: Organisation, opsteller: Membership) -> None:
    run = run_now(organisation, [import_screening(organisation)])
    personas = [
        services.persona_from_group(group=group, user=opsteller.user)
        for group in run.groups.order_by("number")
    ]
    for persona in personas:
        assert persona.source_group is not None
        assert persona.status == "concept"
        assert persona.group_size % 5 == 0
        problems = persona.items.filter(section="problemen")
        assert problems.exists()
        assert all(item.signal_id for item in problems)
    assert len({p.name for p in personas}) == len(personas)
    # One group holds the pupils with individual support: a draft cost line says so.
    lines = [
        line
        for persona in personas
        for line in persona.scenarios.get(kind="huidig").lines.all()
        if line.description.startswith("Individuele begeleiding")
    ]
    assert len(lines) == 1
    assert lines[0].rate == 0
    assert lines[0].pupils is not None and lines[0].pupils % 5 == 0
    assert run.events.filter(description__contains=personas[0].name).exists()


def test_rerun_with_another_k_and_fewer_signals(organisation: Organisation) -> None:
    run = run_now(organisation, [import_screening(organisation)])
    rerun = services.grouping_start(
        organisation=organisation,
        screenings=list(run.screenings.all()),
        user=None,
        k=3,
        signal_ids=run.signal_ids[:6],
        based_on=run,
    )
    rerun = services.grouping_execute(run_id=rerun.pk)
    assert rerun.based_on == run
    assert rerun.chosen_k == 3
    assert rerun.signal_ids == run.signal_ids[:6]
    with pytest.raises(ValidationError):
        services.grouping_start(
            organisation=organisation,
            screenings=list(run.screenings.all()),
            user=None,
            signal_ids=[999999, 1],
        )


def test_group_numbers_are_unique(organisation: Organisation) -> None:
    run = run_now(organisation, [import_screening(organisation)])
    assert Group.objects.filter(run=run).values("number").distinct().count() == run.groups.count()


def test_one_other_school_is_never_grouped_alone_nor_with_ones_own(
    organisation: Organisation, other_organisation: Organisation, make_member: Callable
) -> None:
    # With one other school's screening, the groups (or the groups minus one's own) would be
    # that school's own figures.
    third = Organisation.objects.create(name="SO De Brug", slug="so-de-brug")
    region = RegionFactory.create()
    region.organisations.add(organisation, other_organisation, third)
    mine = import_screening(organisation, 60, 1)
    theirs = import_screening(other_organisation, 60, 2)
    also_theirs = import_screening(third, 60, 3)
    user = make_member(other_organisation, Role.OPSTELLER).user
    for screening in (theirs, also_theirs):
        screening_set_pooling_consent(screening=screening, user=user, consent=True)
    for chosen in ([theirs], [mine, theirs]):
        with pytest.raises(ValidationError, match="minstens twee andere scholen"):
            services.grouping_start(organisation=organisation, screenings=chosen, user=None)
    assert GroupingRun.objects.count() == 0
    run = run_now(organisation, [mine, theirs, also_theirs])
    assert run.status == RunStatus.DONE


def test_withdrawn_consent_or_deleted_screening_hides_the_groups(
    organisation: Organisation, other_organisation: Organisation, opsteller: Membership
) -> None:
    third = Organisation.objects.create(name="SO De Brug", slug="so-de-brug")
    swv = Organisation.objects.create(name="SWV", slug="swv", kind=OrganisationKind.SWV)
    region = RegionFactory.create()
    region.organisations.add(organisation, other_organisation, third, swv)
    theirs = import_screening(other_organisation, 60, 2)
    also_theirs = import_screening(third, 60, 3)
    for screening in (theirs, also_theirs):
        screening_set_pooling_consent(screening=screening, user=opsteller.user, consent=True)
    run = run_now(swv, [theirs, also_theirs])
    assert selectors.run_unavailable(run) is None
    assert selectors.run_view(run) is not None
    group = run.groups.first()
    assert group is not None

    screening_set_pooling_consent(screening=theirs, user=opsteller.user, consent=False)
    assert "ingetrokken" in (selectors.run_unavailable(run) or "")
    assert selectors.run_view(run) is None
    with pytest.raises(ValidationError, match="ingetrokken"):
        services.persona_from_group(group=group, user=opsteller.user)

    screening_set_pooling_consent(screening=theirs, user=opsteller.user, consent=True)
    screening_delete(screening=also_theirs)
    run = GroupingRun.objects.get(pk=run.pk)
    assert "verwijderd" in (selectors.run_unavailable(run) or "")
    assert selectors.run_view(run) is None
