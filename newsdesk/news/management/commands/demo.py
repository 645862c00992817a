from django.core.management.base import BaseCommand, CommandError

from newsdesk.news.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo site (sections, authors, the seed article, generated stories). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--per-section", type=int, default=36, help="Generated stories per section (36)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, per_section, dry_run, **options):
        if per_section < 0:
            raise CommandError("--per-section must be zero or more.")
        try:
            tally = DemoLoader(self.stdout, per_section=per_section, dry_run=dry_run).run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        prefix = "Would load" if dry_run else "Demo loaded"
        self.stdout.write(self.style.SUCCESS(f"{prefix}: {tally.summary()}"))
