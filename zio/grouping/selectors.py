"""Reads for step 2: which screenings may be grouped, the pooled data, and a run's groups as
they may be shown (explained and suppressed)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from zio.organisations.models import Organisation
from zio.screening.models import Screening
from zio.screening.selectors import parsed_screening
from zio.screening.spec import ParsedScreening, SignalColumn

from .analysis import GroupProfile
from .explain import GroupExplanation, explain_groups, profile_heatmap
from .models import Group, GroupingRun, RunStatus

SCREENING_GONE = gettext_lazy(
    "Een screening van deze groepering is verwijderd. Daarom zijn de groepen niet meer te "
    "zien. Groepeer opnieuw met de screenings die er nu zijn."
)
CONSENT_WITHDRAWN = gettext_lazy(
    "Een school heeft het delen van haar screening voor regionaal groeperen ingetrokken. "
    "Daarom zijn de groepen van deze groepering niet meer te zien."
)


def allowed_screenings(organisation: Organisation) -> list[Screening]:
    """Current screenings this organisation may group: its own, and those that schools of
    its regions shared for regional grouping."""
    regions = organisation.regions.all()
    own = Screening.objects.for_organisation(organisation).current()
    shared = (
        Screening.objects.current()
        .filter(organisation__regions__in=regions, pooling_consent_at__isnull=False)
        .exclude(organisation=organisation)
    )
    return list((own | shared).distinct().select_related("organisation").defer("data"))


# --- pooled data -----------------------------------------------------------------------------


def pooled_data(
    screenings: list[Screening], signal_ids: list[int]
) -> tuple[ParsedScreening, list[SignalColumn]]:
    """The screenings' pupils one after the other (in screening id order), with the signal
    columns in `signal_ids` order."""
    parts = [parsed_screening(s) for s in sorted(screenings, key=lambda s: s.pk)]
    names: dict[int, str] = {}
    for screening in screenings:
        names.update(zip(screening.signal_ids, screening.signal_names, strict=True))
    columns = [SignalColumn(signal_id=i, name=names[i], domain="") for i in signal_ids]
    signals = np.concatenate(
        [p.signals[:, [p.signal_ids.index(i) for i in signal_ids]] for p in parts]
    )
    support_names = parts[0].support_names
    support = np.concatenate(
        [
            p.support[:, [p.support_names.index(n) for n in support_names]]
            if all(n in p.support_names for n in support_names)
            else np.zeros((p.pupil_count, len(support_names)), dtype=np.uint8)
            for p in parts
        ]
    )
    return (
        ParsedScreening(
            code_hashes=np.concatenate([p.code_hashes for p in parts]),
            ages=np.concatenate([p.ages for p in parts]),
            grades=np.concatenate([p.grades for p in parts]),
            school_types=np.concatenate([p.school_types for p in parts]),
            signals=signals,
            support=support,
            signal_ids=list(signal_ids),
            support_names=list(support_names),
        ),
        columns,
    )


def common_signal_ids(screenings: list[Screening]) -> list[int]:
    """The signals every chosen screening has, in the first screening's column order."""
    if not screenings:
        return []
    first, *rest = sorted(screenings, key=lambda s: s.pk)
    shared = set(first.signal_ids).intersection(*(set(s.signal_ids) for s in rest))
    return [i for i in first.signal_ids if i in shared]


# --- stored results ----------------------------------------------------------------------------


def unpack_result(run: GroupingRun) -> dict[str, npt.NDArray[Any]]:
    assert run.result is not None
    with np.load(io.BytesIO(bytes(run.result)), allow_pickle=False) as arrays:
        return {name: arrays[name] for name in arrays.files}


def stored_profiles(run: GroupingRun) -> list[GroupProfile]:
    """The profiles of the run's groups as stored (after merges)."""
    arrays = unpack_result(run)
    return [
        GroupProfile(
            number=int(number),
            size=int((arrays["assignment"] == number).sum()),
            prevalence=arrays["prevalence"][index],
            mean_posterior=float(arrays["mean_posterior"][index]),
            stability=(
                None if np.isnan(arrays["stability"][index]) else float(arrays["stability"][index])
            ),
        )
        for index, number in enumerate(arrays["numbers"])
    ]


def runs_for_organisation(organisation: Organisation) -> QuerySet[GroupingRun]:
    return GroupingRun.objects.for_organisation(organisation).defer("result")


def run_for_organisation(organisation: Organisation, run_id: int) -> GroupingRun:
    return GroupingRun.objects.for_organisation(organisation).get(pk=run_id)


def group_of_run(run: GroupingRun, group_id: int) -> Group:
    return run.groups.get(pk=group_id)


def run_unavailable(run: GroupingRun) -> str | None:
    """Why the groups of a finished run may no longer be shown, or None.

    A school can withdraw its consent for regional grouping, and a screening can be deleted;
    from then on no run that used it shows its groups (to anyone), nor makes persona's.
    """
    screenings = list(run.screenings.all())
    if sum(s.pupil_count for s in screenings) != run.pupil_count:
        return str(SCREENING_GONE)
    if any(
        s.organisation_id != run.organisation_id and s.pooling_consent_at is None
        for s in screenings
    ):
        return str(CONSENT_WITHDRAWN)
    return None


@dataclass
class RunView:
    """Everything the page shows of a finished run, suppressed."""

    explanations: list[tuple[Group, GroupExplanation]]
    merged: list[Group]
    heatmap: Any
    signals: list[SignalColumn]


def _explanations(run: GroupingRun) -> tuple[dict[int, GroupExplanation], list[SignalColumn], Any]:
    parsed, columns = pooled_data(list(run.screenings.all()), run.signal_ids)
    arrays = unpack_result(run)
    groups = stored_profiles(run)
    explanations = explain_groups(
        parsed,
        columns,
        arrays["assignment"],
        groups,
        arrays["population_prevalence"],
        settings.SMALL_CELL_THRESHOLD,
    )
    heatmap = profile_heatmap(groups, arrays["population_prevalence"], columns)
    return {e.number: e for e in explanations}, columns, heatmap


def run_view(run: GroupingRun) -> RunView | None:
    if run.status != RunStatus.DONE or run.result is None or run_unavailable(run):
        return None
    by_number, columns, heatmap = _explanations(run)
    groups = list(run.groups.all())
    return RunView(
        explanations=[(g, by_number[g.number]) for g in groups if g.is_active],
        merged=[g for g in groups if not g.is_active],
        heatmap=heatmap,
        signals=columns,
    )


def group_explanation(group: Group) -> GroupExplanation:
    by_number, _columns, _heatmap = _explanations(group.run)
    return by_number[group.number]
