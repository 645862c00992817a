from django.core.management import call_command
from django_tasks import task


@task()
def prune_task_results() -> None:
    """Finished task results are kept a week for inspection, then removed."""
    call_command("prune_db_task_results", min_age_days=7, verbosity=0)
