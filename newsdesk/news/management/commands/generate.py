import time

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.signals import site_changed
from newsdesk.news.bulk import SiteGenerator


class Command(BaseCommand):
    help = (
        "Top the site up to N generated articles with bulk inserts (for benchmarks and "
        "capacity tests). Idempotent: a second run with the same N adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="Total generated articles.")
        parser.add_argument("--days", type=int, default=3650, help="Spread over this many days.")
        parser.add_argument("--batch", type=int, default=5000, help="Rows per insert.")

    def handle(self, *args, articles, days, batch, **options):
        if articles < 0 or days < 1 or batch < 1:
            raise CommandError("--articles must be ≥ 0, --days and --batch ≥ 1.")
        started = time.monotonic()
        try:
            result = SiteGenerator(self.stdout, articles, days=days, batch=batch).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if result["created"]:
            # Bulk inserts send no publishing signals: every cache of pages and lists is stale.
            site_changed.send(sender=SiteGenerator)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result['created']:,} articles in {elapsed:,.1f} s "
                f"({result['total']:,} generated articles in all)."
            )
        )
