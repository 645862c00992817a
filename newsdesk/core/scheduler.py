"""Periodic background jobs for ``newsdesk worker``.

Apps register jobs with the ``newsdesk_periodic_tasks`` Wagtail hook, returning a list of
:class:`PeriodicTask`. Each worker process runs a :class:`Scheduler` thread that enqueues a due
job's task; the claim is one conditional UPDATE in the database, so however many workers run on
however many machines, each job is enqueued once per interval.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections, transaction
from django.db.utils import DatabaseError, IntegrityError
from django.utils import timezone
from wagtail import hooks

from .models import PeriodicRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    every: timedelta
    task: object  # a django-tasks Task

    def enqueue(self):
        return self.task.enqueue()


def periodic_tasks() -> list[PeriodicTask]:
    found = []
    for provide in hooks.get_hooks("newsdesk_periodic_tasks"):
        found.extend(provide())
    return found


def claim(job: PeriodicTask, now=None) -> bool:
    """True for exactly one caller per interval, across processes and machines."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    except IntegrityError:
        pass  # another worker created it first
    won = PeriodicRun.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_run_at=now
    )
    return won == 1


def run_due(now=None) -> list[str]:
    enqueued = []
    for job in periodic_tasks():
        if claim(job, now):
            job.enqueue()
            enqueued.append(job.name)
    return enqueued


class Scheduler(threading.Thread):
    def __init__(self, tick: float = 1.0):
        super().__init__(name="newsdesk-scheduler", daemon=True)
        self.tick = tick
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.tick):
            try:
                for name in run_due():
                    logger.info("Enqueued periodic job %s", name)
            except DatabaseError as error:
                logger.warning("Scheduler could not reach the database: %s", error)
            finally:
                close_old_connections()

    def stop(self) -> None:
        self.stopped.set()
