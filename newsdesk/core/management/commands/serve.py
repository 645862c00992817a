"""``newsdesk serve``: the production app server (gunicorn), optionally with the task worker.

In the embedded default (no Redis) the cache lives in the process, so one process with several
threads serves every request, and ``--with-worker`` runs the task worker as threads of that
same process (see newsdesk.core.background). With Redis configured, several server processes
share the cache, the count follows the machine's cores, and the worker is a process of its own.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    if not settings.REDIS_URL:
        return 1
    return max(2, (os.cpu_count() or 1) * 2)


IN_PROCESS = {}


def start_in_process_worker(worker) -> None:
    from newsdesk.core.background import InProcessWorker

    IN_PROCESS["worker"] = InProcessWorker().start()


def stop_in_process_worker(server, worker) -> None:
    if "worker" in IN_PROCESS:
        IN_PROCESS.pop("worker").stop()


class Command(BaseCommand):
    help = "Serve the site with gunicorn (and the background worker with --with-worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.NEWSDESK_HOST)
        parser.add_argument("--port", type=int, default=settings.NEWSDESK_PORT)
        parser.add_argument("--workers", type=int, default=settings.NEWSDESK_WORKERS)
        parser.add_argument("--threads", type=int, default=settings.NEWSDESK_THREADS)
        parser.add_argument(
            "--with-worker", action="store_true", help="Also run `newsdesk worker` until stopped."
        )

    def handle(self, *args, host, port, workers, threads, with_worker, **options):
        workers = workers or default_workers()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        in_process = with_worker and not settings.REDIS_URL
        if in_process and workers > 1:
            raise CommandError(
                "Without NEWSDESK_REDIS_URL the cache lives in one process: use --workers 1."
            )
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            # Pages name hashed static files; without the manifest every page would fail.
            self.stdout.write("Collecting static files first…")
            call_command("collectstatic", interactive=False, verbosity=0)
        worker_process = None
        if with_worker and not in_process:
            worker_process = subprocess.Popen(
                [sys.executable, "-m", "newsdesk", "worker"], env=os.environ.copy()
            )
        self.stdout.write(f"Serving on http://{host}:{port}/ ({workers} × {threads} threads)")
        try:
            GunicornApplication(
                {
                    "bind": f"{host}:{port}",
                    "workers": workers,
                    "threads": threads,
                    "worker_class": "gthread",
                    "accesslog": settings.NEWSDESK_ACCESS_LOG or None,
                    "post_worker_init": start_in_process_worker if in_process else None,
                    "worker_exit": stop_in_process_worker if in_process else None,
                    "errorlog": "-",
                    "keepalive": 5,
                    # Several servers may run on one machine; a shared control socket clashes.
                    "control_socket_disable": True,
                    "graceful_timeout": 10,
                    "timeout": 60,
                    "forwarded_allow_ips": ",".join(settings.NEWSDESK_FORWARDED_ALLOW_IPS),
                }
            ).run()
        finally:
            if worker_process and worker_process.poll() is None:
                worker_process.send_signal(signal.SIGTERM)
                try:
                    worker_process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker_process.kill()


try:
    from gunicorn.app.base import BaseApplication
except ImportError:  # pragma: no cover - gunicorn is a dependency; this keeps the error readable
    BaseApplication = object


class GunicornApplication(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        from newsdesk.wsgi import application

        return application
