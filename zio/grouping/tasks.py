from django.tasks import task


@task()
def run_grouping(run_id: int) -> None:
    """Fitting models takes from seconds to minutes: the worker does it, the page follows."""
    from .services import grouping_execute

    grouping_execute(run_id=run_id)
