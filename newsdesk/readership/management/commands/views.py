import json as _json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from newsdesk.readership import maintenance
from newsdesk.readership.models import DailyViews, HourlyViews
from newsdesk.readership.stores import StoreUnavailable, get_store


class Command(BaseCommand):
    help = "Show recorded views per article (optionally flushing buffered views first)."

    def add_arguments(self, parser):
        parser.add_argument("--flush", action="store_true", help="Flush buffered views first.")
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args, **options):
        flush, as_json = options["flush"], options["json"]
        try:
            moved = maintenance.flush() if flush else 0
            pending = get_store().pending()
        except StoreUnavailable as error:
            raise CommandError(f"The counter store is unreachable: {error}") from error
        stored: dict[int, int] = {}
        for model in (HourlyViews, DailyViews):
            for article, views in (
                model.objects.values_list("article_id").annotate(n=Sum("views")).order_by()
            ):
                stored[article] = stored.get(article, 0) + views
        if as_json:
            self.stdout.write(
                _json.dumps(
                    {
                        "flushed": moved,
                        "stored": {str(k): v for k, v in sorted(stored.items())},
                        "pending": {str(k): v for k, v in sorted(pending.items())},
                    }
                )
            )
            return
        self.stdout.write(f"Flushed {moved} views." if flush else "")
        for article, views in sorted(stored.items(), key=lambda pair: -pair[1]):
            extra = f" (+{pending[article]} pending)" if pending.get(article) else ""
            self.stdout.write(f"article {article}: {views} views{extra}")
        self.stdout.write(
            f"{sum(stored.values())} views stored, {sum(pending.values())} pending, "
            f"{len(stored)} articles."
        )
