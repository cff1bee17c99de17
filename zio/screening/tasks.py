from django.tasks import task


@task()
def run_screening_import(import_id: str) -> None:
    """Large screening files are checked and stored by the worker (`manage.py db_worker`)."""
    from .services import screening_import_run

    screening_import_run(import_id=import_id)
