"""Writes for step 2: start a grouping, carry it out (by the worker), adjust it, and turn a
group into a persona draft."""

from __future__ import annotations

import io
import logging
import secrets
from dataclasses import asdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zio.common.privacy import round_to_base
from zio.costs.constants import ScenarioKind, Unit
from zio.costs.models import FundingStream
from zio.costs.services import cost_line_create
from zio.organisations.constants import SchoolType
from zio.organisations.models import Organisation
from zio.personas.constants import PersonaStatus, Section
from zio.personas.models import Signal
from zio.personas.services import ItemInput, persona_create, persona_section_save
from zio.screening.models import Screening

from .analysis import AnalysisSettings, GroupProfile, analyse, merge_small_groups, profiles
from .explain import explain_groups
from .models import Group, GroupingEvent, GroupingRun, RunStatus
from .selectors import (
    allowed_screenings,
    common_signal_ids,
    group_explanation,
    pooled_data,
    run_unavailable,
    stored_profiles,
    unpack_result,
)

if TYPE_CHECKING:
    from zio.accounts.models import User
    from zio.personas.models import Persona

logger = logging.getLogger(__name__)

TOO_FEW_PUPILS = gettext_lazy(
    "Deze screening heeft minder dan %(threshold)s leerlingen. Groepen van zo weinig leerlingen "
    "zouden leerlingen herkenbaar maken; daarom groepeert ZiO Persona's ze niet. Groepeer samen "
    "met andere scholen uit de regio, als die hun screening delen."
)
NO_SCREENING = gettext_lazy("Kies minstens één screening.")
NOT_ALLOWED_SCREENING = gettext_lazy(
    "Deze screening is niet van jouw organisatie en niet gedeeld voor regionaal groeperen."
)
ONE_OTHER_SCHOOL = gettext_lazy(
    "Kies screenings van minstens twee andere scholen, of alleen je eigen screening. Met de "
    "screening van één andere school zou je de cijfers van die school zien."
)
NO_COMMON_SIGNALS = gettext_lazy(
    "Deze screenings hebben geen signalen gemeen. Kies screenings met hetzelfde sjabloon."
)
TOO_FEW_SIGNALS = gettext_lazy("Kies minstens twee signalen om op te groeperen.")
UNKNOWN_SIGNALS = gettext_lazy("Kies alleen signalen die in de gekozen screenings staan.")
BAD_K = gettext_lazy("Kies een aantal groepen van 1 tot en met 10, of laat de tool kiezen.")
SAME_GROUP = gettext_lazy("Kies twee verschillende groepen om samen te voegen.")
GROUP_GONE = gettext_lazy("Deze groep is al samengevoegd met een andere.")
EMPTY_TITLE = gettext_lazy("Geef de groep een naam.")
NOT_FINISHED = gettext_lazy("Deze groepering is nog niet klaar.")
FAILED = gettext_lazy(
    "Het groeperen is niet gelukt. Er is niets veranderd. Probeer het opnieuw, eventueel met "
    "minder groepen of minder signalen."
)

# Below this many pupils, groups from one school are often too fuzzy: the page says so.
RELIABLE_PUPILS = 200
K_MAX = 10  # the most groups anyone can ask for


# --- storing results ---------------------------------------------------------------------------


def _pack(**arrays: npt.NDArray[Any]) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def _store_groups(
    run: GroupingRun,
    assignment: npt.NDArray[Any],
    posterior_max: npt.NDArray[Any],
    groups: list[GroupProfile],
    population_prevalence: npt.NDArray[Any],
) -> None:
    run.result = _pack(
        assignment=assignment.astype(np.int16),
        posterior_max=posterior_max.astype(np.float32),
        population_prevalence=population_prevalence,
        numbers=np.array([g.number for g in groups], dtype=np.int16),
        prevalence=(
            np.vstack([g.prevalence for g in groups])
            if groups
            else np.zeros((0, len(population_prevalence)))
        ),
        mean_posterior=np.array([g.mean_posterior for g in groups], dtype=np.float64),
        stability=np.array(
            [np.nan if g.stability is None else g.stability for g in groups], dtype=np.float64
        ),
    )


# --- start and carry out -------------------------------------------------------------------


def grouping_start(
    *,
    organisation: Organisation,
    screenings: list[Screening],
    user: User | None,
    k: int | None = None,
    signal_ids: list[int] | None = None,
    based_on: GroupingRun | None = None,
    seed: int | None = None,
    enqueue: bool = True,
) -> GroupingRun:
    """Record a grouping run and hand it to the worker (`enqueue=False`: the caller runs
    `grouping_execute` itself, as the command does, so that no worker runs it twice)."""
    from .tasks import run_grouping

    if not screenings:
        raise ValidationError(NO_SCREENING)
    allowed = {s.pk for s in allowed_screenings(organisation)}
    if any(s.pk not in allowed for s in screenings):
        raise ValidationError(NOT_ALLOWED_SCREENING)
    # Groups of one other school would show that school's own figures, also when pooled with
    # one's own screening (subtract your own and the rest is theirs): other schools' screenings
    # only come two or more at a time.
    others = {s.organisation_id for s in screenings} - {organisation.pk}
    if len(others) == 1:
        raise ValidationError(ONE_OTHER_SCHOOL)
    threshold = settings.SMALL_CELL_THRESHOLD
    if sum(s.pupil_count for s in screenings) < threshold:
        raise ValidationError(TOO_FEW_PUPILS % {"threshold": threshold})
    common = common_signal_ids(screenings)
    if not common:
        raise ValidationError(NO_COMMON_SIGNALS)
    chosen = common if signal_ids is None else [i for i in common if i in set(signal_ids)]
    if signal_ids is not None and len(chosen) != len(set(signal_ids)):
        raise ValidationError(UNKNOWN_SIGNALS)
    if len(chosen) < 2:
        raise ValidationError(TOO_FEW_SIGNALS)
    if k is not None and not 1 <= k <= K_MAX:
        raise ValidationError(BAD_K)
    names = dict(zip(screenings[0].signal_ids, screenings[0].signal_names, strict=True))
    for screening in screenings[1:]:
        names.update(zip(screening.signal_ids, screening.signal_names, strict=True))
    run = GroupingRun.objects.create(
        organisation=organisation,
        based_on=based_on,
        signal_ids=chosen,
        signal_names=[names[i] for i in chosen],
        parameters={
            "k_min": 1,
            "k_max": max(settings.GROUPING_K_MAX, k or 1),
            "k": k,
            "n_init": settings.GROUPING_N_INIT,
            "bootstrap": settings.GROUPING_BOOTSTRAP,
            # A fixed seed per run: the same run can be repeated exactly from its parameters.
            "seed": seed if seed is not None else secrets.randbelow(2**31),
        },
        pupil_count=sum(s.pupil_count for s in screenings),
        created_by=user,
    )
    run.screenings.set(screenings)
    if based_on is not None:
        _event(based_on, user, _("Opnieuw gegroepeerd (nieuwe groepering %(id)s)") % {"id": run.pk})
    if enqueue:
        transaction.on_commit(lambda: run_grouping.enqueue(run.pk))
    return run


def _set_progress(run: GroupingRun, percent: int, stage: str) -> None:
    GroupingRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress=max(0, min(100, percent)), stage=stage[:120]
    )


def grouping_execute(*, run_id: int) -> GroupingRun:
    """Fit the model and store the groups. Never raises: the outcome is in the run's status."""
    run = GroupingRun.objects.get(pk=run_id)
    if run.is_finished:
        return run
    try:
        _set_progress(run, 2, _("Gegevens klaarzetten"))
        parsed, columns = pooled_data(list(run.screenings.all()), run.signal_ids)
        parameters = run.parameters
        analysis_settings = AnalysisSettings(
            k_min=parameters["k_min"],
            k_max=min(parameters["k_max"], parsed.pupil_count),
            n_init=parameters["n_init"],
            seed=parameters["seed"],
            bootstrap=parameters["bootstrap"],
            k=parameters["k"],
        )
        result = analyse(
            parsed.signals,
            analysis_settings,
            progress=lambda percent, stage: _set_progress(run, 5 + percent * 90 // 100, stage),
        )
        threshold = settings.SMALL_CELL_THRESHOLD
        assignment, merged = merge_small_groups(parsed.signals, result.assignment, threshold)
        groups = result.groups
        if merged:
            groups = profiles(parsed.signals, assignment, result.posterior_max)
        explanations = {
            e.number: e
            for e in explain_groups(
                parsed, columns, assignment, groups, result.population_prevalence, threshold
            )
        }
        with transaction.atomic():
            run.fits = [asdict(f) for f in result.fits]
            run.chosen_k = result.chosen_k
            run.relative_entropy = result.relative_entropy
            run.versions = dict(result.versions)
            run.small_groups_merged = [list(pair) for pair in merged]
            _store_groups(
                run, assignment, result.posterior_max, groups, result.population_prevalence
            )
            Group.objects.bulk_create(
                Group(
                    run=run,
                    number=g.number,
                    title=explanations[g.number].title[:120],
                    size=g.size,
                )
                for g in groups
            )
            run.status = RunStatus.DONE
    except Exception:
        logger.exception("Grouping run %s failed", run.pk)
        run.status = RunStatus.FAILED
        run.message = str(FAILED)
    run.progress = 100
    run.stage = ""
    run.finished_at = timezone.now()
    run.save()
    return run


# --- adjust --------------------------------------------------------------------------------


def _event(run: GroupingRun, user: User | None, description: str) -> None:
    GroupingEvent.objects.create(run=run, author=user, description=description[:300])


def group_rename(*, group: Group, title: str, user: User) -> Group:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": EMPTY_TITLE})
    old = group.title
    group.title = title[:120]
    group.full_clean()
    group.save(update_fields=["title"])
    _event(
        group.run,
        user,
        _("Groep %(n)s hernoemd: %(old)s → %(new)s")
        % {"n": group.number, "old": old, "new": group.title},
    )
    return group


def group_set_aside(*, group: Group, user: User, set_aside: bool) -> Group:
    group.set_aside = set_aside
    group.save(update_fields=["set_aside"])
    text = _("Groep %(n)s opzijgezet") if set_aside else _("Groep %(n)s weer meegenomen")
    _event(group.run, user, text % {"n": group.number})
    return group


def group_merge(*, run: GroupingRun, keep: Group, absorb: Group, user: User) -> Group:
    """Put the pupils of `absorb` into `keep`; `absorb` stays in the history as merged."""
    if keep.pk == absorb.pk:
        raise ValidationError(SAME_GROUP)
    if keep.run_id != run.pk or absorb.run_id != run.pk:
        raise ValidationError(SAME_GROUP)
    if not keep.is_active or not absorb.is_active:
        raise ValidationError(GROUP_GONE)
    with transaction.atomic():
        run = GroupingRun.objects.select_for_update().get(pk=run.pk)
        arrays = unpack_result(run)
        assignment = arrays["assignment"].copy()
        assignment[assignment == absorb.number] = keep.number
        parsed, _columns = pooled_data(list(run.screenings.all()), run.signal_ids)
        # Numbers stay as they were: personas refer to "groep 3" and must keep doing so.
        fresh = {p.number: p for p in profiles(parsed.signals, assignment, arrays["posterior_max"])}
        groups = []
        for old in stored_profiles(run):
            if old.number == absorb.number:
                continue
            profile = fresh.get(old.number, old)
            if old.number != keep.number:
                profile.stability = old.stability
            profile.number = old.number
            groups.append(profile)
        _store_groups(
            run, assignment, arrays["posterior_max"], groups, arrays["population_prevalence"]
        )
        run.save(update_fields=["result"])
        keep.size = int((assignment == keep.number).sum())
        keep.save(update_fields=["size"])
        absorb.merged_into = keep
        absorb.save(update_fields=["merged_into"])
        _event(
            run,
            user,
            _("Groep %(absorb)s samengevoegd met groep %(keep)s")
            % {"absorb": absorb.number, "keep": keep.number},
        )
    return keep


# --- persona draft -------------------------------------------------------------------------

# Made-up first names for persona drafts: short, common in Dutch schools, varied.
DRAFT_NAMES = (
    "Sam",
    "Lina",
    "Daan",
    "Esra",
    "Mila",
    "Yusuf",
    "Fenna",
    "Ravi",
    "Ilse",
    "Noah",
    "Amira",
    "Jesse",
    "Zoë",
    "Milan",
    "Sara",
    "Thijs",
    "Nora",
    "Ayoub",
    "Lotte",
    "Finn",
)

# Support that fewer of the group receive is left out of the draft: shares are clamped to 5%
# or more, so a rare one would otherwise turn one pupil into a line for five.
DRAFT_SUPPORT_MIN_PERCENT = 15

# Which funding stream usually pays for each kind of support in the screening.
SUPPORT_STREAMS = {
    "Individuele begeleiding": "jeugdhulp-individueel",
    "Begeleiding in een groep": "jeugdhulp-collectief",
    "Persoonlijke verzorging": "wlz",
    "Verpleging": "zvw",
    "Behandeling": "jeugdhulp-individueel",
    "Toezicht": "eigen-middelen",
    "Aanvullend onderwijsarrangement": "aanvullend-arrangement",
    "Individuele beschikking jeugdhulp": "jeugdhulp-individueel",
}


def _draft_name(organisation: Organisation, number: int) -> str:
    from zio.personas.models import Persona

    taken = set(Persona.objects.for_organisation(organisation).values_list("name", flat=True))
    for offset in range(len(DRAFT_NAMES)):
        name = DRAFT_NAMES[(number - 1 + offset) % len(DRAFT_NAMES)]
        if name not in taken:
            return name
    return f"{DRAFT_NAMES[(number - 1) % len(DRAFT_NAMES)]} {number}"


def persona_from_group(*, group: Group, user: User) -> Persona:
    """A concept persona for the group: its size, ages, school type, its distinguishing signals
    as problems and the support it receives now as draft cost lines of the current situation."""
    if not group.is_active:
        raise ValidationError(GROUP_GONE)
    run = group.run
    unavailable = run_unavailable(run)
    if unavailable:
        raise ValidationError(unavailable)
    explanation = group_explanation(group)
    organisation = run.organisation
    school_year = ", ".join(sorted({s.school_year for s in run.screenings.all()}))
    name = _draft_name(organisation, group.number)
    school_type = explanation.main_school_type.lower()
    school_types = [school_type] if school_type in SchoolType.values else []
    size = max(round_to_base(group.size), settings.SMALL_CELL_THRESHOLD)
    age_min = explanation.age_min if explanation.age_min is not None else 4
    age_max = explanation.age_max if explanation.age_max is not None else max(age_min, 12)
    who = [
        _("%(name)s staat voor groep %(n)s (%(title)s) uit de screening van %(year)s.")
        % {"name": name, "n": group.number, "title": group.title, "year": school_year},
        _("Ongeveer %(size)s leerlingen van %(min)s tot en met %(max)s jaar.")
        % {"size": size, "min": age_min, "max": age_max},
    ]
    with transaction.atomic():
        persona = persona_create(
            organisation=organisation,
            name=name,
            group_size=size,
            age_min=max(3, min(age_min, 21)),
            age_max=max(3, min(age_max, 21)),
            school_types=school_types,
            status=PersonaStatus.CONCEPT,
            sections={Section.WHO: who},
            created_by=user,
        )
        persona.source_group = group
        persona.save(update_fields=["source_group"])
        # A pooled screening may hold another school's own signals: those become plain text.
        known = set(Signal.objects.for_organisation(organisation).values_list("pk", flat=True))
        problems = [
            ItemInput(
                text=d.signal.name,
                signal_id=d.signal.signal_id if d.signal.signal_id in known else None,
            )
            for d in explanation.distinguishing
        ]
        if problems:
            persona_section_save(
                persona=persona,
                section=Section.PROBLEMS,
                items=problems,
                expected_version=0,
                user=user,
            )
        current = persona.scenarios.get(kind=ScenarioKind.CURRENT)
        streams = {s.code: s for s in FundingStream.objects.all()}
        for support, pct in explanation.support:
            if pct < DRAFT_SUPPORT_MIN_PERCENT:
                continue
            stream = streams.get(SUPPORT_STREAMS.get(support, "eigen-middelen"))
            pupils = round_to_base(group.size * pct // 100)
            if stream is None or pupils < 1:
                continue
            cost_line_create(
                scenario=current,
                description=_("%(support)s (uit de screening; bedrag nog invullen)")
                % {"support": support},
                funding_stream=stream,
                unit=Unit.PUPIL_YEAR,
                rate=Decimal("0"),
                pupils=min(pupils, size),
            )
        _event(
            run,
            user,
            _("Persona %(name)s gemaakt van groep %(n)s") % {"name": name, "n": group.number},
        )
    return persona
