import time

from django.core.management.base import BaseCommand, CommandError

from newsdesk.core.signals import site_changed
from newsdesk.news.bulk import SiteGenerator

DEFAULT_DAYS = 3650


class Command(BaseCommand):
    help = (
        "Top the site up to N generated articles with bulk inserts (for benchmarks and "
        "capacity tests). Idempotent: a second run with the same N adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="Total generated articles.")
        dates = parser.add_mutually_exclusive_group()
        dates.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Spread over this many days, denser towards the present (default {DEFAULT_DAYS}).",
        )
        dates.add_argument(
            "--per-day",
            type=float,
            default=None,
            help=(
                "Publish at this steady rate instead, oldest first: sites of any size then "
                "publish alike and differ in the depth of their archive (274 a day: 1,000,000 "
                "articles over ten years)."
            ),
        )
        parser.add_argument("--batch", type=int, default=5000, help="Rows per insert.")

    def handle(self, *args, articles, days, per_day, batch, **options):
        days = DEFAULT_DAYS if days is None else days
        if articles < 0 or days < 1 or batch < 1:
            raise CommandError("--articles must be ≥ 0, --days and --batch ≥ 1.")
        if per_day is not None and not per_day > 0:
            raise CommandError("--per-day must be above 0 (a newsroom's stories a day, e.g. 274).")
        started = time.monotonic()
        generator = SiteGenerator(self.stdout, articles, days=days, batch=batch, per_day=per_day)
        try:
            result = generator.run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        if result["created"]:
            # Bulk inserts send no publishing signals: every cache of pages and lists is stale.
            site_changed.send(sender=SiteGenerator)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result['created']:,} articles in {elapsed:,.1f} s "
                f"({result['total']:,} generated articles in all; new ones {generator.span()})."
            )
        )
