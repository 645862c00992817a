from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsdesk.news.demo.loader import Tally

from ...demo import ensure_comments


class Command(BaseCommand):
    help = "Ensure the seed article has at least N approved comments (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--approved", type=int, default=20, help="Approved comments (20).")

    def handle(self, *args, approved, **options):
        if approved < 0 or approved > 10_000:
            raise CommandError("--approved must be between 0 and 10,000.")
        tally = Tally()
        added = ensure_comments(self.stdout, tally, timezone.now(), approved=approved)
        if not tally.created and not tally.found and approved:
            raise CommandError("The seed article is missing: run `newsdesk demo` first.")
        self.stdout.write(self.style.SUCCESS(f"Comments: {added} added; {tally.summary()}"))
