"""Load the demo data. Idempotent: running it again changes nothing that is already there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zio.accounts.models import User
from zio.accounts.services import user_create
from zio.costs.models import FundingStream
from zio.costs.services import (
    cost_line_create,
    scenario_add_desired,
    scenario_update,
    tariffs_seed_indicative,
)
from zio.library.models import Publication
from zio.library.services import publication_publish, reaction_add
from zio.organisations.models import Membership, Organisation, Region
from zio.organisations.services import membership_create, organisation_create, region_create
from zio.personas.models import Persona
from zio.personas.services import persona_create
from zio.regions.services import persona_shares_set
from zio.screening.forms import current_school_year
from zio.screening.models import ImportStatus, ScreeningImport
from zio.screening.services import screening_import_run, screening_spec
from zio.workshops import services as workshop_services
from zio.workshops.constants import ActionStatus, NoteKind, Round, Starter
from zio.workshops.models import Workshop

from . import content
from .screening import demo_screening_csv


@dataclass
class SeedReport:
    created: list[str] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.created.append(what)


def demo_seed(*, password: str = content.DEMO_PASSWORD) -> SeedReport:
    report = SeedReport()
    with transaction.atomic():
        organisations: dict[str, Organisation] = {}
        for key, data in content.ORGANISATIONS.items():
            organisation = Organisation.objects.filter(name=data["name"]).first()
            if organisation is None:
                organisation = organisation_create(**data)
                report.note(f"organisatie {organisation.name}")
            organisations[key] = organisation

        region = Region.objects.filter(name=content.REGION["name"]).first()
        if region is None:
            region = region_create(**content.REGION, organisations=list(organisations.values()))
            report.note(f"regio {region.name}")

        for email, full_name, roles in content.USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = user_create(email=email, password=password, full_name=full_name)
                report.note(f"gebruiker {email}")
            for key, role in roles:
                organisation = organisations[key]
                if not Membership.objects.filter(user=user, organisation=organisation).exists():
                    membership_create(user=user, organisation=organisation, role=role)
                    report.note(f"lidmaatschap {email} bij {organisation.name}")

        tariffs = region.tariffs.filter(year=content.TARIFF_YEAR)
        if not tariffs.exists():
            added = tariffs_seed_indicative(region=region, year=content.TARIFF_YEAR)
            report.note(f"{added} indicatieve tarieven voor {region.name}")

        _seed_persona(organisations, region, report)
        _seed_publication(organisations["sbo"], report)
        _seed_workshop(organisations["sbo"], report)
    for key, pupils, ages, seed in (("sbo", 150, (6, 12), 1), ("vso", 120, (12, 18), 2)):
        _seed_screening(organisations[key], pupils=pupils, ages=ages, seed=seed, report=report)
    return report


def _seed_screening(
    organisation: Organisation, *, pupils: int, ages: tuple[int, int], seed: int, report: SeedReport
) -> None:
    if organisation.screenings.exists():
        return
    data = demo_screening_csv(
        screening_spec(organisation), pupils=pupils, ages=ages, seed=seed
    ).encode()
    job = ScreeningImport.objects.create(
        organisation=organisation,
        school_year=current_school_year(),
        filename="demo-screening.csv",
        size=len(data),
    )
    job = screening_import_run(import_id=str(job.pk), data=data)
    if job.status != ImportStatus.DONE:
        raise RuntimeError(f"Demo screening refused: {job.problems[:3]}")
    report.note(f"screening van {organisation.name} ({pupils} leerlingen)")


def _seed_persona(
    organisations: dict[str, Organisation], region: Region, report: SeedReport
) -> None:
    data = dict(content.PERSONA)
    organisation = organisations[data.pop("organisation")]
    if Persona.objects.filter(organisation=organisation, name=data["name"]).exists():
        return
    persona = persona_create(organisation=organisation, **data)
    _seed_costs(persona, region)
    # The school shares it with the region, so that the region view has something to show.
    persona_shares_set(persona=persona, regions=[region], user=None)
    report.note(f"persona {persona.name} met kosten, gedeeld met {region.name}")


def _seed_publication(organisation: Organisation, report: SeedReport) -> None:
    """The demo persona in the library, without the school's name, so that the library is not
    empty and shows what an anonymous publication looks like."""
    persona = Persona.objects.filter(organisation=organisation, name=content.PERSONA["name"]).get()
    if Publication.objects.filter(source=persona).exists():
        return
    publisher = User.objects.get(email__iexact=content.USERS[0][0])
    publication = publication_publish(
        persona=persona,
        user=publisher,
        title=content.PUBLICATION_TITLE,
        summary=content.PUBLICATION_SUMMARY,
        show_organisation=False,
        with_costs=True,
    )
    email, organisation_key, text = content.PUBLICATION_REACTION
    reaction_add(
        publication=publication,
        user=User.objects.get(email__iexact=email),
        organisation=Organisation.objects.get(name=content.ORGANISATIONS[organisation_key]["name"]),
        text=text,
        show_organisation=True,
    )
    report.note(f"persona {persona.name} in de bibliotheek, met een reactie")


def _seed_costs(persona: Persona, region: Region) -> None:
    for key, name in content.PERSONA_SCENARIO_NAMES.items():
        kind, _, label = key.partition(":")
        scenario = persona.scenarios.filter(kind=kind, label=label).first()
        if scenario is None:
            scenario = scenario_add_desired(persona=persona, name=name)
        else:
            scenario_update(scenario=scenario, name=name)
    tariffs = {t.name: t for t in region.tariffs.filter(year=content.TARIFF_YEAR)}
    streams = {s.code: s for s in FundingStream.objects.all()}
    for key, lines in content.PERSONA_COSTS.items():
        kind, _, label = key.partition(":")
        scenario = persona.scenarios.get(kind=kind, label=label)
        for line in lines:
            tariff = tariffs.get(line["tariff"]) if line.get("tariff") else None
            cost_line_create(
                scenario=scenario,
                description=line["description"],
                funding_stream=streams[line["stream"]],
                unit=line.get("unit"),
                tariff=tariff,
                rate=Decimal(line["rate"]) if line.get("rate") else None,
                hours_per_week=Decimal(line["hours_per_week"])
                if "hours_per_week" in line
                else None,
                weeks=Decimal(line["weeks"]) if "weeks" in line else None,
                pupils=line.get("pupils"),
            )


def _seed_workshop(organisation: Organisation, report: SeedReport) -> None:
    """A doen-sessie of the school held up to the closing round: an introduction, post-its,
    votes, the top 3's on the plane, and two next steps on the action list (one overdue)."""
    if Workshop.objects.filter(organisation=organisation).exists():
        return
    leader = User.objects.get(email__iexact=content.WORKSHOP_LEADER)
    workshop = workshop_services.workshop_create(
        organisation=organisation,
        user=leader,
        title=content.WORKSHOP_TITLE,
        personas=list(Persona.objects.filter(organisation=organisation)),
        # The demo session stays open for guests, so that joining with its code can be tried.
        expires_at=timezone.now() + timedelta(days=365),
    )
    table = workshop.tables.get()
    me = workshop.participants.get(user=leader)
    workshop_services.introduction_save(participant=me, **content.WORKSHOP_INTRODUCTION)
    workshop_services.round_start(table=table, user=leader, round=Round.ACTORS_FACTORS)
    notes = [
        workshop_services.note_add(
            table=table, participant=me, kind=NoteKind(kind), text=text, detail=detail
        )
        for kind, text, detail in content.WORKSHOP_NOTES
    ]
    workshop_services.round_start(table=table, user=leader, round=Round.CHOOSE)
    places = iter(content.WORKSHOP_PLACES)
    for kind in NoteKind:
        top = [n for n in notes if n.kind == kind][:3]
        for note in top:
            workshop_services.vote_cast(participant=me, note=note)
        for choice in workshop_services.choices_set(
            table=table, user=leader, kind=kind, note_ids=[n.pk for n in top]
        ):
            support, feasibility = next(places)
            workshop_services.choice_place(
                choice=choice, participant=me, support=support, feasibility=feasibility
            )
    workshop_services.round_start(table=table, user=leader, round=Round.NEXT_STEPS)
    today = timezone.localdate()
    for step, days, status in content.WORKSHOP_STEPS:
        created = workshop_services.next_step_add(
            table=table,
            participant=me,
            starter=Starter(step["starter"]),
            who=step["who"],
            what=step["what"],
            where=step["where"],
            when=step["when"],
            why=step["why"],
            how=step["how"],
            due_date=today + timedelta(days=days),
        )
        workshop_services.action_update(action=created.action, status=ActionStatus(status))
    workshop_services.round_start(table=table, user=leader, round=Round.CLOSING)
    workshop_services.closing_answer_save(participant=me, **content.WORKSHOP_CLOSING)
    report.note(f"doen-sessie {workshop.title} met {len(content.WORKSHOP_STEPS)} acties")
