from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zio.organisations.constants import Role
from zio.organisations.models import Membership, Organisation
from zio.personas import services
from zio.personas.constants import MAX_ITEMS_PER_SECTION, META, Section
from zio.personas.models import HiddenSignal, Persona, PersonaItem, Signal
from zio.personas.services import EditConflict, ItemInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def persona(opsteller: Membership) -> Persona:
    return services.persona_create(
        organisation=opsteller.organisation,
        name="Sam",
        group_size=12,
        age_min=8,
        age_max=11,
        school_types=["sbo"],
        sections={Section.WHO: ["Sam is 9 jaar"], Section.PROBLEMS: ["Overprikkeling"]},
        created_by=opsteller.user,
    )


def _texts(persona: Persona, section: Section) -> list[str]:
    return [i.text for i in services.section_items(persona, section)]


def test_create_records_the_first_version_and_default_scenarios(persona: Persona) -> None:
    assert persona.revisions.count() == 1
    assert persona.revisions.get().summary == "Persona aangemaakt"
    kinds = sorted(persona.scenarios.values_list("kind", flat=True))
    assert kinds == ["gewenst", "huidig", "niets_verandert"]


def test_create_refuses_an_unknown_avatar(opsteller: Membership) -> None:
    with pytest.raises(ValidationError):
        services.persona_create(
            organisation=opsteller.organisation,
            name="X",
            group_size=10,
            age_min=5,
            age_max=6,
            avatar="foto.jpg",
        )
    assert not Persona.objects.exists()


def test_saving_a_section_replaces_its_lines_and_records_what_changed(
    persona: Persona, opsteller: Membership
) -> None:
    services.persona_section_save(
        persona=persona,
        section=Section.WHO,
        items=[ItemInput("Sam is 9 jaar"), ItemInput("Sam houdt van voetbal"), ItemInput("  ")],
        expected_version=0,
        user=opsteller.user,
    )
    persona.refresh_from_db()
    assert _texts(persona, Section.WHO) == ["Sam is 9 jaar", "Sam houdt van voetbal"]
    assert persona.version_of(Section.WHO) == 1
    assert _texts(persona, Section.PROBLEMS) == ["Overprikkeling"]  # other sections untouched
    latest = persona.revisions.first()
    assert latest is not None
    assert latest.summary == "Wie is Sam?: 1 regel toegevoegd"
    assert latest.author == opsteller.user


def test_second_save_from_the_same_version_is_a_conflict_and_loses_nothing(
    persona: Persona, opsteller: Membership, make_member: Callable
) -> None:
    other = make_member(persona.organisation, Role.OPSTELLER).user
    services.persona_section_save(
        persona=persona,
        section=Section.WISHES,
        items=[ItemInput("Meedoen met gym")],
        expected_version=0,
        user=other,
    )
    with pytest.raises(EditConflict) as conflict:
        services.persona_section_save(
            persona=persona,
            section=Section.WISHES,
            items=[ItemInput("Minder vaak boos worden")],
            expected_version=0,
            user=opsteller.user,
        )
    assert conflict.value.current_items == [ItemInput("Meedoen met gym")]
    assert conflict.value.current_version == 1
    assert conflict.value.changed_by == other.get_full_name()
    assert _texts(persona, Section.WISHES) == ["Meedoen met gym"]
    # Saving again from the version the conflict reported keeps both texts if the user wants.
    services.persona_section_save(
        persona=persona,
        section=Section.WISHES,
        items=[ItemInput("Meedoen met gym"), ItemInput("Minder vaak boos worden")],
        expected_version=conflict.value.current_version,
        user=opsteller.user,
    )
    assert _texts(persona, Section.WISHES) == ["Meedoen met gym", "Minder vaak boos worden"]


def test_editing_different_sections_at_once_is_no_conflict(
    persona: Persona, opsteller: Membership
) -> None:
    for section in (Section.WISHES, Section.NEEDS):
        services.persona_section_save(
            persona=persona,
            section=section,
            items=[ItemInput("iets")],
            expected_version=0,
            user=opsteller.user,
        )
    assert _texts(persona, Section.NEEDS) == ["iets"]


def test_meta_conflict(persona: Persona, opsteller: Membership) -> None:
    fields: dict[str, Any] = {
        "name": "Sam",
        "group_size": 15,
        "age_min": 8,
        "age_max": 11,
        "school_types": ["sbo"],
        "avatar": "avatar-02",
        "status": "concept",
    }
    services.persona_update_meta(persona=persona, expected_version=0, user=opsteller.user, **fields)
    with pytest.raises(EditConflict) as conflict:
        services.persona_update_meta(
            persona=persona,
            expected_version=0,
            user=opsteller.user,
            **(fields | {"group_size": 20}),
        )
    assert conflict.value.part == META
    assert conflict.value.current_meta["group_size"] == 15
    persona.refresh_from_db()
    assert persona.group_size == 15


def test_too_many_lines_are_refused(persona: Persona, opsteller: Membership) -> None:
    with pytest.raises(ValidationError):
        services.persona_section_save(
            persona=persona,
            section=Section.WHO,
            items=[ItemInput(f"regel {n}") for n in range(MAX_ITEMS_PER_SECTION + 1)],
            expected_version=0,
            user=opsteller.user,
        )
    assert _texts(persona, Section.WHO) == ["Sam is 9 jaar"]


def test_signal_of_another_organisation_is_refused(
    persona: Persona, opsteller: Membership, other_organisation: Organisation
) -> None:
    foreign = services.signal_add(
        organisation=other_organisation,
        domain=Signal.objects.first().domain,  # type: ignore[union-attr]
        name="Geheim signaal",
    )
    with pytest.raises(ValidationError) as error:
        services.persona_section_save(
            persona=persona,
            section=Section.PROBLEMS,
            items=[ItemInput("Geheim signaal", signal_id=foreign.pk)],
            expected_version=0,
            user=opsteller.user,
        )
    assert str(services.UNKNOWN_SIGNAL) in error.value.messages


def test_archived_persona_cannot_be_edited(persona: Persona, opsteller: Membership) -> None:
    services.persona_archive(persona=persona, user=opsteller.user)
    with pytest.raises(ValidationError):
        services.persona_section_save(
            persona=persona,
            section=Section.WHO,
            items=[ItemInput("nieuw")],
            expected_version=0,
            user=opsteller.user,
        )
    services.persona_unarchive(persona=persona, user=opsteller.user)
    persona.refresh_from_db()
    assert not persona.is_archived


def test_duplicate_copies_lines_and_scenarios(persona: Persona, opsteller: Membership) -> None:
    copy = services.persona_duplicate(persona=persona, user=opsteller.user)
    assert copy.name == "Kopie van Sam"
    assert copy.based_on == persona
    assert _texts(copy, Section.PROBLEMS) == ["Overprikkeling"]
    assert copy.scenarios.count() == persona.scenarios.count()
    assert copy.revisions.count() == 1


def test_restore_puts_back_an_old_version_as_a_new_one(
    persona: Persona, opsteller: Membership
) -> None:
    first = persona.revisions.get()
    services.persona_section_save(
        persona=persona,
        section=Section.WHO,
        items=[ItemInput("Helemaal anders")],
        expected_version=0,
        user=opsteller.user,
    )
    services.persona_restore(persona=persona, revision=first, user=opsteller.user)
    persona.refresh_from_db()
    assert _texts(persona, Section.WHO) == ["Sam is 9 jaar"]
    assert persona.revisions.count() == 3
    # Editors that opened the section before the restore now get a conflict.
    assert persona.version_of(Section.WHO) == 2


def test_comments_can_be_deleted_by_their_author_or_a_beheerder(
    persona: Persona, meelezer: Membership, opsteller: Membership
) -> None:
    comment = services.persona_comment_add(
        persona=persona, section=Section.NEEDS, author=meelezer.user, text="Herkenbaar!"
    )
    with pytest.raises(ValidationError):
        services.persona_comment_delete(comment=comment, user=opsteller.user, is_beheerder=False)
    services.persona_comment_delete(comment=comment, user=opsteller.user, is_beheerder=True)
    assert not persona.comments.exists()


def test_empty_comment_is_refused(persona: Persona, meelezer: Membership) -> None:
    with pytest.raises(ValidationError):
        services.persona_comment_add(
            persona=persona, section=Section.NEEDS, author=meelezer.user, text="   "
        )


def test_catalogue_per_organisation(
    organisation: Organisation, other_organisation: Organisation
) -> None:
    shared = Signal.objects.get(name="Overprikkeling")
    domain = shared.domain
    own = services.signal_add(organisation=organisation, domain=domain, name="Snel afgeleid")
    services.signal_add(organisation=other_organisation, domain=domain, name="Alleen bij B")
    visible = set(Signal.objects.for_organisation(organisation).values_list("name", flat=True))
    assert {"Overprikkeling", "Snel afgeleid"} <= visible
    assert "Alleen bij B" not in visible

    services.signal_retire(organisation=organisation, signal=shared)
    services.signal_retire(organisation=organisation, signal=own)
    visible = set(Signal.objects.for_organisation(organisation).values_list("name", flat=True))
    assert not {"Overprikkeling", "Snel afgeleid"} & visible
    # Hiding a shared signal only hides it for this organisation.
    assert Signal.objects.for_organisation(other_organisation).filter(pk=shared.pk).exists()
    assert HiddenSignal.objects.filter(organisation=organisation).count() == 1

    services.signal_unhide(organisation=organisation, signal=shared)
    assert Signal.objects.for_organisation(organisation).filter(pk=shared.pk).exists()
    again = services.signal_add(organisation=organisation, domain=domain, name="snel afgeleid")
    assert again.pk == own.pk  # a retired own signal comes back instead of a duplicate


def test_a_shared_signal_cannot_be_added_twice(organisation: Organisation) -> None:
    shared = Signal.objects.get(name="Overprikkeling")
    with pytest.raises(ValidationError):
        services.signal_add(organisation=organisation, domain=shared.domain, name="overprikkeling")


def test_items_keep_their_signal(persona: Persona, opsteller: Membership) -> None:
    signal = Signal.objects.get(name="Overprikkeling")
    services.persona_section_save(
        persona=persona,
        section=Section.PROBLEMS,
        items=[ItemInput("Overprikkeling", signal_id=signal.pk)],
        expected_version=0,
        user=opsteller.user,
    )
    assert PersonaItem.objects.get(persona=persona, section=Section.PROBLEMS).signal == signal


def test_conflict_names_who_saved_that_section(
    persona: Persona, opsteller: Membership, make_member: Callable
) -> None:
    other = make_member(persona.organisation, Role.OPSTELLER).user
    services.persona_section_save(
        persona=persona,
        section=Section.NEEDS,
        items=[ItemInput("Rust")],
        expected_version=0,
        user=other,
    )
    # A later change elsewhere by someone else must not take the credit.
    services.persona_section_save(
        persona=persona,
        section=Section.WHO,
        items=[ItemInput("Sam")],
        expected_version=0,
        user=opsteller.user,
    )
    with pytest.raises(EditConflict) as conflict:
        services.persona_section_save(
            persona=persona,
            section=Section.NEEDS,
            items=[ItemInput("Structuur")],
            expected_version=0,
            user=opsteller.user,
        )
    assert conflict.value.changed_by == other.get_full_name()


def test_restore_of_a_snapshot_without_costs_keeps_the_costs(
    persona: Persona, opsteller: Membership
) -> None:
    revision = persona.revisions.get()
    snapshot = dict(revision.snapshot)
    del snapshot["costs"]
    revision.snapshot = snapshot
    revision.save()
    scenarios = persona.scenarios.count()
    services.persona_restore(persona=persona, revision=revision, user=opsteller.user)
    assert persona.scenarios.count() == scenarios


def test_a_signal_may_not_look_like_an_identifier(organisation: Organisation) -> None:
    shared = Signal.objects.get(name="Overprikkeling")
    with pytest.raises(ValidationError) as error:
        services.signal_add(organisation=organisation, domain=shared.domain, name="Naam ouder")
    assert str(services.SIGNAL_LOOKS_LIKE_IDENTIFIER) in str(error.value)


def test_a_signal_may_not_clash_with_a_screening_column(organisation: Organisation) -> None:
    shared = Signal.objects.get(name="Overprikkeling")
    for name in ("leeftijd", "Schoolsoort", "OVERPRIKKELING ", "Overprikkéling"):
        with pytest.raises(ValidationError):
            services.signal_add(organisation=organisation, domain=shared.domain, name=name)
