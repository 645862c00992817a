from datetime import timedelta

from wagtail import hooks

from .scheduler import PeriodicTask
from .tasks import prune_task_results


@hooks.register("newsdesk_periodic_tasks")
def core_periodic_tasks():
    return [PeriodicTask("core.prune_task_results", timedelta(hours=6), prune_task_results)]
