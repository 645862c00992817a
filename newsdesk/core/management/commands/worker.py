"""``newsdesk worker``: runs background tasks and enqueues periodic jobs until stopped."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsdesk.core.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run background tasks (search indexing, scheduled publishing, counters) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="Seconds between polls.")

    def handle(self, *args, interval, **options):
        if not settings.REDIS_URL:
            self.stderr.write(
                "Without NEWSDESK_REDIS_URL the app server's cache lives in its own process, "
                "which this worker cannot purge: run `newsdesk serve --with-worker` instead so "
                "scheduled publishing reaches cached pages at once."
            )
        scheduler = Scheduler()
        scheduler.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                interval=interval,
                reload=False,
                startup_delay=False,
                verbosity=options["verbosity"],
            )
        finally:
            scheduler.stop()
