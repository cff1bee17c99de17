from django.tasks import task


@task()
def run_export(job_id: str) -> None:
    """PDFs of many persona's take seconds: the worker makes them, the page follows."""
    from .services import export_execute

    export_execute(job_id=job_id)
