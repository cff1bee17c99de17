import json
from argparse import ArgumentParser
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zio.common.privacy import clamp_percentage
from zio.grouping import selectors, services
from zio.grouping.models import GroupingRun, RunStatus
from zio.screening.management.commands._organisation import organisation_by_slug
from zio.screening.models import Screening


class Command(BaseCommand):
    help = (
        "Group the pupils of a screening (latent class analysis) and print or write the groups "
        "as JSON: size and the prevalence of every signal per group, with the fit statistics."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organisation", required=True, help="the organisation's slug")
        parser.add_argument("--screening", default="latest", help="a screening id, or latest")
        parser.add_argument("--k", default="auto", help="auto, or a number of groups 1-10")
        parser.add_argument("--seed", type=int, default=0, help="for a reproducible run")
        parser.add_argument("--json", dest="json_file", help="write the JSON to this file")

    def handle(self, *args: object, **options: str) -> None:
        organisation = organisation_by_slug(options["organisation"])
        screenings = Screening.objects.for_organisation(organisation).current()
        if options["screening"] == "latest":
            screening = screenings.order_by("-school_year").first()
        else:
            screening = screenings.filter(pk=options["screening"]).first()
        if screening is None:
            raise CommandError("Geen (huidige) screening gevonden voor deze organisatie.")
        k = None if options["k"] == "auto" else int(options["k"])
        try:
            run = services.grouping_start(
                organisation=organisation,
                screenings=[screening],
                user=None,
                k=k,
                seed=int(options["seed"]),
                enqueue=False,
            )
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        # The command runs the analysis itself and waits for the result.
        run = services.grouping_execute(run_id=run.pk)
        if run.status != RunStatus.DONE:
            raise CommandError(run.message or "Groeperen mislukt.", returncode=1)
        data = groups_as_json(run)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options.get("json_file"):
            Path(options["json_file"]).write_text(text, encoding="utf-8")
            self.stdout.write(f"Groepen geschreven naar {options['json_file']}")
        else:
            self.stdout.write(text)


def groups_as_json(run: GroupingRun) -> dict[str, object]:
    """The run's groups with privacy applied: groups are never smaller than the threshold
    (small ones are merged), and prevalences are clamped to 0.05-0.95 like all shares."""
    view = selectors.run_view(run)
    assert view is not None
    profiles = {p.number: p for p in selectors.stored_profiles(run)}
    groups = []
    for group, explanation in view.explanations:
        profile = profiles[group.number]
        groups.append(
            {
                "number": group.number,
                "title": group.title,
                "size": str(explanation.size),
                "prevalence": {
                    signal.name: round(clamp_percentage(100 * float(p)) / 100, 2)
                    for signal, p in zip(view.signals, profile.prevalence, strict=True)
                },
                "distinguishing": [d.signal.name for d in explanation.distinguishing],
                "mean_posterior": explanation.mean_posterior / 100,
                "stability": explanation.stability,
            }
        )
    return {
        "run": run.pk,
        "small_cell_threshold": settings.SMALL_CELL_THRESHOLD,
        "chosen_k": run.chosen_k,
        "relative_entropy": run.relative_entropy,
        "fits": run.fits,
        "parameters": run.parameters,
        "versions": run.versions,
        "groups": groups,
    }
