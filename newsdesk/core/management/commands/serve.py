"""``newsdesk serve``: the production app server (gunicorn), optionally with the task worker.

In the embedded default (no Redis) the cache lives in the process, so one process with several
threads serves every request and caches stay coherent. With Redis configured, several worker
processes share the cache and the count follows the machine's cores.
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


class Command(BaseCommand):
    help = "Serve the site with gunicorn (and the background worker with --with-worker)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=None)
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("NEWSDESK_THREADS", "8"))
        )
        parser.add_argument(
            "--with-worker", action="store_true", help="Also run `newsdesk worker` until stopped."
        )

    def handle(self, *args, host, port, workers, threads, with_worker, **options):
        workers = workers or int(os.environ.get("NEWSDESK_WORKERS", "0")) or default_workers()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            # Pages name hashed static files; without the manifest every page would fail.
            self.stdout.write("Collecting static files first…")
            call_command("collectstatic", interactive=False, verbosity=0)
        worker_process = None
        if with_worker:
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
                    "accesslog": os.environ.get("NEWSDESK_ACCESS_LOG") or None,
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
