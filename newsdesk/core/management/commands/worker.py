"""``newsdesk worker``: runs background tasks from the database queue until stopped."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks (search indexing, scheduled work) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args, interval, **options):
        call_command("db_worker", interval=interval)
