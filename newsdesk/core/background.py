"""The task worker and scheduler as threads of the app server (the embedded default).

Without Redis the cache lives inside the app server's process. A worker in a process of its
own would purge its own, empty cache when it publishes a scheduled story, and readers would
keep getting the cached fronts. So `newsdesk serve --with-worker` without Redis runs the
worker in the server's (single) process; with Redis the worker is a process of its own.
"""

import logging
import threading

from django.utils.crypto import get_random_string

from .scheduler import Scheduler

logger = logging.getLogger(__name__)


class InProcessWorker:
    def __init__(self, interval: float = 0.5):
        from django_tasks_db.management.commands.db_worker import Worker

        self.worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        self.scheduler = Scheduler()
        self.thread = threading.Thread(target=self._run, name="newsdesk-worker", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run()
        except Exception:  # the server must keep serving; the failure is logged
            logger.exception("The in-process task worker stopped")

    def start(self) -> "InProcessWorker":
        self.scheduler.start()
        self.thread.start()
        logger.info("Task worker running inside the app server process")
        return self

    def stop(self) -> None:
        self.scheduler.stop()
        self.worker.running = False
